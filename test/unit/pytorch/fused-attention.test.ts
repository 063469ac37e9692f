// F.scaled_dot_product_attention (PyTorch 2; Debian's torch 1.13 has no such function): its documented shapes,
// query (…, L, E), key (…, S, E), value (…, S, Ev) → (…, L, Ev) with the leading dims broadcast. The expected
// shape was checked in torch 1.13 by the same computation written out, softmax(q @ kᵀ) @ v: (2, 4, 10, 5).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';

const model = (forward: string) => {
  const source = [
    'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', '',
    'class Net(nn.Module):', '    def forward(self, x):', ...forward.split('\n').map((l) => `        ${l}`), '',
  ].join('\n');
  const m = analyzeSource('/ws/net.py', source, { root: '/ws', input: [2, 4, 10, 8], host: { readFile: () => undefined } }).models[0];
  assert.ok(m);
  return m;
};

test('cross-attention with broadcast heads and batch: (…, L, Ev)', () => {
  const m = model('k = torch.zeros(1, 4, 7, 8)\nv = torch.zeros(2, 1, 7, 5)\nreturn F.scaled_dot_product_attention(x, k, v, is_causal=False)');
  assert.deepEqual(m.outputShape, [2, 4, 10, 5]);
  assert.equal(m.complete, true);
});

test('a key that is not a tensor is the TypeError torch raises, at the user\'s line; an unknown one stays unknown', () => {
  const bad = model('return F.scaled_dot_product_attention(x, None, x)');
  assert.equal(bad.complete, false);
  assert.ok(bad.diagnostics.some((d) => d.severity === 'error' && d.line === 7 && /TypeError: .*argument 'key' must be Tensor/.test(d.message)),
    JSON.stringify(bad.diagnostics));
  const unknownKey = model('import nothere\nreturn F.scaled_dot_product_attention(x, nothere.k, x)');
  assert.equal(unknownKey.outputShape, null);
  assert.equal(unknownKey.complete, false);
});
