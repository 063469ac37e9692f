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
