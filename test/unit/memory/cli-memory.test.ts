// `convlens summary` with the memory flags: the JSON names issue 16 fixes, the table's memory
// section and Saved column, --fit's answer consistent with the training peaks, and clear errors.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { runSummary } from '../../../engine/cli/summary';
import { parseByteSize, formatBytes, formatBudget } from '../../../engine/memory/size';
import { tempDir } from '../temp-dir';

const dir = tempDir('convlens-mem-');
const file = join(dir, 'net.py');
writeFileSync(file, `import torch.nn as nn
# convlens: input=(1, 3, 32, 32)
net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(inplace=True), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Dropout(0.5), nn.Linear(16 * 16 * 16, 10))
`);

function run(args: string[]): string {
  const out: string[] = [];
  runSummary([file, ...args], { out: (l) => out.push(l), err: () => undefined });
  return out.join('\n');
}

test('the JSON carries the memory object and per-row savedBytes under the issue\'s names', () => {
  const m = JSON.parse(run(['--json', '--batch-size', '32', '--optimizer', 'adam', '--fit', '8GB'])).models[0];
  for (const k of ['batchSize', 'dtype', 'optimizer', 'paramsBytes', 'gradientsBytes', 'optimizerStateBytes', 'buffersBytes',
    'savedActivationsBytes', 'inferencePeakBytes', 'trainingPeakBytes', 'largestBatch']) assert.ok(k in m.memory, k);
  assert.equal(m.memory.batchSize, 32);
  assert.equal(m.memory.dtype, 'float32');
  assert.equal(m.memory.optimizer, 'adam');
  assert.equal(m.memory.fitBytes, 8e9);
  const params = 3 * 16 * 9 + 16 + 32 + 4096 * 10 + 10;
  assert.equal(m.memory.paramsBytes, params * 4);
  assert.equal(m.memory.buffersBytes, 2 * 16 * 4 + 8);
  assert.equal(m.memory.optimizerStateBytes, 2 * params * 4 + 6 * 4);
  assert.equal(m.layers.reduce((n: number, l: { savedBytes: number }) => n + l.savedBytes, 0), m.memory.savedActivationsBytes);
  // the answer is consistent with the peaks at the answer and one more
  const peak = (b: number) => JSON.parse(run(['--json', '--batch-size', String(b), '--optimizer', 'adam'])).models[0].memory.trainingPeakBytes;
  assert.ok(peak(m.memory.largestBatch) <= 8e9 && peak(m.memory.largestBatch + 1) > 8e9);
});

test('largestBatch only with --fit; defaults are the training panel\'s (32, adam, float32)', () => {
  const m = JSON.parse(run(['--json'])).models[0].memory;
  assert.equal('largestBatch' in m, false);
  assert.deepEqual([m.batchSize, m.optimizer, m.dtype], [32, 'adam', 'float32']);
  const sgd = JSON.parse(run(['--json', '--optimizer', 'sgd', '--momentum', '--dtype', 'bfloat16'])).models[0].memory;
  assert.deepEqual([sgd.optimizer, sgd.dtype], ['sgd-momentum', 'bfloat16']);
  assert.equal(sgd.optimizerStateBytes, sgd.paramsBytes);
});

test('the table shows the memory section and a Saved column only when asked', () => {
  assert.doesNotMatch(run([]), /Memory|Saved/);
  const t = run(['--batch-size', '8', '--optimizer', 'sgd-momentum', '--fit', '1GiB']);
  for (const s of ['Saved', 'Memory (batch 8, float32, sgd-momentum)', 'Params:', 'Gradients:', 'Optimizer state:',
    'Activations (saved for backward):', 'Training peak ≈', 'Inference peak ≈', 'Largest batch for 1 GiB:']) assert.ok(t.includes(s), s);
});

test('bad memory flags are usage errors that say what is accepted', () => {
  assert.throws(() => run(['--batch-size', '0']), /--batch-size must be a whole number ≥ 1 \(got 0\)/);
  assert.throws(() => run(['--optimizer', 'lamb']), /--optimizer must be one of sgd, sgd-momentum, adam, adamw, rmsprop \(got lamb\)/);
  assert.throws(() => run(['--dtype', 'float64']), /--dtype must be one of float32, float16, bfloat16/);
  assert.throws(() => run(['--fit', 'lots']), /--fit must be a memory size/);
  assert.throws(() => run(['--optimizer', 'adam', '--momentum']), /--momentum goes with --optimizer sgd/);
});

test('sizes: decimal and binary units, printed back', () => {
  assert.equal(parseByteSize('8GB'), 8e9);
  assert.equal(parseByteSize('8 GiB'), 8 * 2 ** 30);
  assert.equal(parseByteSize('8G'), 8 * 2 ** 30);
  assert.equal(parseByteSize('512mb'), 512e6);
  assert.equal(parseByteSize('1.5GB'), 1.5e9);
  assert.equal(parseByteSize('1000'), 1000);
  for (const bad of ['', 'GB', '-1GB', '8 XB', '0']) assert.equal(parseByteSize(bad), undefined, bad);
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(110 * 2 ** 20), '110 MiB');
  assert.equal(formatBytes(1000 * 2 ** 20), '1000 MiB');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBudget(8e9), '8 GB');
  assert.equal(formatBudget(2 ** 30), '1 GiB');
});
