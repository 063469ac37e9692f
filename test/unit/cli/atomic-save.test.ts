// `convlens train --save` killed (SIGKILL) at random moments: the weights file is always the old
// one intact or a new one complete, and a metrics file beside it always describes those weights
// (its weightsSha256). Also the output path checks that run before any training.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { checkWritableFile, writeFileAtomic } from '../../../engine/cli/atomic-file';
import { readSafetensors } from '../../../engine/train/save/safetensors';
import { Rng } from '../../../engine/train/tensor/rng';
import { tempDir } from '../temp-dir';

const MAIN = resolve(__dirname, '../../../engine/cli/main.ts');
// ~2.4 MB of weights, so that a save takes long enough to be hit now and then.
const MODEL = `# convlens: input=(1, 1, 12, 12)
import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.fc1 = nn.Linear(8 * 12 * 12, 512)
        self.fc2 = nn.Linear(512, 8)
    def forward(self, x):
        return self.fc2(self.fc1(self.conv(x).relu().flatten(1)).relu())
`;

/** Runs `convlens train --save`, killing it `killAfterMs` after training starts (never, when undefined). */
function trainChild(dir: string, seed: number, killAfterMs?: number): Promise<{ code: number | null; trainMs: number }> {
  const args = ['--import', 'tsx', MAIN, 'train', join(dir, 'net.py'), '--dataset', 'bars', '--limit', '64', '--epochs', '3',
    '--seed', String(seed), '--save', join(dir, 'net.safetensors')];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '1' } });
  let started = 0;
  child.stderr.on('data', (d: Buffer) => {
    if (started || !d.toString().includes('training Net')) return;
    started = performance.now();
    if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
  return new Promise((ok) => child.on('exit', (code) => ok({ code, trainMs: performance.now() - started })));
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('a train --save killed at random moments leaves the old weights or complete new ones, never a torn pair', async () => {
  const dir = tempDir('convlens-kill-');
  writeFileSync(join(dir, 'net.py'), MODEL);
  const first = await trainChild(dir, 0);
  assert.equal(first.code, 0);
  const weights = join(dir, 'net.safetensors'), metrics = join(dir, 'net.metrics.json');
  let before = readFileSync(weights);
  assert.equal(JSON.parse(readFileSync(metrics, 'utf8')).status, 'completed');
  const rng = new Rng(14);
  for (let i = 1; i <= 5; i++) {
    const { code } = await trainChild(dir, i, rng.uniform() * first.trainMs * 1.1);
    const now = readFileSync(weights);
    // complete: the safetensors header and every tensor are there (a torn file fails to parse)
    assert.equal(readSafetensors(now).size, 6, `iteration ${i}`);
    const same = Buffer.compare(now, before) === 0;
    if (existsSync(metrics)) {
      const m = JSON.parse(readFileSync(metrics, 'utf8')) as { status: string; weightsSha256: string };
      assert.equal(m.weightsSha256, sha256(now), `iteration ${i}: the metrics describe other weights`);
      // a kill may land after the run wrote its completed files and before the process exits
      const statuses = code === 0 ? ['completed'] : ['interrupted', 'completed'];
      assert.ok(statuses.includes(m.status), `iteration ${i}: ${m.status} (exit ${code}, ${same ? 'old' : 'new'} weights)`);
    }
    before = now;
  }
  // a run after the kills cleans up the temporary files the killed ones left
  assert.equal((await trainChild(dir, 9)).code, 0);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('output paths are checked before training: missing folder, a folder, a path under a file', () => {
  const dir = tempDir('convlens-paths-');
  writeFileSync(join(dir, 'file'), 'x');
  mkdirSync(join(dir, 'folder'));
  assert.throws(() => checkWritableFile(join(dir, 'missing', 'w.safetensors'), '--save'), /--save: the folder .*missing does not exist; create it first/);
  assert.throws(() => checkWritableFile(join(dir, 'folder'), '--save'), /--save: is a folder; give a file name in it/);
  assert.throws(() => checkWritableFile(join(dir, 'file', 'w.safetensors'), '--save'), /--save: a part of the path is a file, not a folder/);
  checkWritableFile(join(dir, 'ok.safetensors'), '--save');
  assert.deepEqual(readdirSync(dir).sort(), ['file', 'folder'], 'the probe leaves nothing behind');
  writeFileAtomic(join(dir, 'ok.txt'), 'new');
  writeFileAtomic(join(dir, 'ok.txt'), 'newer');
  assert.equal(readFileSync(join(dir, 'ok.txt'), 'utf8'), 'newer');
  assert.deepEqual(readdirSync(dir).sort(), ['file', 'folder', 'ok.txt']);
});
