// Resuming a run from the checkpoint of an epoch end (engine/train/loop/resume.ts, the file format of
// engine/train/save/checkpoint.ts): a run interrupted after epoch 1 of 3 and resumed from the bytes
// of its checkpoint ends with the same weights, bit for bit, as 3 epochs without a break — SGD with
// momentum and Adam, with dropout, BatchNorm, random crops and flips drawing from the seeded RNG —
// and a checkpoint that does not fit (another model, other data, other options, damaged bytes) is
// refused with a message that says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphNode } from '../../../engine/report/types';
import type { DataSplits } from '../../../engine/train/data/dataset';
import { syntheticSplits } from '../../../engine/train/data/synthetic';
import { buildNetwork } from '../../../engine/train/graph/build';
import { ResumeError } from '../../../engine/train/loop/resume';
import { train, type TrainOptions, type TrainResult } from '../../../engine/train/loop/train';
import { decodeCheckpoint, encodeCheckpoint } from '../../../engine/train/save/checkpoint';
import { readSafetensors, readSafetensorsMetadata, writeSafetensors } from '../../../engine/train/save/safetensors';
import { inputNode } from './helpers';

const graph = (channels = 4): GraphNode[] => [
  inputNode(['N', 1, 10, 10]),
  { id: 1, kind: 'module', type: 'Conv2d', path: 'conv', config: { in_channels: 1, out_channels: channels, kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, bias: true }, inputs: [0], outputShape: null, line: 2 },
  { id: 2, kind: 'module', type: 'BatchNorm2d', path: 'bn', config: { num_features: channels }, inputs: [1], outputShape: null, line: 3 },
  { id: 3, kind: 'op', type: 'relu', config: {}, inputs: [2], outputShape: null, line: 4 },
  { id: 4, kind: 'op', type: 'max_pool2d', config: { kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], ceil_mode: false }, inputs: [3], outputShape: null, line: 4 },
  { id: 5, kind: 'op', type: 'flatten', config: { start_dim: 1, end_dim: -1 }, inputs: [4], outputShape: null, line: 5 },
  { id: 6, kind: 'module', type: 'Dropout', path: 'drop', config: { p: 0.3 }, inputs: [5], outputShape: null, line: 6 },
  { id: 7, kind: 'module', type: 'Linear', path: 'fc', config: { in_features: channels * 25, out_features: 8, bias: true }, inputs: [6], outputShape: null, line: 7 },
];
const net = (channels?: number) => buildNetwork({ graph: graph(channels), parameters: [] });
const data = syntheticSplits('bars', 240, 80, [1, 10, 10], 2);

/** Trains until `at` epochs are done, takes that epoch end's checkpoint as bytes and stops the run there. */
async function checkpointAfter(at: number, o: TrainOptions, d: DataSplits = data): Promise<Uint8Array> {
  const n = net(), signal = { aborted: false };
  let bytes: Uint8Array | undefined;
  const r = await train(n, d, { ...o, signal, onEpochEnd: (s) => { if (s.epoch === at) { bytes = encodeCheckpoint(n, s); signal.aborted = true; } } });
  assert.ok(bytes && r.cancelled && r.epochs.length === at, 'interrupted after the checkpoint');
  return bytes;
}

const sameRun = (a: TrainResult, b: TrainResult): void => {
  const curve = (r: TrainResult) => r.epochs.map(({ seconds: _s, ...m }) => m);
  assert.deepEqual(curve(b), curve(a), 'the same epochs, losses and accuracies');
  assert.equal(b.steps, a.steps);
  assert.equal(b.bestEpoch, a.bestEpoch);
  assert.equal(b.stoppedEarly, a.stoppedEarly);
  assert.equal(b.testAccuracy, a.testAccuracy);
  assert.deepEqual(b.confusion, a.confusion);
};

const runs: Array<[string, TrainOptions]> = [
  ['SGD with momentum and weight decay', { epochs: 3, batchSize: 16, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4 }, init: 'default', seed: 7, valSplit: 0.2 }],
  ['Adam, random crops and flips, a cosine schedule', { epochs: 3, batchSize: 16, optimizer: { name: 'adam', lr: 0.005 }, init: 'he', seed: 11, valSplit: 0.2, augment: { crop: true, flip: true }, schedule: { name: 'cosine' } }],
  ['AdamW without validation', { epochs: 3, batchSize: 32, optimizer: { name: 'adamw', lr: 0.005 }, init: 'xavier', seed: 3, valSplit: 0 }],
];

for (const [what, o] of runs) {
  test(`${what}: resumed after epoch 1 of 3 it ends with the same weights, bit for bit, as 3 epochs in one go`, async () => {
    const whole = net(), a = await train(whole, data, o);
    const bytes = await checkpointAfter(1, o);
    const resumed = net(), b = await train(resumed, data, { ...o, resume: decodeCheckpoint(bytes, resumed) });
    sameRun(a, b);
    resumed.state.forEach((e, i) => assert.deepEqual(e.value, whole.state[i].value, e.name));
    assert.ok(a.epochs[2].trainLoss < a.epochs[0].trainLoss, 'it learned');
  });
}

test('a frozen convolution: the checkpoint holds the optimiser state of the trained parameters only, and resumes bit for bit', async () => {
  const frozen = () => buildNetwork({ graph: graph(), parameters: [
    { name: 'conv.weight', shape: [4, 1, 3, 3], trainable: false }, { name: 'conv.bias', shape: [4], trainable: false },
  ] });
  const o = runs[1][1], whole = frozen(), a = await train(whole, data, o);
  const first = frozen(), signal = { aborted: false };
  let bytes: Uint8Array | undefined;
  await train(first, data, { ...o, signal, onEpochEnd: (s) => { if (s.epoch === 1) { bytes = encodeCheckpoint(first, s); signal.aborted = true; } } });
  const names = [...readSafetensors(bytes!).keys()].filter((n) => n.startsWith('optimizer.exp_avg.'));
  assert.deepEqual(names.sort(), ['optimizer.exp_avg.bn.bias', 'optimizer.exp_avg.bn.weight', 'optimizer.exp_avg.fc.bias', 'optimizer.exp_avg.fc.weight']);
  const resumed = frozen(), b = await train(resumed, data, { ...o, resume: decodeCheckpoint(bytes!, resumed) });
  sameRun(a, b);
  resumed.state.forEach((e, i) => assert.deepEqual(e.value, whole.state[i].value, e.name));
});

test('resumed twice (after epoch 1, then after epoch 2 of the resumed run) it is still the same run', async () => {
  const o = runs[1][1], whole = net(), a = await train(whole, data, o);
  const first = await checkpointAfter(1, o);
  const mid = net(), signal = { aborted: false };
  let second: Uint8Array | undefined;
  await train(mid, data, { ...o, resume: decodeCheckpoint(first, mid), signal, onEpochEnd: (s) => { if (s.epoch === 2) { second = encodeCheckpoint(mid, s); signal.aborted = true; } } });
  const last = net(), b = await train(last, data, { ...o, resume: decodeCheckpoint(second!, last) });
  sameRun(a, b);
  last.state.forEach((e, i) => assert.deepEqual(e.value, whole.state[i].value, e.name));
});

test('early stopping resumes with its best epoch and patience: the same stop and the same restored weights', async () => {
  // a rate far too high: the validation loss rises after a few epochs and early stopping ends the run
  const o: TrainOptions = { epochs: 12, batchSize: 16, optimizer: { name: 'sgd', lr: 0.6, momentum: 0.9 }, init: 'default', seed: 5, valSplit: 0.25, earlyStopping: 2 };
  const whole = net(), a = await train(whole, data, o);
  assert.ok(a.stoppedEarly && a.epochs.length >= 4, `the run stops early (after ${a.epochs.length} epochs)`);
  for (const at of [a.bestEpoch + 1, a.epochs.length]) {
    const bytes = at === a.epochs.length ? await lastCheckpoint(o) : await checkpointAfter(at, o);
    const resumed = net(), b = await train(resumed, data, { ...o, resume: decodeCheckpoint(bytes, resumed) });
    sameRun(a, b);
    resumed.state.forEach((e, i) => assert.deepEqual(e.value, whole.state[i].value, `${e.name} (resumed after epoch ${at})`));
  }
});

/** The checkpoint of a run's last epoch end (the one after which early stopping stopped it). */
async function lastCheckpoint(o: TrainOptions): Promise<Uint8Array> {
  const n = net();
  let bytes: Uint8Array | undefined;
  await train(n, data, { ...o, onEpochEnd: (s) => { bytes = encodeCheckpoint(n, s); } });
  const s = decodeCheckpoint(bytes!, net());
  assert.ok(s.stoppedEarly, 'the last checkpoint knows the run stopped there');
  return bytes!;
}

test('the checkpoint file: PyTorch-named state, optimiser slots and the image order in a safetensors file', async () => {
  const bytes = await checkpointAfter(1, runs[1][1]);
  const t = readSafetensors(bytes), meta = readSafetensorsMetadata(bytes), n = net();
  const names = n.state.map((e) => e.name);
  assert.deepEqual(names, ['conv.weight', 'conv.bias', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked', 'fc.weight', 'fc.bias']);
  for (const name of names) assert.ok(t.has(`model.${name}`), name);
  for (const p of n.params) for (const slot of ['exp_avg', 'exp_avg_sq']) assert.deepEqual(t.get(`optimizer.${slot}.${p.name}`)?.shape, p.shape, `${slot} of ${p.name}`);
  assert.equal(t.get('model.bn.num_batches_tracked')!.data[0], 12, 'BatchNorm counted the 12 batches of epoch 1 (192 images of 16)');
  const order = t.get('order')!.data;
  assert.deepEqual([...order].sort((x, y) => x - y), Array.from({ length: 192 }, (_, i) => i), 'a permutation of the training images');
  assert.equal(meta.format, 'convlens-resume');
  const state = JSON.parse(meta.state);
  assert.equal(state.epoch, 1);
  assert.equal(state.step, 12);
  assert.equal(state.optimizer.step, 12, 'Adam\'s step count');
  assert.equal(state.epochs.length, 1);
  assert.equal(state.rng.s.length, 4);
});

const refused = async (p: () => unknown, why: RegExp) => {
  await assert.rejects(async () => p(), (e: unknown) => e instanceof ResumeError && why.test(e.message), String(why));
};

test('a checkpoint is refused, saying why, when the model changed, the data changed, the options differ or it cannot be read', async () => {
  const o = runs[0][1], bytes = await checkpointAfter(1, o);
  await refused(() => decodeCheckpoint(bytes, net(6)), /model changed since the run was saved.*conv\.weight is \(4, 1, 3, 3\) in the checkpoint but \(6, 1, 3, 3\) in the model/);
  const renamed = buildNetwork({ graph: graph().map((g) => (g.path === 'fc' ? { ...g, path: 'head' } : g)), parameters: [] });
  await refused(() => decodeCheckpoint(bytes, renamed), /head\.weight \(8, 100\) is new in the model.*fc\.weight \(8, 100\) is no longer in the model/);
  const other = syntheticSplits('bars', 240, 80, [1, 10, 10], 3);
  const n1 = net();
  await refused(() => train(n1, other, { ...o, resume: decodeCheckpoint(bytes, n1) }), /training data changed since the run was saved/);
  const n2 = net();
  await refused(() => train(n2, data, { ...o, batchSize: 8, resume: decodeCheckpoint(bytes, n2) }), /batchSize 16, not 8/);
  const n3 = net();
  await refused(() => train(n3, data, { ...o, optimizer: { name: 'adam', lr: 0.01 }, resume: decodeCheckpoint(bytes, n3) }), /trained with sgd, not adam/);
  await refused(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 100), net()), /cannot be read: .*byte range/);
  await refused(() => decodeCheckpoint(new Uint8Array([1, 2, 3]), net()), /cannot be read: not a safetensors file/);
  await refused(() => decodeCheckpoint(writeSafetensors(net().state), net()), /cannot be read: it is not a ConvLens resume checkpoint/);
});

test('a damaged checkpoint (bytes changed, cut or its state edited) is refused with a reason or still fits: never an internal error', async () => {
  const bytes = await checkpointAfter(1, runs[1][1]);
  let seed = 12345;
  const rand = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  const headerEnd = 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  let refusedCount = 0;
  for (let i = 0; i < 300; i++) {
    const b = Uint8Array.from(bytes);
    // mostly the JSON header (names, shapes, offsets, the state), sometimes the length or the cut
    const kind = rand(10);
    if (kind === 0) b.set([rand(256)], rand(8));
    const damaged = kind === 1 ? b.subarray(0, rand(b.length)) : b;
    for (let k = 0; k < 1 + rand(3); k++) damaged[8 + rand(Math.max(1, Math.min(headerEnd, damaged.length) - 8))] = 32 + rand(95);
    try {
      decodeCheckpoint(damaged, net());
    } catch (e) {
      assert.ok(e instanceof ResumeError, `case ${i}: ${e instanceof Error ? e.stack : String(e)}`);
      refusedCount++;
    }
  }
  assert.ok(refusedCount > 100, `${refusedCount} of 300 damaged checkpoints refused`);
});
