// Training honours requires_grad=False as PyTorch does: frozen parameters keep their (seeded) initial
// values bit for bit, trainable ones move, BatchNorm's running statistics still move in a frozen
// layer, a parameter no layer reads gets no weight decay; a flag ConvLens cannot know is refused; the
// CLI says what it trains and saves weights that say so (a Keras model's trainable=False: keras-cli.test.ts). The
// counts are PyTorch's (in the comments, and the fine-tuning goldens' at the end).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { runTrain } from '../../../engine/cli/train';
import type { ModelReport } from '../../../engine/report/types';
import { syntheticSplits } from '../../../engine/train/data/synthetic';
import { buildNetwork, UnsupportedModel } from '../../../engine/train/graph/build';
import type { Network } from '../../../engine/train/graph/network';
import { paramCounts, trainingLine } from '../../../engine/train/graph/trainable';
import { initParams } from '../../../engine/train/init/init';
import { train } from '../../../engine/train/loop/train';
import { trainWarnings } from '../../../engine/train/loop/warnings';
import { readSafetensors } from '../../../engine/train/save/safetensors';
import { Rng } from '../../../engine/train/tensor/rng';
import { analyzeEntry, FIXTURES, fixturesIn } from '../golden/golden';
import { tempDir } from '../temp-dir';

/** A frozen stem (conv1, bn1), only conv2's bias frozen, a trainable head, and a layer never called. */
const FINETUNE = (freezeBias = 'False') => `import torch
import torch.nn as nn
import torch.nn.functional as F
import settings


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32, 8)
        self.spare = nn.Linear(4, 4)  # defined, never called

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.relu(self.bn2(self.conv2(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


# convlens: input=(1, 3, 12, 12)
model = Net()
for p in model.conv1.parameters():
    p.requires_grad = False
model.bn1.requires_grad_(False)
model.conv2.bias.requires_grad = ${freezeBias}
`;
const FROZEN = ['conv1.weight', 'conv1.bias', 'bn1.weight', 'bn1.bias', 'conv2.bias'];

const capture = () => {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } };
};
const report = (source: string): ModelReport => analyzeSource('finetune.py', source).models[0];
const values = (net: Network): Map<string, Float32Array> => new Map(net.state.map((e) => [e.name, Float32Array.from(e.value)]));

/** The weights a run with this seed starts from (train() initialises with a generator of its seed, first thing). */
function seeded(model: ModelReport, seed: number): Map<string, Float32Array> {
  const net = buildNetwork(model);
  initParams(net.params, 'default', new Rng(seed));
  return values(net);
}

test('frozen parameters keep their seeded initial values bit for bit; BatchNorm statistics and the head move', async () => {
  const model = report(FINETUNE());
  const net = buildNetwork(model);
  // PyTorch: sum(p.numel() for p in model.parameters() if p.requires_grad) = 4,956; frozen 512
  assert.deepEqual(paramCounts(net.params), { trainable: 4956, frozen: 512 });
  assert.deepEqual(net.params.filter((p) => !p.trainable).map((p) => p.name), FROZEN);
  // the optimiser steps what trains and is read by a layer: not the frozen ones, not the unused `spare`
  assert.deepEqual(net.trained.map((p) => p.name), ['conv2.weight', 'bn2.weight', 'bn2.bias', 'fc.weight', 'fc.bias']);
  // nothing trainable before bn1: the frozen stem runs no backward
  assert.deepEqual(net.nodes.filter((n) => n.path === 'conv1' || n.path === 'bn1').map((n) => n.needsGrad), [false, false]);

  const seed = 3, start = seeded(model, seed);
  const data = syntheticSplits('bars', 96, 32, [3, 12, 12], seed);
  const r = await train(net, data, {
    epochs: 1, batchSize: 16, seed, init: 'default', valSplit: 0,
    optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 0.01 },
  });
  const end = values(net);
  for (const name of [...FROZEN, 'spare.weight', 'spare.bias']) assert.deepEqual(end.get(name), start.get(name), `${name} unchanged`);
  for (const name of ['conv2.weight', 'bn2.weight', 'bn2.bias', 'fc.weight', 'fc.bias']) assert.notDeepEqual(end.get(name), start.get(name), `${name} trained`);
  // requires_grad does not stop BatchNorm's running statistics in train mode
  for (const bn of ['bn1', 'bn2']) {
    assert.ok(end.get(`${bn}.running_mean`)!.some((v) => v !== 0), `${bn}.running_mean moved`);
    assert.ok(end.get(`${bn}.running_var`)!.some((v) => v !== 1), `${bn}.running_var moved`);
    assert.equal(end.get(`${bn}.num_batches_tracked`)![0], r.steps);
  }
});

test('a requires_grad ConvLens cannot know is refused, naming the parameter', () => {
  const model = report(FINETUNE('settings.FREEZE_BIAS'));
  assert.equal(model.parameters.find((p) => p.name === 'conv2.bias')?.trainableKnown, false);
  assert.ok(model.unmodelled.some((u) => u.name === 'requires_grad' && u.line === 28));
  assert.throws(() => buildNetwork(model), (e: unknown) => e instanceof UnsupportedModel
    && e.problems.length === 1 && e.problems[0].type === 'Conv2d' && /^whether conv2\.bias trains is unknown/.test(e.problems[0].why));
});

test('the line and the warnings say what trains', () => {
  // torchvision's resnet18 with every parameter frozen and a new fc of 10 classes (issue 12)
  assert.equal(trainingLine({ trainable: 5130, frozen: 11176512 }), 'training 5,130 of 11,181,642 parameters (11,176,512 frozen)');
  assert.equal(trainingLine({ trainable: 62006, frozen: 0 }), 'training all 62,006 parameters');
  const data = syntheticSplits('bars', 16, 8, [3, 12, 12], 0);
  assert.deepEqual(trainWarnings(buildNetwork(report(FINETUNE())), data),
    ['the 512 frozen parameters keep their initial values: ConvLens trains from its own seeded initialisation and does not load pretrained weights']);
  const all = report(`${FINETUNE()}model.requires_grad_(False)\n`);
  assert.deepEqual(trainWarnings(buildNetwork(all), data), [
    'the model has 0 trainable parameters (all 5,468 are frozen): training cannot change its weights, only BatchNorm\'s running statistics',
    'the 5,468 frozen parameters keep their initial values: ConvLens trains from its own seeded initialisation and does not load pretrained weights',
  ]);
});

test('convlens train says what it trains, reports it in --json and saves frozen tensors as they started', async () => {
  const dir = tempDir('convlens-frozen-'), file = join(dir, 'finetune.py'), save = join(dir, 'w.safetensors');
  const source = FINETUNE();
  writeFileSync(file, source);
  const { out, io } = capture();
  const code = await runTrain([file, '--dataset', 'synthetic', '--limit', '64', '--epochs', '1', '--seed', '7', '--json', '--save', save], io);
  assert.equal(code, 0, out.stderr);
  assert.match(out.stderr, /^training 4,956 of 5,468 parameters \(512 frozen\)$/m);
  const r = JSON.parse(out.stdout) as Record<string, unknown>;
  assert.deepEqual([r.trainableParams, r.frozenParams], [4956, 512]);
  const metrics = JSON.parse(readFileSync(join(dir, 'w.metrics.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual([metrics.trainableParams, metrics.frozenParams], [4956, 512]);
  const saved = readSafetensors(readFileSync(save)), start = seeded(report(source), 7);
  for (const name of FROZEN) assert.deepEqual(Float32Array.from(saved.get(name)!.data), start.get(name), `${name} saved as it started`);
  assert.notDeepEqual(Float32Array.from(saved.get('fc.weight')!.data), start.get('fc.weight'));
});

// The fine-tuning goldens (torchvision's zoo frozen by every idiom): what a run trains is PyTorch's count.
for (const f of fixturesIn(join(FIXTURES, 'pytorch')).filter((x) => x.source.includes('requires_grad'))) {
  for (const g of f.golden.entries) {
    test(`${f.name} ${g.entry}: the network trains PyTorch's ${g.torch.trainableParams.toLocaleString('en-US')} parameters`, () => {
      const r = analyzeEntry(join(FIXTURES, 'pytorch', f.name), f.source, g.entry, g.input, join(FIXTURES, 'pytorch'));
      assert.ok(r.ok, r.ok ? '' : r.message);
      assert.deepEqual(paramCounts(buildNetwork(r.model).params), { trainable: g.torch.trainableParams, frozen: g.torch.totalParams - g.torch.trainableParams });
    });
  }
}
