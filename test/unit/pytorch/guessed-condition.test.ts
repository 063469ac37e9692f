// A model built or traced past a condition of the user's file that ConvLens cannot evaluate rests on a guess (the
// interpreter takes the condition as false): its counts are never given as exact, and a warning names the line.
// The widths below are what PyTorch builds with the script run as `python net.py` (no arguments): `else` branches.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { runSummary } from '../../../engine/cli/summary';
import { tempDir } from '../temp-dir';

const BEFORE = ['import sys', 'import torch.nn as nn', 'if len(sys.argv) > 1 and sys.argv[1] == "wide":', '    width = 64',
  'else:', '    width = 8', 'model = nn.Sequential(nn.Linear(4, width), nn.ReLU(), nn.Linear(width, 2))'].join('\n');

test('a condition on sys.argv before the model: the else branch, not exact, the line named', () => {
  const m = analyzeSource('/ws/net.py', BEFORE).models[0];
  assert.deepEqual([m.totalParams, m.complete, m.paramsComplete], [40 + 18, false, false]);
  const w = m.diagnostics.filter((d) => d.code === 'guessed-condition');
  assert.deepEqual(w.map((d) => [d.severity, d.line]), [['warning', 7]]);
  assert.match(w[0].message, /^ConvLens cannot evaluate the condition on line 3 before this model was built and went on as if it were false/);
  const file = join(tempDir('convlens-guess-'), 'net.py');
  writeFileSync(file, BEFORE);
  const out: string[] = [];
  runSummary([file], { out: (l) => out.push(l), err: (l) => out.push(l) });
  assert.match(out.join('\n'), /\nTotal params: ≥ 58\n[^]*\n≥: ConvLens cannot evaluate the condition on line 3 before this model was built/);
});

test('a condition on an unknown config value inside __init__ and in forward', () => {
  const src = ['import os, torch, torch.nn as nn', 'class Net(nn.Module):', '    def __init__(self, cfg):',
    '        super().__init__()', '        self.cfg = cfg', '        if cfg["deep"]:', '            self.body = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4))',
    '        else:', '            self.body = nn.Linear(4, 4)', '    def forward(self, x):', '        return self.body(x)',
    'class Head(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(4, 2)',
    '        self.extra = os.environ["EXTRA_SCALE"]', '    def forward(self, x):', '        if self.extra:', '            x = x * 2',
    '        return self.fc(x)',
    'import json', 'model = Net(json.load(open("/nowhere/cfg.json")))', 'head = Head()', 'head(torch.randn(1, 4))'].join('\n');
  const r = analyzeSource('/ws/net.py', src);
  const byName = new Map(r.models.map((m) => [m.name, m]));
  const net = byName.get('model')!, head = byName.get('head')!;
  assert.equal(net.complete, false);
  assert.match(net.diagnostics.find((d) => d.code === 'guessed-condition')!.message, /on line 6 while this model was built/);
  assert.equal(head.complete, false);
  assert.match(head.diagnostics.find((d) => d.code === 'guessed-condition')!.message, /on line 18 in its forward pass/);
});

test('a guess after the model was built, or inside a library, leaves the model exact', () => {
  const src = ['import sys, torch, torchvision', 'model = torchvision.models.resnet18(num_classes=10)',
    'if len(sys.argv) > 2:', '    print("verbose")', 'y = model(torch.randn(1, 3, 64, 64))'].join('\n');
  const m = analyzeSource('/ws/net.py', src).models[0];
  // PyTorch 1.13 + torchvision 0.14: resnet18 with a 10-class fc
  assert.deepEqual([m.totalParams, m.complete], [11_181_642, true]);
  assert.equal(m.diagnostics.filter((d) => d.code === 'guessed-condition').length, 0);
});

test('a guess that chose a value the model never reads leaves it exact; one its class reads does not', () => {
  const src = ['import sys, torch.nn as nn', 'depth = int(sys.argv[2]) if len(sys.argv) > 2 else 3',
    'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(4, WIDTH)',
    'WIDTH = 16 if len(sys.argv) > 3 else 2', 'plain = nn.Sequential(nn.Linear(4, 2))', 'net = Net()'].join('\n');
  const r = analyzeSource('/ws/net.py', src);
  const byName = new Map(r.models.map((m) => [m.name, m]));
  assert.equal(byName.get('plain')!.complete, true);
  assert.equal(byName.get('net')!.complete, false);
  assert.match(byName.get('net')!.diagnostics.find((d) => d.code === 'guessed-condition')!.message, /on line 7 before/);
});

test('a Keras functional model whose layer took a guessed value through module-level tensors', () => {
  const src = ['import sys', 'import keras', 'from keras import layers', 'filters = 64 if len(sys.argv) > 1 else 32',
    'inputs = keras.Input(shape=(28, 28, 1))', 'x = layers.Conv2D(filters, 3)(inputs)', 'x = layers.GlobalAveragePooling2D()(x)',
    'outputs = layers.Dense(10)(x)', 'model = keras.Model(inputs, outputs)', 'other = keras.Sequential([keras.Input((4,)), layers.Dense(2)])'].join('\n');
  const r = analyzeSource('/ws/net.py', src);
  const byName = new Map(r.models.map((m) => [m.name, m]));
  // Keras 3: Conv2D(32, 3) on 1 channel is 320 parameters, Dense(10) on 32 is 330
  assert.deepEqual([byName.get('model')!.totalParams, byName.get('model')!.complete], [650, false]);
  assert.match(byName.get('model')!.diagnostics.find((d) => d.code === 'guessed-condition')!.message, /on line 4 before/);
  assert.equal(byName.get('other')!.complete, true);
});
