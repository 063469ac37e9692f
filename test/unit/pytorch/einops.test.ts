// einops (the stand-in in engine/frameworks/pytorch/bundled/einops.ts): what PyTorch does with each pattern is
// in test/fixtures/pytorch/135_einops_patterns.* (goldens from torch 1.13 with einops 0.8.2); here, what the
// engine does where a pattern is wrong or a part of einops is not modelled, and that an installed einops
// (which needs `sys.modules` and `__subclasses__()` to find its backend) never replaces the stand-in.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';
import { runSummary } from '../../../engine/cli/summary';
import { tempDir } from '../temp-dir';

const HEAD = 'import torch.nn as nn\nfrom einops import rearrange, reduce, repeat\n';
const net = (forward: string, init = '        self.fc = nn.Linear(48, 4)') =>
  `${HEAD}\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n${init}\n\n    def forward(self, x):\n${forward}\n`;
const analyse = (source: string, input: number[]) => {
  const r = analyzeSource('/ws/net.py', source, { root: '/ws', input, host: { readFile: () => undefined } });
  const m = r.models.find((x) => x.name === 'Net');
  assert.ok(m, 'the model is found');
  return { m, diagnostics: [...r.diagnostics, ...m.diagnostics] };
};

test('a pattern that does not fit the tensor is an error at the user\'s line, as einops raises it', () => {
  const source = net("        x = rearrange(x, 'b (h w) c -> b h w c', h=5)\n        return self.fc(x)");
  const { m, diagnostics } = analyse(source, [2, 16, 48]);
  const error = diagnostics.find((d) => d.severity === 'error');
  assert.ok(error, 'an error');
  assert.equal(error.line, 10);
  assert.match(error.message, /EinopsError: Shape mismatch, can't divide axis of length 16 in chunks of 5/);
  assert.equal(m.complete, false);
});

test('axes on one side only, an unsized new axis and a wrong rank are errors, not guesses', () => {
  const cases: Array<[string, RegExp]> = [
    ["rearrange(x, 'b n c -> b c')", /Identifiers only on one side of expression \(should be on both\): n/],
    ["repeat(x, 'b n c -> b n c r')", /Specify sizes for new axes in repeat: r/],
    ["rearrange(x, 'b c -> c b')", /Wrong shape: expected 2 dims\. Received 3-dim tensor/],
    ["reduce(x, 'b n c -> b c', 'median')", /Unknown reduction median/],
  ];
  for (const [call, message] of cases) {
    const { m, diagnostics } = analyse(net(`        x = ${call}\n        return self.fc(x)`), [2, 16, 48]);
    assert.match(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('\n'), message, call);
    assert.equal(m.complete, false, call);
  }
});

test('EinMix, which the stand-in does not model, is named and the totals are lower bounds', () => {
  const source = net('        return self.fc(self.mix(x))', [
    "        self.mix = EinMix('b t c -> b t c2', weight_shape='c c2', c=16, c2=48)",
    '        self.fc = nn.Linear(48, 4)',
  ].join('\n')).replace('from einops import', 'from einops.layers.torch import EinMix\nfrom einops import');
  const { m, diagnostics } = analyse(source, [2, 8, 16]);
  assert.equal(m.complete, false);
  assert.equal(m.paramsComplete, false);
  assert.ok(m.unmodelled.some((u) => u.name === 'EinMix'), JSON.stringify(m.unmodelled));
  assert.ok(diagnostics.some((d) => d.code === 'unmodelled' && /EinMix/.test(d.message)));
});

test('an installed einops is shadowed by the stand-in, and the summary says which was read', () => {
  const dir = tempDir('convlens-einops-');
  const site = join(dir, '.venv', 'lib', 'python3.11', 'site-packages');
  mkdirSync(join(site, 'einops'), { recursive: true });
  writeFileSync(join(dir, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\nversion = 3.11.2\n');
  // what the real package does when it cannot find its backend
  writeFileSync(join(site, 'einops', '__init__.py'), 'def rearrange(x, pattern, **k):\n    raise RuntimeError("Tensor type unknown to einops")\n');
  writeFileSync(join(dir, 'net.py'), net("        x = rearrange(x, 'b (h w) c -> b h w c', h=4)\n        return self.fc(x)"));
  const out: string[] = [];
  const code = runSummary([join(dir, 'net.py'), '--entry', 'Net()', '--input', '2,16,48'], { out: (s) => out.push(s), err: (s) => out.push(s) });
  const text = out.join('\n');
  assert.equal(code, 0, text);
  assert.match(text, /Output shape: \(2, 4, 4, 4\)/);
  assert.match(text, /einops: built-in einops \(ConvLens stand-in\)/);
  assert.doesNotMatch(text, /Tensor type unknown/);
});
