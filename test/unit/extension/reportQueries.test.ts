import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FileReport, LayerRow, ModelReport, SourceRange } from '../../../engine/report/types';
import { hintPlaces, layersAt, modelAt } from '../../../extension/reportQueries';

const r = (line: number, col: number, endCol: number, endLine = line): SourceRange => ({ line, col, endLine, endCol });
const row = (path: string, range: SourceRange, callRange?: SourceRange): LayerRow => ({
  path, type: 'Conv2d', line: range.line, range, callRange, inputShapes: [], outputShape: null,
  params: 0, trainableParams: 0, paramsKnown: true, macs: 0, macsKnown: true, config: {}, formulas: [],
});
const model = (name: string, range: SourceRange, layers: LayerRow[]): ModelReport => ({
  name, framework: 'pytorch', line: range.line, range, inputShape: [], inputShapeSource: 'symbolic', inputShapeOrigin: '',
  outputShape: null, totalParams: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, flops: 0,
  complete: false, paramsComplete: true, macsComplete: true, unmodelled: [],
  layers, modules: [], graph: [], statements: [], parameters: [], diagnostics: [],
});

// Two models; in the first, a Sequential holding two layers on one line, a layer with a call in
// forward(), and a layer from an imported module (its range carries `file`).
const seq0 = row('features.0', r(3, 22, 40));
const seq1 = row('features.1', r(3, 42, 51));
const fc = row('fc', r(4, 18, 35), r(7, 15, 26));
const imported = row('block.conv', { ...r(2, 0, 10), file: '/w/blocks.py' });
const report: FileReport = {
  file: '/w/net.py',
  diagnostics: [],
  models: [model('Net', r(1, 0, 26, 7), [seq0, seq1, fc, imported]), model('Other', r(10, 0, 3, 12), [])],
};

test('modelAt: the model around the line, else the last above', () => {
  assert.equal(modelAt(report, 5)?.name, 'Net');
  assert.equal(modelAt(report, 9)?.name, 'Net');
  assert.equal(modelAt(report, 11)?.name, 'Other');
  assert.equal(modelAt(report, 40)?.name, 'Other');
});

test('layersAt: construction and call ranges, never another file\'s', () => {
  assert.deepEqual(layersAt(report, 3, 30).map((h) => h.row.path), ['features.0']);
  assert.deepEqual(layersAt(report, 3, 45).map((h) => h.row.path), ['features.1']);
  assert.deepEqual(layersAt(report, 7, 20).map((h) => h.row.path), ['fc']);
  assert.deepEqual(layersAt(report, 2, 5), []);
  assert.deepEqual(layersAt(report, 3, 10), []);
});

test('hintPlaces: a call nested in another (Keras `Dense(10)(Dropout(0.5)(x))`) shares the outer call\'s one hint', () => {
  // line 5: `y = layers.Dense(10)(layers.Dropout(0.5)(x))`; each layer built inside its own call
  const dropout = row('dropout', r(5, 27, 45), r(5, 27, 48)), dense = row('dense', r(5, 4, 20), r(5, 4, 49));
  const nested: FileReport = { file: '/w/k.py', diagnostics: [], models: [model('m', r(1, 0, 1, 9), [dense, dropout])] };
  assert.deepEqual(hintPlaces(nested).map((p) => [p.rows.map((x) => x.path), p.line, p.col]), [[['dropout', 'dense'], 5, undefined]]);
});

test('hintPlaces: at the end of each layer when a line holds several, else at the line end', () => {
  const places = hintPlaces(report).map((p) => [p.rows.map((x) => x.path).join('+'), p.line, p.col]);
  assert.deepEqual(places, [['features.0', 3, 40], ['features.1', 3, 51], ['fc', 4, undefined], ['fc', 7, undefined]]);
});

test('hintPlaces: thousands of nested calls each fold into their own outer call, in time linear in the lines', () => {
  // a line per `y = layers.Dense(10)(layers.Dropout(0.5)(x))`, and a Sequential spanning them all
  const lines = 3000;
  const rows = Array.from({ length: lines }, (_, i) => [row(`dense${i}`, r(i + 2, 4, 20), r(i + 2, 4, 49)), row(`dropout${i}`, r(i + 2, 27, 45), r(i + 2, 27, 48))]).flat();
  const outer = row('seq', r(1, 0, 1, lines + 2));
  const big: FileReport = { file: '/w/k.py', diagnostics: [], models: [model('m', r(1, 0, 1, lines + 2), [outer, ...rows])] };
  const t0 = performance.now();
  const places = hintPlaces(big);
  const ms = performance.now() - t0;
  assert.equal(places.length, lines + 1);
  assert.deepEqual(places.slice(1, 3).map((p) => [p.rows.map((x) => x.path), p.line]), [[['dropout0', 'dense0'], 2], [['dropout1', 'dense1'], 3]]);
  // pairwise comparison of the 6,001 groups took seconds; linear work takes milliseconds even on a busy machine
  assert.ok(ms < 1500, `${ms.toFixed(0)} ms`);
});
