// "Animate this layer": a layer of a real report (the engine's analysis of the examples) becomes
// the panel's parameters — its own kernel, stride, padding and dilation, the input scaled down to a
// watchable size with the tiling remainder kept, the channels summarised — checked by hand and by
// running the step model on the result.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { explain } from '../../../engine/explain/index';
import type { LayerRow, ModelReport } from '../../../engine/report/types';
import { firstAnimatable, layerAnimation, type LayerAnimation, outputLength, watchableLength } from '../../../extension/animateLayer';
import { toRequest } from '../../../webview/animate/scene';

const examples = join(__dirname, '..', '..', '..', 'examples');

function modelOf(file: string, source?: string): ModelReport {
  const text = source ?? readFileSync(join(examples, file), 'utf8');
  const report = analyzeSource(file, text);
  assert.ok(report.models[0], `a model in ${file}`);
  return report.models[0];
}

function animate(model: ModelReport, path: string, file = 'x.py'): LayerAnimation {
  const row = model.layers.find((l) => l.path === path);
  assert.ok(row, `layer ${path}`);
  const a = layerAnimation(model, row, file);
  assert.ok(!('reason' in a), 'reason' in a ? a.reason : '');
  return a;
}

test('ResNet stem conv1 (7×7, stride 2, padding 3, 224×224): scaled to 10×10, 5×5 outputs, tiling stays inexact', () => {
  const a = animate(modelOf('stem_conv.py'), 'conv1', 'stem_conv.py');
  const p = a.params;
  assert.deepEqual([p.op, p.dims, p.kernelSize, p.stride, p.dilation], ['conv', 2, [7, 7], [2, 2], [1, 1]]);
  assert.deepEqual(p.padding, { mode: 'manual', split: [[3, 3], [3, 3]] });
  // 3 channels × 49 taps = 147 products per line: summarised to 1 channel, and 2 of the 64 filters.
  assert.equal(p.input.length, 1);
  assert.equal(p.kernel.length, 2);
  assert.deepEqual([p.kernel[0].length, (p.kernel[0][0] as number[][]).length, (p.kernel[0][0] as number[][])[0].length], [1, 7, 7]);
  // l = (5 − 1)·2 + (7 − 6) + ((224 − 1) mod 2) = 10: ⌊(10 + 6 − 7)/2⌋ + 1 = 5, and 9/2 leaves a remainder as 223/2 does.
  assert.equal((p.input[0] as number[][]).length, 10);
  const e = explain(toRequest(p));
  assert.deepEqual(e.outputShape, [2, 5, 5]);
  assert.equal(e.axes[0].tiling.exact, false);
  assert.equal(e.steps[0].terms.length, 49);
  assert.equal(a.source.title, 'Conv2d conv1 in Stem (stem_conv.py)');
  assert.equal(a.source.line, 11);
  const notes = a.source.notes.join('\n');
  assert.match(notes, /224×224 input, shown here on 10×10/);
  assert.match(notes, /3 input channels and 64 filters; shown with 1 channel and 2 filters/);
  assert.match(notes, /made up/);
});

test('stem max pool (3×3, stride 2, padding 1, 112×112): one channel of 64, 5×5 outputs', () => {
  const p = animate(modelOf('stem_conv.py'), 'maxpool').params;
  assert.deepEqual([p.op, p.kernelSize, p.stride, p.padding], ['maxpool', [3, 3], [2, 2], { mode: 'manual', split: [[1, 1], [1, 1]] }]);
  assert.equal(p.input.length, 1);
  assert.deepEqual(p.kernel, []);
  const e = explain(toRequest(p));
  assert.deepEqual(e.outputShape, [5, 5]);
  assert.equal(e.axes[0].tiling.exact, false, '(112 + 2 − 3)/2 leaves a remainder; so does (10 + 2 − 3)/2');
});

const CONV1D = `import torch.nn as nn
# convlens: input=(1, 4, 50)
net = nn.Sequential(
    nn.Conv1d(4, 8, 5, stride=2, padding='valid', dilation=2),
    nn.MaxPool1d(3, 2, 1),
    nn.AvgPool1d(2),
    nn.Conv1d(8, 8, 3, padding='same', groups=2),
    nn.BatchNorm1d(8),
)
`;

test('Conv1d with stride 2 and dilation 2 on 50: 24 samples give 8 outputs, 3 of 4 channels', () => {
  const model = modelOf('conv1d.py', CONV1D);
  const p = animate(model, '0').params;
  assert.deepEqual([p.dims, p.kernelSize, p.stride, p.dilation, p.padding], [1, [5], [2], [2], { mode: 'valid' }]);
  // d(k−1) + 1 = 9: l = 7·2 + 9 + ((50 − 9) mod 2) = 24, ⌊(24 − 9)/2⌋ + 1 = 8.
  assert.equal((p.input[0] as number[]).length, 24);
  assert.deepEqual([p.input.length, p.kernel.length], [3, 2]);
  assert.deepEqual(explain(toRequest(p)).outputShape, [2, 8]);
});

test('small layers keep their size; groups and count_include_pad are read; other layers are refused', () => {
  const model = modelOf('conv1d.py', CONV1D);
  const same = animate(model, '3');
  assert.deepEqual(same.params.padding, { mode: 'same', rule: 'pytorch' });
  assert.equal((same.params.input[0] as number[]).length, 5, 'o = 5 ≤ 8: not scaled');
  assert.ok(!same.source.notes.some((n) => n.startsWith('Scaled')));
  assert.match(same.source.notes.join('\n'), /groups=2: each filter reads 4 channels\); shown with 3 channels/);
  const avg = animate(model, '2').params;
  assert.deepEqual([avg.op, avg.kernelSize, avg.stride, avg.countIncludePad], ['avgpool', [2], [2], true]);
  const bn = model.layers.find((l) => l.path === '4')!;
  const refused = layerAnimation(model, bn, 'conv1d.py');
  assert.ok('reason' in refused && /BatchNorm1d `4` is not a convolution or pooling layer/.test(refused.reason));
});

test('a symbolic input size is said so and shown at the watchable size', () => {
  const model = modelOf('sym.py', 'import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1))\n');
  const a = animate(model, '0');
  // padding 1, k 3: l = (5 − 1)·1 + (3 − 2) + 0 = 5 → 5 outputs.
  assert.equal((a.params.input[0] as number[][]).length, 5);
  assert.match(a.source.notes.join('\n'), /input size is not known \(.+\): shown on a 5×5 input/);
});

test('the CodeLens opens the model\'s first convolution or pooling layer', () => {
  assert.equal(firstAnimatable(modelOf('lenet_mnist.py'))?.path, 'conv1');
});

test('Keras names: strides, padding="same" (TensorFlow\'s rule), channels last', () => {
  const row = {
    path: 'conv2d', type: 'Conv2D', line: 3, inputShapes: [[null, 28, 28, 1]], outputShape: [null, 14, 14, 8], params: 80, trainableParams: 80, paramsKnown: true, macs: 0, macsKnown: true,
    config: { filters: 8, kernel_size: [3, 3], strides: [2, 2], padding: 'same', dilation_rate: [1, 1] }, formulas: [],
  } as LayerRow;
  const model = { name: 'model', framework: 'keras', layers: [row] } as unknown as ModelReport;
  const a = layerAnimation(model, row, 'k.py');
  assert.ok(!('reason' in a));
  assert.deepEqual(a.params.padding, { mode: 'same', rule: 'tensorflow' });
  // o = ⌈l/s⌉: 28 → 14, scaled to (5 − 1)·2 + ((28 − 1) mod 2) + 1 = 10 → 5.
  assert.equal((a.params.input[0] as number[][]).length, 10);
  assert.deepEqual([a.params.input.length, a.params.kernel.length], [1, 2]);
  assert.deepEqual(explain(toRequest(a.params)).outputShape, [2, 5, 5]);
});

test('watchableLength: target outputs, same remainder, never below one cell', () => {
  const axis = { k: 3, s: 2, d: 1, pad: [0, 0] as [number, number] };
  for (const own of [20, 21]) {
    const l = watchableLength(axis, own, 4);
    assert.equal(outputLength(axis, l), 4);
    assert.equal((l - 3) % 2, (own - 3) % 2);
  }
  // full padding of a big kernel: the length is bumped up to at least one cell.
  const full = { k: 7, s: 1, d: 1, pad: [6, 6] as [number, number] };
  assert.ok(watchableLength(full, undefined, 5) >= 1);
  assert.equal(watchableLength(axis, 5, 4), 5, 'already watchable: kept');
});
