// Keras models train as Keras computes them: every layer kind and four whole models against real Keras 3
// (keras.json, made by fixtures/make_keras_fixtures.py with the JAX backend): the output, the moving
// statistics after a training-mode call, the gradients of every trainable weight and of the input, in
// Keras's layout and names; for the classifiers the sparse categorical cross-entropy (a final softmax's
// from_logits=False), its gradients and one SGD and one Adam step; and every Keras layer class the analyser
// knows is either trainable with such a golden or refused with its type and line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { KERAS_LAYERS } from '../../../engine/frameworks/keras/layers/index';
import type { GraphNode, ModelReport } from '../../../engine/report/types';
import { TRAINABLE_KERAS_LAYERS, buildKerasNetwork } from '../../../engine/train/graph/build-keras';
import { UnsupportedModel } from '../../../engine/train/graph/build';
import { CrossEntropy } from '../../../engine/train/loss/cross-entropy';
import { networkFor } from '../../../engine/train/graph/network-for';
import { makeOptimizer, type OptimizerOptions } from '../../../engine/train/optim/optimizer';
import { Rng } from '../../../engine/train/tensor/rng';
import type { Tensor } from '../../../engine/train/tensor/tensor';
import { assertClose, fixture, inputNode, relayout, type FixtureTensor } from './helpers';

interface KerasCase {
  file: string;
  model: string;
  dropoutOff: boolean;
  weights: Record<string, FixtureTensor>;
  input: FixtureTensor;
  output: FixtureTensor;
  dy: FixtureTensor;
  inputGrad: FixtureTensor;
  grads: Record<string, FixtureTensor>;
  after: Record<string, FixtureTensor>;
  labels?: number[];
  fromLogits?: boolean;
  loss?: number;
  lossGrads?: Record<string, FixtureTensor>;
  sgd?: Record<string, FixtureTensor>;
  adam?: Record<string, FixtureTensor>;
}

const { cases } = fixture<{ cases: KerasCase[] }>('keras.json');
const reports = new Map<string, ModelReport[]>();
function reportOf(c: KerasCase): ModelReport {
  if (!reports.has(c.file)) {
    const file = join(__dirname, 'fixtures', 'keras', c.file);
    reports.set(c.file, analyzeSource(file, readFileSync(file, 'utf8')).models);
  }
  const all = reports.get(c.file)!, m = all.find((r) => r.name === c.model) ?? (all.length === 1 ? all[0] : undefined);
  assert.ok(m, `no model ${c.model} in ${c.file}`);
  return structuredClone(m);
}

/** Keras's weight path (`sequential_3/conv2d_3/kernel`) without the model's own name: the report's name. */
const byName = (rec: Record<string, FixtureTensor>): Map<string, FixtureTensor> =>
  new Map(Object.entries(rec).map(([k, v]) => [k.split('/').slice(-2).join('/'), v]));

/** Keras's (N, …, C) and the engine's (N, C, …). */
const toEngine = (t: FixtureTensor): Tensor => relayout(t.shape, Float32Array.from(t.data), true);

function setUp(c: KerasCase) {
  const report = reportOf(c);
  if (c.dropoutOff) for (const g of report.graph) if (/Dropout/.test(g.type)) g.config = { ...g.config, rate: 0 };
  const net = networkFor(report);
  const weights = byName(c.weights);
  for (const e of net.state) {
    const w = weights.get(e.name);
    assert.ok(w, `Keras has no weight ${e.name}`);
    assert.deepEqual(e.shape, w.shape, e.name);
    e.value.set(w.data);
  }
  assert.equal(net.state.length, weights.size - [...weights.keys()].filter((k) => k.startsWith('seed_generator')).length, 'every Keras weight is in the state');
  return net;
}

for (const c of cases) {
  test(`Keras ${c.file} ${c.model}: output, moving statistics and gradients as Keras 3 computes them`, () => {
    const net = setUp(c);
    for (const n of net.nodes) n.needsGrad = true;
    const y = net.forward(toEngine(c.input), { training: true, rng: new Rng(0) });
    const yk = relayout(y.shape, y.data, false);
    if (c.labels) assert.deepEqual(yk.shape.slice(0, 1), c.output.shape.slice(0, 1));
    else {
      assert.deepEqual(yk.shape, c.output.shape);
      assertClose(yk.data, c.output.data, 1e-4, 'output');
    }
    const after = byName(c.after);
    for (const e of net.state) if (after.has(e.name) && /moving/.test(e.name)) assertClose(e.value, after.get(e.name)!.data, 1e-4, `${e.name} after the call`);
    if (c.labels) return; // a classifier's output is before its softmax: checked by the loss test
    net.zeroGrad();
    const [dx] = net.backwardInputs(toEngine(c.dy));
    assertClose(relayout(dx!.shape, dx!.data, false).data, c.inputGrad.data, 1e-4, 'input gradient');
    const grads = byName(c.grads);
    for (const p of net.params) {
      const g = grads.get(p.name);
      if (!g) { assert.equal(p.trainable, false, `${p.name} trains but Keras has no gradient for it`); continue; }
      assertClose(p.grad, g.data, 1e-4, `${p.name} gradient`);
    }
  });
}

for (const c of cases.filter((k) => k.labels)) {
  test(`Keras ${c.file}: the softmax classifier's loss, gradients and one SGD and Adam step as Keras 3's`, () => {
    for (const [opt, options] of [['sgd', { name: 'sgd', lr: 0.1, momentum: 0.9 }], ['adam', { name: 'adam', lr: 0.01 }]] as const) {
      const net = setUp(c);
      const y = net.forward(toEngine(c.input), { training: true, rng: new Rng(0) });
      assert.equal(net.lossClip() > 0, !c.fromLogits, 'a final softmax is left to the loss');
      const r = new CrossEntropy(net.lossClip()).compute(y, c.labels!);
      assert.ok(Math.abs(r.loss - c.loss!) <= 1e-4 * Math.max(1, c.loss!), `loss ${r.loss}, Keras ${c.loss}`);
      net.zeroGrad();
      net.backward(r.grad);
      const grads = byName(c.lossGrads!);
      for (const p of net.trained) assertClose(p.grad, grads.get(p.name)!.data, 1e-4, `${p.name} loss gradient`);
      assert.deepEqual(net.trained.map((p) => p.name).sort(), [...grads.keys()].sort(), 'what trains is what Keras trains');
      makeOptimizer(net.trained, options as OptimizerOptions, net.conventions.keras).step();
      const stepped = byName(c[opt]!);
      for (const p of net.trained) assertClose(p.value, stepped.get(p.name)!.data, 1e-4, `${p.name} after one ${opt} step`);
    }
  });
}

test('every Keras layer class the analyser knows is trainable with a Keras golden above or refused with its type and line', () => {
  // the random augmentation layers have goldens of their own (augment.json, augment.test.ts)
  const augment = fixture<{ cases: Array<{ type: string }> }>('augment.json').cases.map((c) => c.type);
  const golden = new Set([...cases.flatMap((c) => reportOf(c).graph.map((g) => g.type)), ...augment]);
  for (const type of Object.keys(KERAS_LAYERS)) {
    if (TRAINABLE_KERAS_LAYERS.has(type)) {
      assert.ok(golden.has(type), `${type} trains but no model of keras.json has it`);
      continue;
    }
    const graph: GraphNode[] = [inputNode([null, 4, 4, 2]), { id: 1, kind: 'module', type, path: 'x', config: {}, inputs: [0], outputShape: [null, 4, 4, 2], line: 7 }];
    assert.throws(() => buildKerasNetwork({ graph, parameters: [] }), (e: unknown) => {
      assert.ok(e instanceof UnsupportedModel, `${type}: ${String(e)}`);
      assert.deepEqual(e.problems.map((p) => [p.type, p.line]), [[type, 7]]);
      return /no Keras layer/.test(e.problems[0].why);
    }, type);
  }
  for (const type of TRAINABLE_KERAS_LAYERS) assert.ok(type in KERAS_LAYERS, `${type} is trainable but not a Keras layer the analyser knows`);
});
