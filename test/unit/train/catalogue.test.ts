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
import { trainWarnings } from '../../../engine/train/loop/warnings';
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
// a layer or op with no case of its own is checked where a model file's graph has it (every model above runs
// against PyTorch's forward and gradients)
for (const c of models) {
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

/** A model file's report without its own call (traced at the symbolic input (N, 1, H, W)), and its PyTorch case. */
function tracedSymbolic(name: string, entry: string): { model: NonNullable<ReturnType<typeof reportOf>>; c: ModelCase } {
  const c = models.find((m) => m.file === name)!;
  const file = join(__dirname, 'fixtures', 'models', c.file);
  const src = readFileSync(file, 'utf8').replace(/^out = model\(.*$/m, '');
  const model = analyzeSource(file, src, { entry }).models[0];
  assert.deepEqual(model.inputShape, ['N', 1, 'H', 'W']);
  return { model, c };
}

test('attention blocks traced without an input size (views of H, W symbols) train at (3, 1, 6, 7) as PyTorch computes it', () => {
  const { model, c } = tracedSymbolic('attention_blocks.py', 'Attention()');
  assert.ok(model.graph.some((g) => g.type === 'view' && (g.config.shape as unknown[]).includes('H')), 'a view of symbolic sizes');
  trainsAsPyTorch(model, c);
});

test('a decoder resizing to its skip connection, traced without an input size (sizes H, W), trains at (3, 1, 6, 7) as PyTorch computes it', () => {
  const { model, c } = tracedSymbolic('skip_resize.py', 'Net()');
  assert.deepEqual(model.graph.filter((g) => g.type === 'upsample').map((g) => g.config.size), [['H', 'W'], ['H', 'W']]);
  trainsAsPyTorch(model, c);
});

test("a UNet's F.pad by size differences to its skip, traced without an input size, trains at (3, 1, 7, 9) as PyTorch computes it", () => {
  const { model, c } = tracedSymbolic('unet_pad.py', 'Net()');
  const pad = model.graph.find((g) => g.type === 'pad')!;
  assert.ok((pad.config.pad as unknown[]).some((p) => typeof p === 'string'), 'paddings of symbolic sizes');
  trainsAsPyTorch(model, c);
});

/** A file whose Net feeds `fcInput` (an expression of x) to a Linear(8, 2), called on a tensor of `input`'s shape. */
const linearNet = (fcInput: string, input: string): string => `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(${fcInput})

model = Net()
out = model(torch.randn(${input}))
`;

test("F.dropout drops in evaluation too when its training= is left at PyTorch's default (True); training=self.training follows the mode", () => {
  const x = fromFixture({ shape: [3, 2, 2, 2], data: Array(24).fill(1) });
  for (const [call, always] of [['0.5', true], ['0.5, True', true], ['0.5, training=self.training', false], ['p=0.5, training=self.training', false]] as const) {
    const model = analyzeSource('/tmp/drop.py', linearNet(`torch.nn.functional.dropout(x.flatten(1), ${call})`, '1, 2, 2, 2')).models[0];
    const net = buildNetwork(model);
    for (const p of net.params) p.value.fill(1);
    const inEval = (seed: number) => Array.from(net.forward(x, { training: false, rng: new Rng(seed) }).data);
    assert.equal(JSON.stringify(inEval(1)) !== JSON.stringify(inEval(2)), always, call);
    const warned = trainWarnings(net, { name: 'd', train: { ...x, n: 0, y: [], classes: 2 } } as never).some((w) => /drops in evaluation too/.test(w));
    assert.equal(warned, always, call);
  }
});

test('a view whose traced batch cannot be told from a literal keeps the literal: x.view(1, -1) fails at batch 3 as in PyTorch', () => {
  const model = analyzeSource('/tmp/literal.py', linearNet('x.view(1, -1)', '1, 2, 2, 2')).models[0];
  const view = model.graph.find((g) => g.type === 'view')!;
  assert.deepEqual(view.config.batchShape, [1, '8*N']);
  const net = buildNetwork(model);
  // PyTorch: x.view(1, -1) of a (3, 2, 2, 2) batch is (1, 24), and Linear(8, 2) refuses it
  assert.throws(() => net.forward(fromFixture({ shape: [3, 2, 2, 2], data: Array(24).fill(0) }), { training: true, rng: new Rng(0) }), /Linear \(line 7\)/);
});

test('indexing by a tensor is refused with its line, not trained as something else', () => {
  const model = analyzeSource('/tmp/advanced_index.py', linearNet('x[:, torch.tensor([0, 2])].flatten(1)', '1, 3, 2, 2')).models[0];
  assert.equal(model.outputShape?.join(','), '1,2');
  assert.throws(() => buildNetwork(model), (e: unknown) => e instanceof UnsupportedModel
    && e.problems.some((p) => p.type === 'index' && p.line === 10 && /tensor/.test(p.why)));
});

test('a power with a tensor exponent or a number base is refused by name, not trained as x ** p', () => {
  for (const expr of ['(2 ** x).flatten(1)', 'x.pow(x).flatten(1)']) {
    const model = analyzeSource('/tmp/pow.py', linearNet(expr, '1, 2, 2, 2')).models[0];
    assert.throws(() => buildNetwork(model), (e: unknown) => e instanceof UnsupportedModel
      && e.problems.some((p) => p.type === 'pow' && p.line === 10), expr);
  }
});

test('a tensor made in forward() whose size follows the batch is refused by name, not trained at the traced size', () => {
  const model = analyzeSource('/tmp/batch_zeros.py', linearNet('torch.cat([x.flatten(1)[:, :4], torch.zeros(x.size(0), 4)], 1)', '1, 2, 2, 2')).models[0];
  assert.throws(() => buildNetwork(model), (e: unknown) => e instanceof UnsupportedModel
    && e.problems.some((p) => p.type === 'constant' && p.line === 10 && /follows the batch/.test(p.why)));
});

test('attention with a mask is refused by name, not trained unmasked', () => {
  for (const call of ['self.att(t, t, t, attn_mask=torch.ones(4, 4).bool())', 'self.att(t, t, t, is_causal=True, attn_mask=m)',
    'self.att(t, t, t, key_padding_mask=torch.zeros(1, 4).bool())']) {
    const src = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.att = nn.MultiheadAttention(2, 1, batch_first=True)

    def forward(self, x):
        t = x.flatten(2).transpose(1, 2)
        m = torch.triu(torch.ones(4, 4), 1).bool()
        return ${call}[0].flatten(1)

model = Net()
out = model(torch.randn(1, 2, 2, 2))
`;
    const model = analyzeSource('/tmp/masked.py', src).models[0];
    assert.throws(() => buildNetwork(model), (e: unknown) => e instanceof UnsupportedModel
      && e.problems.some((p) => p.type === 'MultiheadAttention' && /mask/.test(p.why)), call);
  }
});
