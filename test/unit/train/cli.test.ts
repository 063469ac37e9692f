// `convlens train`: argument parsing, and trainFromReport (what runTrain calls with the analyzer's
// report) on hand-built graphs: --json output, saving, image folders, and error messages.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encode as encodePng } from 'fast-png';
import { parseTrainArgs, runTrain, trainFromReport } from '../../../engine/cli/train';
import type { GraphNode } from '../../../engine/report/types';
import { inputNode } from './helpers';
import { tempDir } from '../temp-dir';

const capture = () => {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } };
};

const model = (classes: number, size = 12): { name: string; graph: GraphNode[]; parameters: [] } => ({
  name: 'Net',
  parameters: [],
  graph: [
    inputNode(['N', 1, size, size]),
    { id: 1, kind: 'module', type: 'Conv2d', path: 'conv', config: { in_channels: 1, out_channels: 4, kernel_size: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1, bias: true }, inputs: [0], outputShape: null, line: 4 },
    { id: 2, kind: 'module', type: 'ReLU', path: 'act', config: {}, inputs: [1], outputShape: null, line: 5 },
    { id: 3, kind: 'module', type: 'AdaptiveAvgPool2d', path: 'pool', config: { output_size: [2, 2] }, inputs: [2], outputShape: null, line: 6 },
    { id: 4, kind: 'module', type: 'Flatten', path: 'flat', config: {}, inputs: [3], outputShape: null, line: 7 },
    { id: 5, kind: 'module', type: 'Linear', path: 'fc', config: { in_features: 16, out_features: classes, bias: true }, inputs: [4], outputShape: null, line: 8 },
  ],
});

test('arguments parse into options with the documented defaults, and bad ones are named', () => {
  const p = parseTrainArgs(['m.py', '--dataset', 'synthetic', '--epochs', '3', '--optimizer', 'adamw', '--augment', 'crop,flip', '--tta', '--early-stopping', '2', '--json']);
  assert.equal(p.file, 'm.py');
  assert.equal(p.options.train.epochs, 3);
  assert.equal(p.options.train.optimizer.lr, 0.001);
  assert.deepEqual(p.options.train.augment, { crop: true, flip: true });
  assert.equal(p.options.train.valSplit, 0.1);
  assert.equal(p.options.train.batchSize, 32);
  assert.throws(() => parseTrainArgs(['m.py', '--optimizer', 'rmsprop']), /--optimizer rmsprop: expected one of sgd, adam, adamw/);
  assert.throws(() => parseTrainArgs(['m.py', '--lr', '-1']), /--lr -1/);
  assert.throws(() => parseTrainArgs(['m.py', '--data', 'd', '--dataset', 'mnist']), /not both/);
  assert.throws(() => parseTrainArgs(['m.py', '--frobnicate', '1']), /unknown option --frobnicate/);
});

test('runTrain reports usage errors and unreadable files with exit code 2', async () => {
  const a = capture();
  assert.equal(await runTrain([], a.io), 2);
  assert.match(a.out.stderr, /FILE is missing[\s\S]*usage: convlens train/);
  const b = capture();
  assert.equal(await runTrain(['/no/such/file.py'], b.io), 2);
  assert.match(b.out.stderr, /cannot read \/no\/such\/file.py/);
});

test('--json prints one object with the contract fields, --save writes safetensors and metrics', async () => {
  const dir = tempDir('convlens-train-');
  const { options } = parseTrainArgs(['m.py', '--dataset', 'bars', '--limit', '200', '--epochs', '2', '--optimizer', 'adam', '--lr', '0.01', '--augment', 'crop', '--tta', '--json', '--save', join(dir, 'w.safetensors')]);
  const c = capture();
  assert.equal(await trainFromReport(model(8), options, c.io), 0);
  const r = JSON.parse(c.out.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(r), ['trainImagesPerSecond', 'epochs', 'bestEpoch', 'stoppedEarly', 'testAccuracy', 'testAccuracyTTA',
    'trainableParams', 'frozenParams', 'warnings']);
  // conv 1→4, 3×3 with bias: 40; fc 16→8: 136
  assert.deepEqual([r.trainableParams, r.frozenParams], [176, 0]);
  assert.match(c.out.stderr, /^training all 176 parameters$/m);
  assert.deepEqual(Object.keys((r.epochs as object[])[0]), ['trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'seconds']);
  assert.equal((r.epochs as object[]).length, 2);
  assert.equal(typeof r.testAccuracyTTA, 'number');
  assert.match(c.out.stderr, /epoch 2 \[#+\]/);
  assert.ok(existsSync(join(dir, 'w.safetensors')));
  const metrics = JSON.parse(readFileSync(join(dir, 'w.metrics.json'), 'utf8'));
  assert.equal(metrics.epochs.length, 2);
  assert.deepEqual(metrics.classNames.length, 8);
});

test('a folder of PNG images in class sub-folders trains, and a size mismatch suggests --resize', async () => {
  const dir = tempDir('convlens-images-');
  for (const [k, cls] of ['dark', 'light'].entries()) {
    mkdirSync(join(dir, cls));
    for (let i = 0; i < 10; i++) {
      const px = new Uint8Array(16 * 16 * 3).map((_, j) => (k ? 200 : 30) + ((i * 7 + j) % 20));
      writeFileSync(join(dir, cls, `${i}.png`), encodePng({ width: 16, height: 16, data: px, channels: 3, depth: 8 }));
    }
  }
  const bad = capture();
  assert.equal(await trainFromReport(model(2), parseTrainArgs(['m.py', '--data', dir]).options, bad.io), 1);
  assert.match(bad.out.stderr, /channels differ \(1 vs 3\).*--resize/);
  const ok = capture();
  assert.equal(await trainFromReport(model(2), parseTrainArgs(['m.py', '--data', dir, '--resize', '--epochs', '15', '--optimizer', 'adam', '--lr', '0.05', '--batch-size', '4', '--json']).options, ok.io), 0);
  assert.match(ok.out.stderr, /16 images of \(1, 12, 12\)/);
  assert.equal(JSON.parse(ok.out.stdout).testAccuracy, 1);
});

test('an untrainable layer is reported with its line and exit code 1', async () => {
  const m = model(8);
  m.graph[2] = { ...m.graph[2], type: 'LocalResponseNorm' };
  const c = capture();
  assert.equal(await trainFromReport(m, parseTrainArgs(['m.py', '--dataset', 'bars']).options, c.io), 1);
  assert.match(c.out.stderr, /LocalResponseNorm \(line 5\)/);
});

test('a bad --save path is refused before any training, with exit code 2', async () => {
  const dir = tempDir('convlens-save-');
  for (const save of [join(dir, 'no', 'w.safetensors'), dir]) {
    const { options } = parseTrainArgs(['m.py', '--dataset', 'bars', '--limit', '50', '--save', save]);
    const c = capture();
    assert.equal(await trainFromReport(model(8), options, c.io), 2);
    assert.match(c.out.stderr, /^convlens train: --save .*(does not exist|is a folder)/);
    assert.doesNotMatch(c.out.stderr, /training Net/);
  }
});
