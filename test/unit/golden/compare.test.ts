// The golden comparison itself: a report that says what torch says passes, and each kind of
// disagreement is caught and named (so a failing golden test points at the engine, not the harness).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import type { ModelReport } from '../../../engine/report/types';
import { agreement, differences } from './compare';
import { FIXTURES, readGolden, type TorchReport } from './golden';

const torch = readGolden(join(FIXTURES, 'pytorch', '05_resnet_cifar.golden.json')).entries[0].torch;

/** The report an exact engine would give, built from torch's own numbers. */
function reportLike(t: TorchReport): ModelReport {
  return {
    name: 'resnet20()', framework: 'pytorch', line: 1, inputShape: [...t.inputShape], inputShapeSource: 'argument',
    inputShapeOrigin: '--input', outputShape: [...t.outputShape], totalParams: t.totalParams,
    trainableParams: t.trainableParams, nonTrainableParams: t.totalParams - t.trainableParams, macs: t.macs, flops: 2 * t.macs,
    complete: true, paramsComplete: true, macsComplete: true, unmodelled: [],
    layers: t.layers.map((r) => ({
      path: r.path, type: r.type, line: 1, inputShapes: [], outputShape: [...r.outputShape], params: r.params,
      trainableParams: r.params, paramsKnown: true, macs: r.macs ?? 0, macsKnown: true, config: {}, formulas: [],
    })),
    modules: [], graph: [], statements: [], parameters: [], diagnostics: [],
  };
}

test('a report equal to torch has no differences and full agreement', () => {
  const model = reportLike(torch);
  assert.deepEqual(differences(model, torch), []);
  assert.deepEqual(agreement(model, torch), { paramsExact: true, macsDiffPercent: 0, rowsMatchingPercent: 100, outputShapeExact: true });
});

test('a wrong row is reported as the first difference, with both rows', () => {
  const model = reportLike(torch);
  model.layers[7] = { ...model.layers[7], outputShape: [1, 16, 31, 32] };
  const diffs = differences(model, torch);
  assert.equal(diffs.length, 1);
  assert.match(diffs[0], /first difference at row 7/);
  assert.match(diffs[0], /ours {2}layer1\.\d\.\w+ \w+ \[1, 16, 31, 32\]/);
  assert.equal(agreement(model, torch).rowsMatchingPercent, (100 * (torch.layers.length - 1)) / torch.layers.length);
});

test('totals, shapes and a missing row are each caught', () => {
  const model = reportLike(torch);
  model.totalParams += 1;
  model.macs -= 10;
  model.outputShape = null;
  model.layers.pop();
  const diffs = differences(model, torch).join('\n');
  assert.match(diffs, /totalParams: \d+, torch \d+ \(\+1\)/);
  assert.match(diffs, /macs: \d+, torch \d+ \(-10\)/);
  assert.match(diffs, /outputShape: null/);
  assert.match(diffs, /layers: 49 rows, torch 50; first difference at row 49/);
  const a = agreement(model, torch);
  assert.equal(a.paramsExact, false);
  assert.ok(a.macsDiffPercent > 0);
});
