// torch.nn.utils.weight_norm / spectral_norm / remove_weight_norm and the builtin delattr, against real PyTorch
// 1.13 (figures printed by torch for test/fixtures/pytorch/weight_reparam.py: named_parameters, named_buffers,
// and test/fixtures/memory_reference.py's saved() at batch 32). Before, these layers were unknown.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { analyzeEntry, FIXTURES } from '../golden/golden';
import { memoryAt, memoryModel } from '../../../engine/memory/estimate';
import { UnsupportedModel, buildNetwork } from '../../../engine/train/graph/build';

const FILE = join(FIXTURES, 'pytorch/weight_reparam.py');
const analyse = () => {
  const r = analyzeEntry(FILE, readFileSync(FILE, 'utf8'), 'Net()', [1, 3, 16, 16], join(FIXTURES, 'pytorch'));
  if (!r.ok) assert.fail(r.message);
  return r.model;
};

test('parameters and buffers are named, ordered and sized as PyTorch moves them', () => {
  const m = analyse();
  assert.deepEqual(m.parameters.map((p) => [p.name, p.shape]), [
    ['c1.bias', [16]], ['c1.weight_g', [16, 1, 1, 1]], ['c1.weight_v', [16, 3, 3, 3]], ['c2.bias', [8]],
    ['c2.weight_orig', [8, 16, 3, 3]], ['up.bias', [4]], ['up.weight_orig', [8, 4, 2, 2]], ['c3.bias', [4]],
    ['c3.weight', [4, 4, 1, 1]], ['fc.bias', [5]], ['fc.weight_g', []], ['fc.weight_v', [5, 4]],
  ]);
  assert.equal(m.totalParams, 1802);
  assert.ok(m.paramsComplete);
  assert.deepEqual(m.buffers?.map((b) => [b.name, b.shape]), [
    ['c2.weight_u', [8]], ['c2.weight_v', [144]], ['up.weight_u', [4]], ['up.weight_v', [32]],
  ]);
  // delattr(self, 'tmp') removed the child, as PyTorch's Module.__delattr__ does
  assert.ok(!m.layers.some((l) => l.path === 'tmp'));
});

test('the memory estimate counts the recomputed weights and says it leaves the norms out (a lower bound)', () => {
  for (const [batchSize, torchSaved] of [[1, 46432], [32, 1245264]]) {
    const mem = memoryAt(memoryModel(analyse()), { batchSize, dtype: 'float32', optimizer: 'adam' }).memory;
    assert.equal(mem.memoryComplete, false);
    assert.ok(mem.savedActivationsBytes <= torchSaved, `${mem.savedActivationsBytes} must stay a lower bound`);
    // within 2 % at batch 1, where the recomputed weights (6,928 bytes) are 15 % of the total
    assert.ok(mem.savedActivationsBytes >= torchSaved * 0.98, `${mem.savedActivationsBytes} vs ${torchSaved} at ${batchSize}`);
    assert.ok(mem.warnings.some((w) => w.includes('c1') && w.includes('weight_norm')));
  }
});

test('training refuses a reparametrised layer with its type and line', () => {
  assert.throws(() => buildNetwork(analyse()), (e: unknown) => e instanceof UnsupportedModel
    && e.problems.some((p) => p.line === 10 && /weight_norm\/spectral_norm/.test(p.why)));
});

test('torch.nn.utils.parametrizations.spectral_norm / weight_norm: names, buffers and counts as PyTorch registers them', () => {
  // PyTorch 1.13's named_parameters / named_buffers for spectral_norm (weight_norm's original0/original1 are 2.x's
  // layout, the same register_parametrization); Conv2d(16, 32, 4, 2, 1) on (2, 16, 16, 16): 32·16·16·8·8 MACs per
  // sample, which the parametrized conv keeps (a hook on leaf modules alone would miss it: it has children)
  const src = `import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import spectral_norm, weight_norm

class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.d1 = spectral_norm(nn.Conv2d(16, 32, 4, 2, 1))
        self.fc = weight_norm(nn.Linear(32, 3))

    def forward(self, x):
        return self.fc(self.d1(x).mean((2, 3)))
`;
  const r = analyzeEntry('/ws/d.py', src, 'D()', [2, 16, 16, 16], '/ws');
  if (!r.ok) assert.fail(r.message);
  assert.deepEqual(r.model.parameters.map((p) => [p.name, p.shape]), [
    ['d1.bias', [32]], ['d1.parametrizations.weight.original', [32, 16, 4, 4]],
    ['fc.bias', [3]], ['fc.parametrizations.weight.original0', [3, 1]], ['fc.parametrizations.weight.original1', [3, 32]],
  ]);
  assert.deepEqual(r.model.buffers?.map((b) => [b.name, b.shape]), [
    ['d1.parametrizations.weight.0._u', [32]], ['d1.parametrizations.weight.0._v', [256]],
  ]);
  assert.equal(r.model.totalParams, 32 + 8192 + 3 + 3 + 96);
  assert.equal(r.model.macs, 32 * 16 * 16 * 64 + 96);
  assert.equal(r.model.complete, true);
  assert.deepEqual(r.model.layers.map((l) => l.path), ['d1', 'fc']);
  assert.throws(() => buildNetwork(r.model), UnsupportedModel, 'training refuses it, as it refuses the hook-based API');
});

test('a layer of unknown sizes or an unknown class given to spectral_norm stays unknown (it raised AttributeError)', () => {
  const src = `import torch
import torch.nn as nn
from torch.nn.utils import weight_norm
from torch.nn.utils.parametrizations import spectral_norm
from mystery import Block, WIDTH

class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = spectral_norm(Block(3, 16))
        self.b = spectral_norm(nn.Conv2d(16, WIDTH, 3))
        self.w = weight_norm(nn.Conv2d(WIDTH, 4, 3))
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(self.w(self.b(self.a(x))).mean((2, 3)))
`;
  const r = analyzeEntry('/ws/d.py', src, 'D()', [1, 3, 16, 16], '/ws');
  if (!r.ok) assert.fail(r.message);
  assert.deepEqual(r.model.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual([r.model.paramsComplete, r.model.complete], [false, false]);
  assert.deepEqual(r.model.unmodelled.map((u) => u.name), ['Block', 'Conv2d', 'Conv2d']);
});
