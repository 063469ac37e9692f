// A forward() of several inputs (siamese nets, image + table): every input's shape, from `--input` repeated,
// `# convlens: input=(…), (…)` or the file's own `model(x1, x2)`; an input with no shape stays unknown and named.
// Truth from torch 1.13 on test/fixtures/pytorch/two_inputs.py (parameters, conv/linear MACs, output shapes):
//   PairNet at (1,1,28,28) + (1,1,20,20): 9,472 params, 442,624 MACs, outputs [1,32], [1,32], [1]
//   ImageAndTabular at (2,3,32,32) + (2,10): 561 params, 176,592 MACs for the batch of 2 (88,296 per sample), output [2,3]
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';
import { nodeHost } from '../../../engine/cli/node-files';
import { runSummary } from '../../../engine/cli/summary';
import { networkFor } from '../../../engine/train/graph/network-for';
import { FIXTURES } from '../golden/golden';

const FILE = join(FIXTURES, 'pytorch/two_inputs.py');
const SOURCE = readFileSync(FILE, 'utf8');
const model = (source: string, name: string, options = {}) => {
  const m = analyzeSource(FILE, source, { root: join(FIXTURES, 'pytorch'), ...options }).models.find((x) => x.name === name);
  assert.ok(m, name);
  return m;
};

test('shapes given as options: every input traced, totals exact, every output shape', () => {
  const m = model(SOURCE, 'PairNet', { input: [1, 1, 28, 28], extraInputs: [[1, 1, 20, 20]] });
  assert.equal(m.totalParams, 9472);
  assert.equal(m.macs, 442624);
  assert.equal(m.complete, true);
  assert.deepEqual(m.inputShapes, [[1, 1, 28, 28], [1, 1, 20, 20]]);
  assert.deepEqual(m.outputShapes, [[1, 32], [1, 32], [1]]);
  assert.deepEqual(m.unmodelled, []);
  const t = model(SOURCE, 'ImageAndTabular', { input: [2, 3, 32, 32], extraInputs: [[2, 10]] });
  assert.deepEqual([t.totalParams, t.macs, t.outputShape, t.complete], [561, 88296, [2, 3], true]);
  assert.equal(t.outputShapes, undefined);
});

test('the comment and the file\'s own call give every input', () => {
  const commented = SOURCE.replace('class PairNet', '# convlens: input=(1, 1, 28, 28), (1, 1, 20, 20)\nclass PairNet');
  const c = model(commented, 'PairNet');
  assert.deepEqual([c.inputShapeSource, c.macs, c.complete], ['comment', 442624, true]);
  assert.match(c.inputShapeOrigin, /input=\(1, 1, 28, 28\), \(1, 1, 20, 20\)/);
  const called = `${SOURCE}\nnet = ImageAndTabular()\ny = net(torch.randn(2, 3, 32, 32), torch.randn(2, 10))\n`;
  const n = model(called, 'net');
  assert.deepEqual([n.inputShapeSource, n.inputShapes, n.macs, n.complete], ['call', [[2, 3, 32, 32], [2, 10]], 88296, true]);
});

test('an input with no shape given is unknown and named at the user\'s line, never a copy of the first', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-multi-'));
  try {
    writeFileSync(join(dir, 'two_inputs.py'), SOURCE);
    const user = join(dir, 'use.py');
    const r = analyzeSource(user, 'from two_inputs import PairNet\n# convlens: input=(1, 1, 28, 28)\nnet = PairNet()\n', { host: nodeHost });
    const m = r.models[0];
    assert.equal(m.complete, false);
    assert.equal(m.macsComplete, false);
    assert.equal(m.totalParams, 9472);
    assert.deepEqual(m.unmodelled.map((u) => [u.name, u.line]), [['forward(…, right)', 3]]);
    assert.match(m.unmodelled[0].reason, /takes 2 inputs and ConvLens is given the shape of 1/);
    // the warning sits on the user's line 3, not on the class's line in two_inputs.py
    assert.ok(m.diagnostics.some((d) => d.code === 'unmodelled' && d.line === 3), JSON.stringify(m.diagnostics));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('convlens summary: --input once per input, in text and JSON', () => {
  const run = (args: string[]) => {
    const out: string[] = [];
    const code = runSummary(args, { out: (s) => out.push(s), err: (s) => out.push(s) });
    return { code, out: out.join('\n') };
  };
  const args = [FILE, '--entry', 'PairNet()', '--input', '1,1,28,28', '--input', '(1, 1, 20, 20)', '--no-snapshot-cache'];
  const text = run(args);
  assert.equal(text.code, 0);
  assert.match(text.out, /Input shapes: \(1, 1, 28, 28\), \(1, 1, 20, 20\) — given as/);
  assert.match(text.out, /Output shapes: \(1, 32\), \(1, 32\), \(1\)/);
  const json = JSON.parse(run([...args, '--json']).out).models[0];
  assert.deepEqual([json.inputShapes, json.outputShapes, json.macs], [[[1, 1, 28, 28], [1, 1, 20, 20]], [[1, 32], [1, 32], [1]], 442624]);
  assert.throws(() => run([FILE, '--input', '1,1,28,28', '--input', '1,x']), /--input must be a shape with its batch/);
});

test('training refuses a model of several inputs with the reason', () => {
  const m = model(SOURCE, 'ImageAndTabular', { input: [2, 3, 32, 32], extraInputs: [[2, 10]] });
  assert.throws(() => networkFor(m), /input \(line \d+\): the model takes 2 inputs; training feeds one/);
});

test('PairwiseDistance and CosineSimilarity (module, F. and torch.) shape as torch 1.13 does', () => {
  // torch 1.13 on (4, 32): [(4,), (4, 1), (4, 4), (32,), (4,)]; (4, 32) against (4, 31) raises
  const source = ['import torch, torch.nn as nn, torch.nn.functional as F', 'class M(nn.Module):', '    def __init__(self):',
    '        super().__init__()', '        self.cos = nn.CosineSimilarity(dim=-1)', '        self.pd = nn.PairwiseDistance(keepdim=True)',
    '    def forward(self, x):', '        a = self.cos(x, x[:1])', '        b = self.pd(x, x)',
    '        c = torch.cosine_similarity(x.unsqueeze(1), x.unsqueeze(0), dim=2)', '        d = F.cosine_similarity(x, x, 0)',
    '        return a, b, c, d, F.pairwise_distance(x, x[:, :1])', 'class Bad(nn.Module):',
    '    def forward(self, x):', '        return F.pairwise_distance(x, x[:, 1:])'].join('\n');
  const r = analyzeSource('/ws/d.py', source, { input: [4, 32] });
  const m = r.models.find((x) => x.name === 'M');
  assert.deepEqual([m?.outputShapes, m?.complete], [[[4], [4, 1], [4, 4], [32], [4]], true]);
  const bad = r.models.find((x) => x.name === 'Bad');
  assert.equal(bad?.complete, false);
  assert.ok(bad?.diagnostics.some((d) => d.severity === 'error' && /do not match at dimension 1/.test(d.message)), JSON.stringify(bad?.diagnostics));
});
