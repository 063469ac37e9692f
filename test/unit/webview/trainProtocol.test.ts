import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isRunId, parseTrainFromWebview, parseTrainToWebview, type TrainSettings } from '../../../webview/trainProtocol';

const settings: TrainSettings = {
  dataset: 'mnist', limit: 1000, epochs: 3, batchSize: 32, optimizer: 'adam', lr: 0.002, momentum: 0.9, weightDecay: 0,
  init: 'default', crop: false, flip: false, tta: true, patience: 2, valSplit: 0.1, seed: 0, fit: 'resize',
};
const pictures = { count: 1, channels: 1, h: 2, w: 2, pixels: 'AAAAAA==' };

test('well-formed training messages pass both ways', () => {
  const from: unknown[] = [
    { type: 'ready' }, { type: 'start', settings }, { type: 'pause' }, { type: 'resume' }, { type: 'stop' }, { type: 'restart' },
    { type: 'setData', dataset: 'bars', limit: 200 }, { type: 'pickData', kind: 'idx' }, { type: 'features', sample: 3 },
    { type: 'openRun', id: '2025-01-31T12-00-00-LeNet' }, { type: 'compare', ids: ['a', 'b'] }, { type: 'copyCode', id: 'a' }, { type: 'reveal', line: 4 },
    { type: 'resumeRun', id: '2025-01-31T12-00-00-LeNet-3f9a1c' }, { type: 'exportScript', settings },
  ];
  for (const m of from) assert.deepEqual(parseTrainFromWebview(m), m);
  const to: unknown[] = [
    { type: 'model', uri: 'file:///x.py', changed: false, model: { name: 'LeNet', file: 'x.py', line: 8, input: '(N, 1, 28, 28)', params: 61706, macs: 416520, problems: [{ type: 'LSTM', line: 3, why: 'no' }] } },
    { type: 'settings', settings },
    { type: 'data', state: 'ready', label: 'MNIST', info: { label: 'MNIST', shape: [1, 28, 28], classes: 10, train: 1000, test: 500 }, fit: { fits: true, differences: [], target: [1, 28, 28], channelsOnly: true } },
    { type: 'status', state: 'running', epoch: 1, epochs: 3, batch: 5, batches: 30, seconds: 2.5 },
    { type: 'progress', reset: false, batches: [{ step: 1, epoch: 1, loss: 2.3, accuracy: 0.1 }], epochs: [{ epoch: 1, step: 30, trainLoss: 1, trainAccuracy: 0.5, valLoss: null, valAccuracy: null, seconds: 3 }], bestEpoch: null },
    { type: 'result', runId: 'r1', result: { testAccuracy: 0.9, testAccuracyTTA: null, bestEpoch: 3, stoppedEarly: false, classNames: ['0', '1'], confusion: [[1, 0], [0, 1]], imagesPerSecond: 400, samples: { ...pictures, labels: [1], predicted: [1], confidence: [0.9] }, filters: null } },
    { type: 'features', sample: 0, layers: [{ type: 'Conv2d', line: 4, shape: [6, 2, 2], maps: pictures }] },
    { type: 'runs', runs: [{ id: 'r1', model: 'LeNet', file: 'x.py', created: '2025', data: 'MNIST', status: 'stopped', epochs: 1, plannedEpochs: 3, testAccuracy: null }] },
    { type: 'interrupted', runId: 'r1', epoch: 1, epochs: 3, weightsEpoch: 1, resumable: true },
    { type: 'interrupted', runId: 'r1', epoch: 2, epochs: 3, weightsEpoch: null, resumable: false, why: 'another model' },
  ];
  for (const m of to) assert.deepEqual(parseTrainToWebview(m), m);
});

test('malformed training messages are dropped: unknown types, missing fields, out-of-range settings, paths', () => {
  const bad: unknown[] = [
    null, [], 'start', { type: 'toString' }, { type: 'start' }, { type: 'start', settings: { ...settings, epochs: 0 } },
    { type: 'start', settings: { ...settings, lr: 0 } }, { type: 'start', settings: { ...settings, valSplit: 1 } },
    { type: 'start', settings: { ...settings, batchSize: 2.5 } }, { type: 'start', settings: { ...settings, dataset: 'C:/data' } },
    { type: 'start', settings: { ...settings, tta: 'yes' } }, { type: 'setData', dataset: 'mnist', limit: -1 },
    { type: 'pickData', kind: 'file' }, { type: 'openRun', id: '../secrets' }, { type: 'openRun', id: 'a/b' },
    { type: 'compare', ids: ['a', 'b', 'c', 'd', 'e'] }, { type: 'features', sample: 1.5 }, { type: 'reveal', line: 0 },
    { type: 'resumeRun', id: '..' }, { type: 'resumeRun', id: '../other/run' }, { type: 'resumeRun' },
    { type: 'exportScript' }, { type: 'exportScript', settings: { ...settings, optimizer: 'lbfgs' } },
  ];
  for (const m of bad) assert.equal(parseTrainFromWebview(m), undefined, JSON.stringify(m));
  assert.equal(parseTrainToWebview({ type: 'status', state: 'exploding', epoch: 1, epochs: 1, batch: 1, batches: 1, seconds: 0 }), undefined);
  assert.equal(parseTrainToWebview({ type: 'progress', reset: false, batches: [{ step: 1, epoch: 1, loss: 'NaN', accuracy: 0 }], epochs: [], bestEpoch: null }), undefined);
  assert.equal(parseTrainToWebview({ type: 'interrupted', runId: '..', epoch: 1, epochs: 3, weightsEpoch: 1, resumable: true }), undefined);
  assert.equal(parseTrainToWebview({ type: 'features', sample: 0, layers: [{ type: 'Conv2d', line: 4, shape: [6, 2], maps: pictures }] }), undefined);
});

test('run ids are plain folder names: never ".", "..", hidden or a path', () => {
  for (const ok of ['2025-01-31T12-00-00-LeNet-3f9a1c', 'r1', 'a.b_c-d']) assert.equal(isRunId(ok), true, ok);
  for (const bad of ['.', '..', '.hidden', 'a/b', 'a\\b', '../x', 'a..b', '', 'x'.repeat(81), 5, null]) assert.equal(isRunId(bad), false, String(bad));
  assert.equal(parseTrainFromWebview({ type: 'openRun', id: '..' }), undefined);
  assert.equal(parseTrainFromWebview({ type: 'copyCode', id: '.' }), undefined);
});
