// Issue 15: every layer the analyser knows is either trained or named, with its line, before a run; every
// trainable layer and op has a PyTorch golden (layers.json, catalogue.json: forward and gradients, run by
// layers.test.ts; Dropout's in evaluation, its random training masks are checked by the loop tests); and tutorial-style files traced at batch 1 by their own call (view/reshape flattens,
// upsampling, Lazy layers) train at a batch of 3 exactly as PyTorch computes them (catalogue.json models).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { TORCH_LAYERS } from '../../../engine/frameworks/pytorch/layers/index';
import { LAZY_LAYERS } from '../../../engine/frameworks/pytorch/layers/lazy';
import type { GraphNode } from '../../../engine/report/types';
import { TRAINABLE_MODULES, TRAINABLE_OPS, UnsupportedModel, buildNetwork } from '../../../engine/train/graph/build';
import { Rng } from '../../../engine/train/tensor/rng';
import { assertClose, fixture, fromFixture, inputNode, type FixtureTensor } from './helpers';

interface ModelCase {
  file: string;
  entry: string;
  state: Record<string, FixtureTensor>;
  input: FixtureTensor;
  output: FixtureTensor;
  dy: FixtureTensor;
  inputGrad: FixtureTensor;
  paramGrads: Record<string, FixtureTensor>;
}

// model files whose forward pass reads parameters as tensors (the `parameter` op): parameter_reads.json
const models = [...fixture<{ models: ModelCase[] }>('catalogue.json').models, ...fixture<{ models: ModelCase[] }>('parameter_reads.json').models];
const reportOf = (c: ModelCase) => {
  const file = join(__dirname, 'fixtures', 'models', c.file);
  return analyzeSource(file, readFileSync(file, 'utf8')).models.find((m) => m.name === c.entry);
};
const goldenTypes = new Set([...fixture<{ cases: Array<{ graph: GraphNode[] }> }>('layers.json').cases,
  ...fixture<{ cases: Array<{ graph: GraphNode[] }> }>('catalogue.json').cases].flatMap((c) => c.graph.map((g) => g.type)));
// an op with no case of its own is checked where a model file's graph has it
for (const c of models.filter((m) => ['layer_scale.py', 'attention_blocks.py'].includes(m.file))) {
  for (const g of reportOf(c)?.graph ?? []) goldenTypes.add(g.type);
}

test('every layer class the analyser knows is either trainable with a PyTorch golden or refused with its type and line', () => {
  const lazy = Object.keys(LAZY_LAYERS);
  for (const type of [...Object.keys(TORCH_LAYERS), ...lazy]) {
    if (TRAINABLE_MODULES.has(type)) {
      assert.ok(goldenTypes.has(type), `${type} trains but has no PyTorch golden in layers.json or catalogue.json`);
      continue;
    }
    const graph: GraphNode[] = [inputNode([1, 2, 4, 4]), { id: 1, kind: 'module', type, path: 'm', config: {}, inputs: [0], outputShape: null, line: 7 }];
    assert.throws(() => buildNetwork({ graph, parameters: [] }), (e: unknown) => {
      assert.ok(e instanceof UnsupportedModel, `${type}: ${String(e)}`);
      assert.deepEqual(e.problems.map((p) => [p.type, p.line]), [[type, 7]]);
      // a Lazy layer reaches training materialised (its trace names the plain class); unmaterialised it is named
      return /no layer/.test(e.problems[0].why);
    }, type);
  }
  for (const type of TRAINABLE_MODULES) assert.ok(type in TORCH_LAYERS, `${type} is trainable but not a layer the analyser knows`);
});

test('every trainable op has a PyTorch golden', () => {
  assert.deepEqual([...TRAINABLE_OPS].filter((op) => !goldenTypes.has(op)), []);
});

/** Loads PyTorch's state into the network of `model`, runs the case's batch and checks output and gradients. */
function trainsAsPyTorch(model: NonNullable<ReturnType<typeof reportOf>>, c: ModelCase): void {
  const net = buildNetwork(model);
  for (const e of net.state) {
    const src = c.state[e.name];
    assert.ok(src, `no PyTorch value for ${e.name}`);
    assert.deepEqual(e.shape, src.shape, e.name);
    e.value.set(src.data);
  }
  for (const n of net.nodes) n.needsGrad = true;
  const y = net.forward(fromFixture(c.input), { training: true, rng: new Rng(0) });
  assert.deepEqual(y.shape, c.output.shape);
  assertClose(y.data, c.output.data, 1e-4, 'output');
  net.zeroGrad();
  const [dx] = net.backwardInputs(fromFixture(c.dy));
  assertClose(dx!.data, c.inputGrad.data, 1e-4, 'input gradient');
  for (const [name, g] of Object.entries(c.paramGrads)) assertClose(net.params.find((p) => p.name === name)!.grad, g.data, 1e-4, `${name} gradient`);
}

for (const c of models) {
  test(`${c.file} ${c.entry}, traced at batch 1 by the file's own call, trains at batch 3 as PyTorch computes it`, () => {
    const model = reportOf(c);
    assert.ok(model, `no model ${c.entry}`);
    assert.equal(model.inputShape[0], 1, 'the report keeps the traced batch');
    trainsAsPyTorch(model, c);
  });
}

test('attention blocks traced without an input size (views of H, W symbols) train at (3, 1, 6, 7) as PyTorch computes it', () => {
  const c = models.find((m) => m.file === 'attention_blocks.py')!;
  const file = join(__dirname, 'fixtures', 'models', c.file);
  const src = readFileSync(file, 'utf8').replace(/^out = model\(.*$/m, '');
  const model = analyzeSource(file, src, { entry: 'Attention()' }).models[0];
  assert.deepEqual(model.inputShape, ['N', 1, 'H', 'W']);
  assert.ok(model.graph.some((g) => g.type === 'view' && (g.config.shape as unknown[]).includes('H')), 'a view of symbolic sizes');
  trainsAsPyTorch(model, c);
});

test('a view whose traced batch cannot be told from a literal keeps the literal: x.view(1, -1) fails at batch 3 as in PyTorch', () => {
  const src = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(x.view(1, -1))

model = Net()
out = model(torch.randn(1, 2, 2, 2))
`;
  const model = analyzeSource('/tmp/literal.py', src).models[0];
  const view = model.graph.find((g) => g.type === 'view')!;
  assert.deepEqual(view.config.batchShape, [1, '8*N']);
  const net = buildNetwork(model);
  // PyTorch: x.view(1, -1) of a (3, 2, 2, 2) batch is (1, 24), and Linear(8, 2) refuses it
  assert.throws(() => net.forward(fromFixture({ shape: [3, 2, 2, 2], data: Array(24).fill(0) }), { training: true, rng: new Rng(0) }), /Linear \(line 7\)/);
});
