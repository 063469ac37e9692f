// The input a model is analysed on when the file gives none: symbolic sizes of the rank its first layers read.
// A model that extracts patches with nn.Unfold before a Linear was given the Linear's (N, 48) and an error
// "Unfold expects a 4-D … input but receives 2-D (N, 48)" at the user's line; F.fold back to `x.shape[-2:]`
// refused the symbolic sizes ("output_size must hold integers ≥ 1, got ('H', 'W')").
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';

const PATCHES = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Patches(nn.Module):
    def __init__(self, p=4, d=32):
        super().__init__()
        self.p = p
        self.unfold = nn.Unfold(kernel_size=p, stride=p)
        self.proj = nn.Linear(3 * p * p, d)

    def forward(self, x):
        u = self.unfold(x)
        tokens = self.proj(u.transpose(1, 2))
        back = F.fold(u, output_size=x.shape[-2:], kernel_size=self.p, stride=self.p)
        return tokens, back
`;

const analyse = (src: string, input?: number[]) => analyzeSource('/t/p.py', src, input ? { input } : {}).models[0];
const errors = (m: ReturnType<typeof analyse>) => m.diagnostics.filter((d) => d.severity === 'error');

test('nn.Unfold first: a 4-D symbolic input, no error; F.fold back to the symbolic x.shape[-2:]', () => {
  const m = analyse(PATCHES);
  assert.deepEqual([m.inputShapeSource, m.inputShape], ['symbolic', ['N', 'C', 'H', 'W']]);
  assert.deepEqual(errors(m), []);
  assert.deepEqual(m.outputShapes, [['N', '(⌊(H-4)/4⌋+1)*(⌊(W-4)/4⌋+1)', 32], ['N', 'C', 'H', 'W']]);
  // torch 1.13, input (1, 3, 32, 32): tokens (1, 64, 32) — 8·8 patches of 3·4·4 — and fold's (1, 3, 32, 32)
  assert.deepEqual(analyse(PATCHES, [1, 3, 32, 32]).outputShapes, [[1, 64, 32], [1, 3, 32, 32]]);
});

test('a pooling layer first fixes the rank: MaxPool1d reads (N, C, L)', () => {
  const m = analyse(`import torch.nn as nn
class Pool1(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.MaxPool1d(2)
        self.fc = nn.Linear(8, 2)
    def forward(self, x):
        return self.fc(self.pool(x))
`);
  assert.deepEqual([m.inputShape?.length, errors(m)], [3, []]);
});

test('forward() failing on the first layer\'s rank: the next rank that runs is the guess, without a false error', () => {
  // a DDPM-style UNet whose time-embedding MLP is assigned first: (N, 64) made "Conv2d expects a 4-D input" an error
  const m = analyse(`import torch
import torch.nn as nn
import torch.nn.functional as F
class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.time_mlp = nn.Sequential(nn.Linear(64, 128), nn.SiLU())
        self.down = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.up = nn.Upsample(scale_factor=2)
        self.out = nn.Conv2d(19, 3, 1)
    def forward(self, x):
        h = self.down(x)
        h = F.interpolate(h, size=x.shape[2:]) if h.shape[2:] != x.shape[2:] else h
        return self.out(torch.cat([x, nn.Upsample(size=x.shape[-2:])(h)], dim=1))
`);
  assert.deepEqual([m.inputShape, errors(m), m.outputShape], [['N', 3, 'H', 'W'], [], ['N', 3, 'H', 'W']]);
  // a Linear first and a 3-D forward (`B, T, C = x.size()`): (N, C, L) rather than a false unpack error
  const t = analyse(`import torch.nn as nn
class Attn(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(32, 96)
    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.qkv(x).split(C, dim=2)
        return (q @ k.transpose(1, 2)).softmax(-1) @ v
`);
  assert.deepEqual([t.inputShape?.length, errors(t)], [3, []]);
});

const KIM = (pool: string) => `import torch
import torch.nn as nn
import torch.nn.functional as F
class KimCNN(nn.Module):
    def __init__(self, vocab=5000, dim=128, n_filters=100, sizes=(3, 4, 5), classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim)
        self.convs = nn.ModuleList([nn.Conv2d(1, n_filters, (k, dim)) for k in sizes])
        self.fc = nn.Linear(len(sizes) * n_filters, classes)
    def forward(self, x):
        x = self.embedding(x).unsqueeze(1)
        x = [F.relu(conv(x)).squeeze(3) for conv in self.convs]
        x = [${pool}.squeeze(2) for i in x]
        return self.fc(torch.cat(x, 1))
`;

test('global pooling over a symbolic length (`F.max_pool1d(i, i.size(2))`, Kim\'s text CNN): one output, no error', () => {
  // torch 1.13: 794,502 parameters; tokens (2, 50) give (2, 2)
  const m = analyse(KIM('F.max_pool1d(i, i.size(2))'));
  assert.deepEqual([m.inputShape, m.outputShape, m.totalParams, errors(m)], [['N', 'C'], ['N', 2], 794502, []]);
  assert.deepEqual(analyse(KIM('F.max_pool1d(i, i.size(2))'), [2, 50]).outputShape, [2, 2]);
  // a symbolic window that is not the whole input is unknown, said so — not an error, not a guess
  const half = analyse(KIM('F.max_pool1d(i, i.size(2) // 2)'));
  assert.deepEqual([errors(half), half.complete], [[], false]);
});

/** A stride-2 first convolution, then a Linear that pins the features. */
const strided = (padding: number, features: string) => `import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, stride=2, padding=${padding})
        self.fc = nn.Linear(${features}, 10)

    def forward(self, x):
        return self.fc(F.relu(self.conv(x)).view(x.size(0), -1))
`;

test('a Linear that several input sizes satisfy: a usual size among them, and the origin names the others', () => {
  // torch 1.13: Conv2d(1, 8, 3, stride=2, padding=1) makes 14×14 of both a 27×27 and a 28×28 input, so
  // Linear(8·14·14) runs on either; MNIST's 28 is shown, not the smallest (which training refused MNIST for)
  const m = analyse(strided(1, '8 * 14 * 14'));
  assert.deepEqual([m.inputShapeSource, m.inputShape], ['inferred', ['N', 1, 28, 28]]);
  assert.match(m.inputShapeOrigin, /which a 28×28 input gives \(so does any size from 27×27 to 28×28\)$/);
  // 11×11 comes of 23×23 and 24×24: no usual size among them, the smallest is shown
  const odd = analyse(strided(0, '8 * 11 * 11'));
  assert.deepEqual(odd.inputShape, ['N', 1, 23, 23]);
  assert.match(odd.inputShapeOrigin, /so does any size from 23×23 to 24×24/);
});

/** PyTorch's CIFAR-10 tutorial's shape: pools, then `x.view(-1, features)` before the Linear. */
const VIEWED = `import torch.nn as nn
import torch.nn.functional as F


class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 5)
        self.c2 = nn.Conv2d(8, 12, 5)
        self.fc = nn.Linear(FEATURES, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.view(-1, FEATURES))
`;

test('`x.view(-1, 12 * 5 * 5)` before the Linear: the common size the view keeps the batch for is inferred', () => {
  // torch 1.13: a (1, 3, 28, 28) input fails ("shape '[-1, 300]' is invalid for input of size 192"), 32×32 runs:
  // (2, 10), 6,030 parameters; MACs per image 8·28·28·75 + 12·10·10·200 + 300·10 = 713,400
  const m = analyse(VIEWED.replaceAll('FEATURES', '12 * 5 * 5'));
  assert.deepEqual([m.inputShapeSource, m.inputShape, m.outputShape, m.totalParams, m.macs, errors(m)],
    ['inferred', ['N', 3, 32, 32], ['N', 10], 6030, 713400, []]);
  assert.match(m.inputShapeOrigin, /keeps the batch for a 32×32 input, a common size/);
  // no common size gives 12·h·w = 343: the input stays symbolic, the batch unknown, and no error is made up
  const none = analyse(VIEWED.replaceAll('FEATURES', '7 * 7 * 7'));
  assert.deepEqual([none.inputShapeSource, none.outputShape, errors(none)], ['symbolic', [null, 10], []]);
});

test('a VGG-style `view(-1, 8 * 7 * 7)` after five pools: 224×224, past the sizes the view cannot take', () => {
  // torch 1.13: 28×28 fails in the fifth pool, 32×32 in the view (8 elements), 224×224 runs; 6,490 parameters
  const m = analyse(`import torch.nn as nn


class C(nn.Module):
    def __init__(self):
        super().__init__()
        layers = []
        for i in range(5):
            layers += [nn.Conv2d(3 if i == 0 else 8, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        self.f = nn.Sequential(*layers)
        self.fc = nn.Linear(8 * 7 * 7, 10)

    def forward(self, x):
        return self.fc(self.f(x).view(-1, 8 * 7 * 7))
`);
  assert.deepEqual([m.inputShape, m.outputShape, m.totalParams, errors(m)], [['N', 3, 224, 224], ['N', 10], 6490, []]);
});
