// Forward hooks and pre-hooks as nn.Module.__call__ runs them (feature extraction and Grad-CAM code). The truth is
// PyTorch 1.13 on the same file: a hook that saves a feature map fills its dict (it was a false KeyError), a hook
// that returns a value replaces the output, a pre-hook that returns a tuple replaces the arguments, and a handle's
// remove() takes the hook off.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';

const SRC = `import torch
import torch.nn as nn

feats = {}


def save(name):
    def hook(module, inp, out):
        feats[name] = out.detach()
    return hook


def keep_two(module, inp, out):
    return out[:, :2]


def crop(module, args):
    return (args[0][:, :50],)


model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.Flatten(), nn.Linear(50, 10))
h1 = model[0].register_forward_hook(save("conv"))
h2 = model[0].register_forward_hook(keep_two)
h3 = model[2].register_forward_pre_hook(crop)
out = model(torch.randn(1, 1, 8, 8))
h1.remove()
conv = feats["conv"]
head = nn.Linear(conv.shape[1] * out.shape[1], 3)
y = head(torch.randn(2, conv.shape[1] * out.shape[1]))
`;

test('hooks save features, replace outputs and arguments, and come off with remove(), as in PyTorch', () => {
  const r = analyzeSource('/ws/hooks.py', SRC);
  const errors = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  const model = r.models.find((m) => m.name === 'model')!, head = r.models.find((m) => m.name === 'head')!;
  // PyTorch: out (1, 10); feats['conv'] (1, 4, 6, 6), saved before keep_two ran; head Linear(40, 3) = 123
  assert.deepEqual(model.outputShape, [1, 10]);
  assert.equal(model.totalParams, 550);
  assert.equal(head.totalParams, 123);
  assert.deepEqual(head.outputShape, [2, 3]);
});

test('a removed hook no longer runs', () => {
  const src = SRC.replace('h1.remove()\n', '').replace('out = model(torch.randn(1, 1, 8, 8))\n',
    'h2.remove()\nh3.remove()\nmodel[2] = nn.Linear(144, 10)\nout = model(torch.randn(1, 1, 8, 8))\n');
  const r = analyzeSource('/ws/hooks.py', src);
  // without keep_two and crop, Linear(144, 10) takes the whole flattened (1, 144)
  assert.deepEqual(r.models.find((m) => m.name === 'model')!.outputShape, [1, 10]);
  assert.deepEqual([...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error'), []);
});
