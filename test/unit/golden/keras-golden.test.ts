// The Keras fixture models of test/fixtures/keras against their goldens: numbers that Keras's
// documentation and Keras Applications print, hand-checked weight counts, and the PyTorch oracle
// on a twin model converted to Keras's conventions (test/fixtures/keras/make_keras_goldens.py).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { join } from 'node:path';

import type { Dim } from '../../../engine/report/types';
import { FIXTURES, analyzeEntry, fixturesIn } from './golden';

interface KerasExpected {
  source: string;
  /** The name model.summary() prints (Keras oracle goldens). */
  name?: string;
  inputShape: Dim[];
  outputShape: Dim[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs?: number;
  /** false: the MACs are unknown by design (a sequence of length None), the counts exact. */
  macsComplete?: boolean;
  /** Number of rows model.summary() prints. */
  layerCount?: number;
  /** Every output's shape, when the model has several. */
  outputShapes?: Dim[][];
  /** Every row as model.summary() prints it (a layer with several outputs: each output's shape too). */
  layers?: Array<{ path: string; type: string; outputShape: Dim[] | null; outputShapes?: Dim[][]; params: number }>;
  /** A functional model's "Connected to" column: per row, [layer, node index, tensor index] of each input. */
  connections?: Record<string, Array<[string, number, number]>>;
  /** The rows with weights or MACs, in order (from the PyTorch oracle). */
  weightedLayers?: Array<{ outputShape: Dim[]; params: number; macs: number }>;
}

interface KerasGolden {
  entries: Array<{ entry: string; inputShapeSource: 'call' | 'comment'; expected: KerasExpected }>;
}

const dir = join(FIXTURES, 'keras');
const fixtures = fixturesIn<KerasGolden>(dir);
const text = (s: readonly Dim[] | null) => JSON.stringify(s);
type Row = { path: string; type: string; outputShape: readonly Dim[] | null; outputShapes?: ReadonlyArray<readonly Dim[] | null>; params: number };
/** A summary row as compared: its shapes only when `shape`. */
const row = (l: Row, shape: boolean) => ({
  path: l.path, type: l.type, ...(shape ? { outputShape: l.outputShape, ...(l.outputShapes ? { outputShapes: l.outputShapes } : {}) } : {}), params: l.params,
});

test('test/fixtures/keras holds at least 15 goldens', () => assert.ok(fixtures.length >= 15, `${fixtures.length} goldens`));

for (const { name, source, golden } of fixtures) {
  describe(name, () => {
    for (const g of golden.entries) {
      test(`${g.entry}: ${g.expected.source}`, () => {
        const r = analyzeEntry(join(dir, name), source, g.entry, undefined, dir);
        if (!r.ok) assert.fail(r.message);
        const m = r.model;
        const e = g.expected;
        assert.equal(m.framework, 'keras');
        if (e.name !== undefined) assert.equal(m.summaryName, e.name, 'model name');
        assert.equal(m.inputShapeSource, g.inputShapeSource);
        assert.equal(text(m.inputShape), text(e.inputShape), 'input shape');
        assert.equal(text(m.outputShape), text(e.outputShape), 'output shape');
        assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams], [e.totalParams, e.trainableParams, e.nonTrainableParams], 'total / trainable / non-trainable params');
        if (e.macs !== undefined) assert.equal(m.macs, e.macs, 'MACs');
        if (e.layerCount !== undefined) assert.equal(m.layers.length, e.layerCount, 'rows');
        if (e.layers) {
          // Keras shows no shape for the layers inside a subclassed model ('?'): those rows compare the rest
          const layers = e.layers;
          assert.deepEqual(m.layers.map((l, i) => row(l, layers[i]?.outputShape !== null)), layers.map((l) => row(l, l.outputShape !== null)));
        }
        if (e.source.startsWith('keras ')) assert.deepEqual(m.outputShapes ?? null, e.outputShapes ?? null, 'output shapes');
        if (e.connections) {
          const ours = Object.fromEntries(m.layers.map((l) => [l.path, (l.inputs ?? []).map((i) => [i.layer, i.node, i.tensor])]));
          assert.deepEqual(ours, e.connections, 'Connected to');
        }
        if (e.weightedLayers) {
          const ours = m.layers.filter((l) => l.params > 0 || l.macs > 0).map((l) => ({ outputShape: l.outputShape, params: l.params, macs: l.macs }));
          assert.deepEqual(ours, e.weightedLayers);
        }
        assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error'), [], 'no errors');
        // a golden model is modelled fully: exact totals, marked exact (the honesty rule); MACs over a
        // length of None are unknown, and said to be
        const macs = e.macsComplete ?? true;
        assert.deepEqual([m.complete, m.paramsComplete, m.macsComplete, m.unmodelled], [macs, true, macs, []], 'complete');
        assert.deepEqual(m.layers.filter((l) => !l.paramsKnown || (macs && !l.macsKnown)).map((l) => l.path), [], 'rows with unknown counts');
      });
    }
  });
}
