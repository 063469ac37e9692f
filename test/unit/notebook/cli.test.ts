// `convlens summary|check notebook.ipynb`: places print as `cell 3, line 4`; the JSON carries
// `cell` (1-based among all cells) and `line` (within the cell) on models, rows and diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCheck, runSummary } from '../../../engine/cli/summary';
import { tempDir } from '../temp-dir';

const FIXTURE = resolve(__dirname, '../../fixtures/notebooks/01_cifar_cells.ipynb');

function run(cmd: typeof runSummary, args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  const code = cmd(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

test('summary of a notebook names the cell and the line within it', () => {
  const r = run(runSummary, [FIXTURE]);
  assert.equal(r.code, 0);
  assert.equal(r.out[0], 'model (pytorch, cell 7, line 1)');
  assert.match(r.out.join('\n'), /Total params: 620,586/);
  assert.match(r.out.join('\n'), /Input shape: \(1, 3, 32, 32\) — the call in cell 8, line 2/);
});

test('summary --json of a notebook: cell and line on the model, its rows and diagnostics', () => {
  const json = JSON.parse(run(runSummary, [FIXTURE, '--json']).out[0]);
  const m = json.models[0];
  assert.deepEqual([m.cell, m.line], [7, 1]);
  const fc1 = m.layers.find((l: { path: string }) => l.path === 'fc1');
  assert.deepEqual([fc1.cell, fc1.line], [6, 6]);
  const conv = m.layers.find((l: { path: string }) => l.path === 'features.0.0');
  assert.deepEqual([conv.cell, conv.line], [5, 3]);
  assert.equal(Object.keys(m)[2], 'cell');
});

test('check of a notebook: diagnostics as FILE:cell N, line M, and the exit code', () => {
  const dir = tempDir('convlens-nb-');
  const file = join(dir, 'shapes.ipynb');
  const cells = ['import torch\nimport torch.nn as nn', '# a comment\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(16, 8, 3))\ny = net(torch.randn(1, 3, 16, 16))'];
  writeFileSync(file, JSON.stringify({ cells: cells.map((source) => ({ cell_type: 'code', source, metadata: {}, outputs: [] })), nbformat: 4, nbformat_minor: 5, metadata: {} }));
  const r = run(runCheck, [file]);
  assert.equal(r.code, 1);
  assert.match(r.out[0], /shapes\.ipynb:cell 2, line 2: error \[channel-mismatch\]/);
  const json = JSON.parse(run(runCheck, [file, '--json']).out[0]);
  assert.deepEqual(json.diagnostics.map((d: { cell: number; line: number; code: string }) => [d.cell, d.line, d.code]), [[2, 2, 'channel-mismatch']]);

  writeFileSync(file, '{"cells": [');
  const bad = run(runSummary, [file]);
  assert.equal(bad.code, 0);
  assert.match(bad.err[0], /shapes\.ipynb:1: error \[notebook-invalid\] the notebook is not valid JSON/);
  assert.match(bad.out[0], /not valid JSON/);
  assert.equal(run(runCheck, [file]).code, 1);
});
