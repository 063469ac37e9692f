// What the training panel shows after a run: weights read back from safetensors (PyTorch's own
// outputs on that file are the reference), feature maps, first-layer filters, the order of the
// sample grid, fitting data to the model, the PyTorch loading code, and unsupported layers by line.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadIdxFiles } from '../../../engine/cli/train-data';
import type { GraphNode, ModelReport } from '../../../engine/report/types';
import { fitReport } from '../../../engine/train/data/fit';
import { padDataset } from '../../../engine/train/data/resize';
import { buildNetwork, UnsupportedModel } from '../../../engine/train/graph/build';
import { firstLayerFilters } from '../../../engine/train/inspect/filters';
import { featureMaps } from '../../../engine/train/inspect/maps';
import { sampleOrder } from '../../../engine/train/inspect/samples';
import { TrainError } from '../../../engine/train/layers/layer';
import { loadState, readSafetensors } from '../../../engine/train/save/safetensors';
import { pytorchLoadCode } from '../../../engine/train/save/load-code';
import { Rng } from '../../../engine/train/tensor/rng';
import { assertClose, fixture, fromFixture, idxBytes, inputNode, type FixtureTensor } from './helpers';
import { tempDir } from '../temp-dir';

interface Optim { graph: GraphNode[]; parameters: ModelReport['parameters']; input: FixtureTensor }
interface Readback { keys: string[]; torchOutput: FixtureTensor }
const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(join(__dirname, 'fixtures', name)));

test('weights read back from the safetensors file PyTorch loaded give PyTorch\'s outputs', () => {
  const fx = fixture<Optim>('optim.json'), rb = fixture<Readback>('safetensors-readback.json');
  const stored = readSafetensors(fixtureBytes('small-cnn.safetensors'));
  assert.deepEqual([...stored.keys()].sort(), [...rb.keys].sort());
  assert.equal(stored.get('bn.num_batches_tracked')!.data[0], 3, 'I64 read as a number');
  const net = buildNetwork(fx);
  loadState(net.state, stored);
  const y = net.forward(fromFixture(fx.input), { training: false, rng: new Rng(0) });
  assertClose(y.data, rb.torchOutput.data, 1e-4, 'engine on the read weights vs PyTorch on the same file');
});

test('weights that do not match the model, and bytes that are not safetensors, are refused with a message', () => {
  const fx = fixture<Optim>('optim.json');
  const stored = readSafetensors(fixtureBytes('small-cnn.safetensors'));
  stored.set('conv1.weight', { shape: [1, 1, 1, 1], data: new Float32Array(1) });
  assert.throws(() => loadState(buildNetwork(fx).state, stored), /conv1\.weight is \(1, 1, 1, 1\) in the weights .* the model changed/);
  stored.delete('conv1.weight');
  assert.throws(() => loadState(buildNetwork(fx).state, stored), /no conv1\.weight/);
  assert.throws(() => readSafetensors(new Uint8Array([1, 2, 3])), TrainError);
  assert.throws(() => readSafetensors(new Uint8Array([4, 0, 0, 0, 0, 0, 0, 0, 123, 120, 125, 32])), /not JSON/);
});

const tiny = (): GraphNode[] => [
  inputNode(['N', 1, 4, 4]),
  { id: 1, kind: 'module', type: 'Conv2d', path: 'conv1', config: { in_channels: 1, out_channels: 2, kernel_size: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, bias: false }, inputs: [0], outputShape: null, line: 5 },
  { id: 2, kind: 'op', type: 'relu', config: {}, inputs: [1], outputShape: null, line: 9 },
  { id: 3, kind: 'op', type: 'flatten', config: { start_dim: 1, end_dim: -1 }, inputs: [2], outputShape: null, line: 10 },
];

test('first-layer filters: one scale for the layer, zero at mid-grey; feature maps scaled per channel', () => {
  const net = buildNetwork({ graph: tiny(), parameters: [] });
  const w = net.state.find((e) => e.name === 'conv1.weight')!;
  w.value.set([1, 0, 0, -1, 0.5, 0.5, 0.5, 0.5]); // filter 0: a diagonal edge; filter 1: a box blur
  const f = firstLayerFilters(net)!;
  assert.deepEqual({ path: f.path, line: f.line, count: f.count, channels: f.channels, kh: f.kh, kw: f.kw }, { path: 'conv1', line: 5, count: 2, channels: 1, kh: 2, kw: 2 });
  assert.deepEqual([...f.pixels], [255, 128, 128, 0, 191, 191, 191, 191]);

  // A 4×4 image with a bright bottom-right quarter; identity normalisation.
  const img = Float32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
  const maps = featureMaps(net, img, [1, 4, 4], { mean: [0], std: [1] });
  assert.deepEqual(maps.map((m) => [m.type, m.shape.join('×'), m.shown]), [['Conv2d', '2×3×3', 2], ['relu', '2×3×3', 2]]);
  // Box blur of the image: 0 0 0 / 0 .25 .5 / 0 .5 1 → bytes scaled to 0…255 on its own range.
  assert.deepEqual([...maps[0].pixels.subarray(9, 18)], [0, 0, 0, 0, 64, 128, 0, 128, 255]);
});

test('the sample grid shows mistakes first, the most confident first, then correct predictions in order', () => {
  assert.deepEqual(sampleOrder([0, 1, 2, 3, 4], [0, 2, 2, 1, 4], [0.9, 0.6, 0.8, 0.95, 0.5], 4), [3, 1, 0, 2]);
  assert.deepEqual(sampleOrder([1, 1], [1, 1], [0.5, 0.5], 10), [0, 1]);
});

test('data meets the model: what differs, the target shape, and padding centred with zeros', () => {
  assert.deepEqual(fitReport([1, 32, 32], [1, 28, 28]), { fits: false, differences: ['height 28 ≠ 32', 'width 28 ≠ 32'], target: [1, 32, 32], channelsOnly: false });
  assert.deepEqual(fitReport([3, null, null], [1, 28, 28]), { fits: false, differences: ['channels 1 ≠ 3'], target: [3, 28, 28], channelsOnly: true });
  assert.equal(fitReport([1, 28, 28], [1, 28, 28]).fits, true);
  const d = { x: Float32Array.from([1, 2, 3, 4]), y: Int32Array.from([0]), n: 1, shape: [1, 2, 2] as [number, number, number], classes: 1 };
  assert.deepEqual([...padDataset(d, [1, 4, 4]).x], [0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
  assert.deepEqual([...padDataset({ ...d, x: Float32Array.from({ length: 16 }, (_, i) => i), shape: [1, 4, 4] }, [1, 2, 2]).x], [5, 6, 9, 10]);
});

test('the PyTorch code imports the model from its file and loads the run\'s weights with the normalisation', () => {
  const code = pytorchLoadCode({ model: 'LeNet', file: 'examples/lenet_mnist.py', weights: '.convlens/runs/r1/weights.safetensors', normalization: { mean: [0.1307123], std: [0.3081] } });
  assert.match(code, /^from examples\.lenet_mnist import LeNet$/m);
  assert.match(code, /^model = LeNet\(\)$/m);
  assert.match(code, /^model\.load_state_dict\(load_file\("\.convlens\/runs\/r1\/weights\.safetensors"\)\)$/m);
  assert.match(code, /mean = torch\.tensor\(\[0\.130712\]\)/);
  const seq = pytorchLoadCode({ model: 'model', file: 'net.py', weights: 'w.safetensors', normalization: null });
  assert.match(seq, /^from net import model as model$/m);
  assert.doesNotMatch(seq, /model = model\(\)/);
});

test('an unsupported model lists each layer it cannot train, with its line and why', () => {
  const graph: GraphNode[] = [
    ...tiny(),
    { id: 4, kind: 'module', type: 'LSTM', path: 'rnn', config: {}, inputs: [3], outputShape: null, line: 12 },
    { id: 5, kind: 'module', type: 'MaxPool2d', path: 'pool', config: { kernel_size: 2, return_indices: true }, inputs: [4], outputShape: null, line: 13 },
  ];
  try {
    buildNetwork({ graph, parameters: [] });
    assert.fail('built');
  } catch (e) {
    assert.ok(e instanceof UnsupportedModel);
    assert.deepEqual(e.problems, [
      { type: 'LSTM', line: 12, path: 'rnn', why: "the training engine has no layer 'LSTM'" },
      { type: 'MaxPool2d', line: 13, path: 'pool', why: 'MaxPool2d with return_indices=True is not supported' },
    ]);
    assert.match(e.message, /LSTM \(line 12\)/);
  }
});

test('IDX files picked one by one are told apart by their names', () => {
  const dir = tempDir('convlens-idx-');

  const files = { 'my-train-images.idx3-ubyte': idxBytes(8, [2, 1, 2], [0, 255, 255, 0]), 'my-train-labels.idx1-ubyte': idxBytes(8, [2], [1, 0]) };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const s = loadIdxFiles(Object.keys(files).reverse().map((f) => join(dir, f)), dir);
  assert.deepEqual([...s.train.x], [0, 1, 1, 0]);
  assert.deepEqual([...s.train.y], [1, 0]);
  assert.equal(s.test, null);
  assert.throws(() => loadIdxFiles([join(dir, 'my-train-labels.idx1-ubyte')], dir), /needs both train-images and train-labels/);
});
