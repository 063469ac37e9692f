// Layers forward() runs that the model does not own (a plain list or dict, made in forward()):
// PyTorch runs them, so their MACs count, but model.parameters() leaves their weights out — the
// totals stay PyTorch's and a warning says why. Truth from PyTorch 1.13 (run on these sources):
// plain list → sum(p.numel() for p in model.parameters()) = 170 (fc only), output (1, 10);
// made in forward → 224 (conv only), output (1, 12544). MACs by the lecture's formula:
// Conv2d(3, 8, 3) on 32×32 = 8·3·9·30·30 = 194,400; Conv2d(8, 16, 3) on 30×30 = 16·8·9·28·28 = 903,168.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { buildNetwork } from '../../../engine/train/graph/build';
import { net } from './net-source';


const PLAIN_LIST = net(
  '',
  'self.layers = [nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 16, 3)]\nself.fc = nn.Linear(16, 10)',
  'for l in self.layers:\n    x = l(x)\nreturn self.fc(x.mean((2, 3)))',
);

test('a plain list of layers: rows and MACs for each call, parameters as PyTorch counts them, a warning per layer', () => {
  const [m] = analyzeSource('/ws/net.py', PLAIN_LIST).models;
  assert.equal(m.totalParams, 170);
  assert.equal(m.trainableParams, 170);
  assert.equal(m.macs, 194_400 + 903_168 + 160);
  assert.deepEqual(m.outputShape, [1, 10]);
  assert.deepEqual(m.layers.map((r) => r.path), ['layers[0]', 'layers[1]', 'layers[2]', 'fc']);
  assert.deepEqual(m.layers.map((r) => r.params), [224, 0, 1168, 170]);
  assert.equal(m.layers[0].trainableParams, 0, 'the optimiser never sees it');
  const warn = m.diagnostics.filter((d) => d.code === 'unregistered-layer');
  assert.equal(warn.length, 2, 'the two convolutions, not the ReLU');
  assert.equal(warn[0].line, 8);
  assert.match(warn[0].message, /self\.layers\[0\].*224 parameters.*nn\.ModuleList/);
});

test('a plain dict of layers names the key and suggests nn.ModuleDict', () => {
  const src = net('', "self.blocks = {'a': nn.Conv2d(3, 8, 3)}", "return self.blocks['a'](x)");
  const [m] = analyzeSource('/ws/net.py', src).models;
  assert.equal(m.totalParams, 0);
  assert.equal(m.macs, 194_400);
  assert.match(m.diagnostics.find((d) => d.code === 'unregistered-layer')?.message ?? '', /self\.blocks\['a'\].*nn\.ModuleDict/);
});

test('a layer made inside forward(): its MACs count, its parameters are not the model\'s', () => {
  const src = net('', 'self.conv = nn.Conv2d(3, 8, 3)', 'x = self.conv(x)\nx = nn.Conv2d(8, 16, 3)(x)\nreturn x.flatten(1)');
  const [m] = analyzeSource('/ws/net.py', src).models;
  assert.equal(m.totalParams, 224);
  assert.equal(m.macs, 194_400 + 903_168);
  assert.deepEqual(m.outputShape, [1, 12544]);
  const warn = m.diagnostics.find((d) => d.code === 'unregistered-layer');
  assert.equal(warn?.line, 11);
  assert.match(warn?.message ?? '', /made in forward\(\).*1,168 parameters/);
});

test('registered layers give no such warning, and the training engine refuses weights it would train wrongly', () => {
  const ok = net('', 'self.layers = nn.ModuleList([nn.Conv2d(3, 8, 3)])', 'for l in self.layers:\n    x = l(x)\nreturn x');
  const [good] = analyzeSource('/ws/net.py', ok).models;
  assert.equal(good.totalParams, 224);
  assert.ok(!good.diagnostics.some((d) => d.code === 'unregistered-layer'));
  const [bad] = analyzeSource('/ws/net.py', PLAIN_LIST).models;
  assert.throws(() => buildNetwork(bad), /not registered with the model/);
});
