// The training loop's behaviour: learning, reproducibility, early stopping restoring the best
// weights, test-time augmentation, NaN detection, cancellation, and input-shape mismatch messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphNode } from '../../../engine/report/types';
import { ttaViews, writeView } from '../../../engine/train/data/augment';
import { syntheticSplits } from '../../../engine/train/data/synthetic';
import { buildNetwork } from '../../../engine/train/graph/build';
import { train, type TrainOptions } from '../../../engine/train/loop/train';
import { inputNode } from './helpers';

const smallNet = (): GraphNode[] => [
  inputNode(['N', 1, 12, 12]),
  { id: 1, kind: 'module', type: 'Conv2d', path: 'conv', config: { in_channels: 1, out_channels: 6, kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, bias: true }, inputs: [0], outputShape: null, line: 3 },
  { id: 2, kind: 'module', type: 'BatchNorm2d', path: 'bn', config: { num_features: 6 }, inputs: [1], outputShape: null, line: 4 },
  { id: 3, kind: 'op', type: 'relu', config: {}, inputs: [2], outputShape: null, line: 5 },
  { id: 4, kind: 'op', type: 'max_pool2d', config: { kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], ceil_mode: false }, inputs: [3], outputShape: null, line: 5 },
  { id: 5, kind: 'op', type: 'flatten', config: { start_dim: 1, end_dim: -1 }, inputs: [4], outputShape: null, line: 6 },
  { id: 6, kind: 'module', type: 'Dropout', path: 'drop', config: { p: 0.2 }, inputs: [5], outputShape: null, line: 7 },
  { id: 7, kind: 'module', type: 'Linear', path: 'fc', config: { in_features: 216, out_features: 8, bias: true }, inputs: [6], outputShape: null, line: 8 },
];

const data = syntheticSplits('bars', 400, 160, [1, 12, 12], 3);
const base: TrainOptions = { epochs: 4, batchSize: 16, optimizer: { name: 'adam', lr: 0.01 }, init: 'he', seed: 5, valSplit: 0.2 };

test('training on oriented bars learns them and is reproducible bit for bit', async () => {
  const a = buildNetwork({ graph: smallNet(), parameters: [] }), b = buildNetwork({ graph: smallNet(), parameters: [] });
  const ra = await train(a, data, base), rb = await train(b, data, base);
  assert.ok(ra.testAccuracy! > 0.8, `test accuracy ${ra.testAccuracy}`);
  assert.ok(ra.epochs[3].trainLoss < ra.epochs[0].trainLoss);
  assert.deepEqual(ra.epochs.map((e) => [e.trainLoss, e.valLoss]), rb.epochs.map((e) => [e.trainLoss, e.valLoss]));
  a.state.forEach((e, i) => assert.deepEqual(e.value, b.state[i].value));
});

test('early stopping stops after `patience` epochs without a better validation loss and restores the best weights', async () => {
  // A learning rate far too high makes the validation loss rise after the first epochs.
  const net = buildNetwork({ graph: smallNet(), parameters: [] });
  const snaps: Float32Array[][] = [];
  const r = await train(net, data, { ...base, epochs: 30, earlyStopping: 2, optimizer: { name: 'sgd', lr: 0.5, momentum: 0.9 }, onEpoch: () => { snaps.push(net.snapshot()); } });
  const losses = r.epochs.map((e) => e.valLoss!);
  const best = losses.indexOf(Math.min(...losses)) + 1;
  assert.equal(r.bestEpoch, best);
  if (r.stoppedEarly) assert.equal(r.epochs.length, best + 2);
  assert.ok(r.stoppedEarly || r.epochs.length === 30);
  net.snapshot().forEach((v, i) => assert.deepEqual(v, snaps[best - 1][i]));
});

test('test-time augmentation uses only what the run trained with: no flip without flips, the centre alone without crops', () => {
  assert.deepEqual(ttaViews(2, { crop: true }).map((v) => [v.oy, v.ox, v.flip]), [[0, 0, false], [0, 4, false], [4, 0, false], [4, 4, false], [2, 2, false]]);
  assert.deepEqual(ttaViews(2, { flip: true }).map((v) => [v.oy, v.ox, v.flip]), [[2, 2, false], [2, 2, true]]);
  assert.deepEqual(ttaViews(2, {}).map((v) => [v.oy, v.ox, v.flip]), [[2, 2, false]]);
});

test('test-time augmentation with crops and flips: the four corner crops, the centre and their flips', () => {
  const views = ttaViews(2, { crop: true, flip: true });
  assert.deepEqual(views.map((v) => [v.oy, v.ox]), [[0, 0], [0, 0], [0, 4], [0, 4], [4, 0], [4, 0], [4, 4], [4, 4], [2, 2], [2, 2]]);
  assert.deepEqual(views.map((v) => v.flip), [false, true, false, true, false, true, false, true, false, true]);
  // The centre view of the padded image is the image; a flip mirrors each row; a corner shifts in zeros.
  const img = Float32Array.from([1, 2, 3, 4, 5, 6]), out = new Float32Array(6), norm = { mean: [0], std: [1] };
  writeView(img, 0, [1, 2, 3], 1, { oy: 1, ox: 1, flip: false }, norm, out, 0);
  assert.deepEqual([...out], [1, 2, 3, 4, 5, 6]);
  writeView(img, 0, [1, 2, 3], 1, { oy: 1, ox: 1, flip: true }, norm, out, 0);
  assert.deepEqual([...out], [3, 2, 1, 6, 5, 4]);
  writeView(img, 0, [1, 2, 3], 1, { oy: 0, ox: 0, flip: false }, norm, out, 0);
  assert.deepEqual([...out], [0, 0, 0, 0, 1, 2]);
});

test('a run with TTA and augmentation reports both test accuracies', async () => {
  const r = await train(buildNetwork({ graph: smallNet(), parameters: [] }), data, { ...base, epochs: 2, tta: true, augment: { crop: true, flip: true } });
  assert.ok(r.testAccuracy !== null && r.testAccuracyTTA !== null && r.testAccuracyTTA >= 0 && r.testAccuracyTTA <= 1);
});

test('TTA is not run for a model trained without augmentation', async () => {
  const r = await train(buildNetwork({ graph: smallNet(), parameters: [] }), data, { ...base, epochs: 1, tta: true });
  assert.ok(r.testAccuracy !== null);
  assert.equal(r.testAccuracyTTA, null);
});

test('a NaN loss stops the run with a message naming the step', async () => {
  await assert.rejects(train(buildNetwork({ graph: smallNet(), parameters: [] }), data, { ...base, optimizer: { name: 'sgd', lr: 1e30 } }),
    /loss became (NaN|infinite) at step \d+ \(epoch 1, batch \d+\)/);
});

test('a run is cancelled between two batches', async () => {
  const signal = { aborted: false };
  const r = await train(buildNetwork({ graph: smallNet(), parameters: [] }), data, { ...base, signal, onBatch: (p) => { if (p.step === 3) signal.aborted = true; } });
  assert.equal(r.cancelled, true);
  assert.equal(r.steps, 3);
});

test('data that does not fit the model names the dimension and offers resizing', async () => {
  const other = syntheticSplits('shapes', 40, 10, [1, 16, 16], 1);
  await assert.rejects(train(buildNetwork({ graph: smallNet(), parameters: [] }), other, base), /height differ \(12 vs 16\).*resize/);
});

test('a layer the engine cannot train is named with its line', () => {
  const graph = [...smallNet(), { id: 8, kind: 'module' as const, type: 'LSTM', path: 'rnn', config: {}, inputs: [7], outputShape: null, line: 9 }];
  assert.throws(() => buildNetwork({ graph, parameters: [] }), /LSTM \(line 9\)/);
});
