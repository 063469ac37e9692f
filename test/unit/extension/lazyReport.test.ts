// The report crosses from the analysis worker in two parts, the heavy fields decoded only when a view
// reads one: joined again, it must equal the report the engine made (field order too), and what every
// edit reads (totals, diagnostics, the worker's hint items) must not decode anything.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { analyzeSource } from '../../../engine/analyze';
import { joinReport, splitReport } from '../../../extension/lazyReport';
import type { DisplayOptions } from '../../../extension/format';
import { hintItems, makeHintItems, noteHintItems } from '../../../extension/hintItems';
import { defaultMemories, noteDefaultMemory, trainingPeakText } from '../../../extension/memoryText';
import { typicalModelFile } from '../../bench/typical-model';

const o: DisplayOptions = { hintParts: ['shape', 'params', 'compute'], computeUnit: 'MACs', batchDimension: 'N' };

/** What postMessage does to the two parts: a structured clone of the report, the rest as bytes. */
function transfer(report: ReturnType<typeof analyzeSource>) {
  const { report: slim, rest } = splitReport(report);
  const bytes = serialize(rest);
  let decodes = 0;
  const joined = joinReport(structuredClone(slim), () => { decodes++; return deserialize(bytes); });
  return { joined, decodes: () => decodes, bytes };
}

test('the joined report equals the engine\'s, and the hints read it without decoding the rest', () => {
  const report = analyzeSource('/ws/typical.py', typicalModelFile, { root: '/ws' });
  const before = JSON.stringify(report);
  // as the worker makes them, from the whole report, before it is split
  const made = structuredClone(makeHintItems(report, o));
  const { joined, decodes } = transfer(report);
  assert.equal(JSON.stringify(report), before, 'splitting leaves the engine\'s report as it was');
  noteHintItems(joined, made);
  const labels = hintItems(joined, o).map((h) => h.label);
  assert.ok(labels.length > 10, labels.join('\n'));
  const m = joined.models[0];
  assert.equal(m.totalParams, 23_712_932, 'PyTorch 1.13 counts 23,712,932 parameters');
  void [m.outputShape, m.diagnostics, joined.diagnostics, m.inputShape, m.range];
  assert.equal(decodes(), 0, 'the hints, totals and diagnostics are in the first part');
  assert.equal(m.graph.length, report.models[0].graph.length);
  assert.equal(decodes(), 1);
  assert.deepStrictEqual(joined, report);
  assert.equal(JSON.stringify(joined), before, 'same fields in the same order');
  assert.equal(decodes(), 1, 'decoded once');
  assert.deepStrictEqual(hintItems(structuredClone(report), o), made.items, 'the worker\'s items are the ones made from the report on the host');
});

test('hint items made for other display options are not handed out: they are made again from the report', () => {
  const report = analyzeSource('/ws/stem.py', [
    'import torch.nn as nn',
    '# convlens: input=(1, 3, 224, 224)',
    'stem = nn.Sequential(nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False))',
  ].join('\n'), { root: '/ws' });
  const { joined, decodes } = transfer(report);
  noteHintItems(joined, structuredClone(makeHintItems(report, o)));
  assert.deepStrictEqual(hintItems(joined, o).map((h) => h.label), ['→ (N, 64, 112, 112) · 9.41K params · 118M MACs']);
  assert.equal(decodes(), 0);
  const flops: DisplayOptions = { ...o, computeUnit: 'FLOPs', batchDimension: 'B' };
  assert.deepStrictEqual(hintItems(joined, flops).map((h) => h.label), ['→ (B, 64, 112, 112) · 9.41K params · 236M FLOPs']);
  assert.equal(decodes(), 1, 'made from the decoded report');
});

test('every heavy field of every model and row decodes from the one read, and can be set', () => {
  const report = analyzeSource('/ws/two.py', [
    'import torch.nn as nn',
    'a = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())',
    'b = nn.Sequential(nn.Linear(4, 2))',
    '# convlens: input=(1, 4)',
  ].join('\n'), { root: '/ws' });
  assert.equal(report.models.length, 2);
  const { joined, decodes } = transfer(report);
  assert.deepStrictEqual(joined.models[1].layers[0].formulas, report.models[1].layers[0].formulas);
  assert.deepStrictEqual(joined.models[0].layers.map((r) => r.config), report.models[0].layers.map((r) => r.config));
  assert.deepStrictEqual(joined.models[0].parameters, report.models[0].parameters);
  assert.equal(decodes(), 1);
  const fresh = transfer(report).joined;
  fresh.models[0].layers[1].config = { changed: true };
  assert.deepStrictEqual(fresh.models[0].layers[1].config, { changed: true });
  assert.deepStrictEqual(fresh.models[0].layers[0].config, report.models[0].layers[0].config);
});

test('a report without models crosses whole, with nothing to decode', () => {
  const report = analyzeSource('/ws/empty.py', 'x = (', { root: '/ws' });
  const { joined, decodes } = transfer(report);
  assert.deepStrictEqual(joined, report);
  assert.equal(decodes(), 0);
});

test('the CodeLens\'s training figure reads nothing heavy once the worker\'s figures are noted, and equals the report\'s', () => {
  const report = analyzeSource('/ws/typical.py', typicalModelFile, { root: '/ws' });
  const expected = trainingPeakText(report.models[0]);
  const { joined, decodes } = transfer(report);
  // as the worker sends them after the report: computed from the whole report, structured-cloned
  const figures = structuredClone(defaultMemories(report));
  figures.forEach((m, i) => m && noteDefaultMemory(joined.models[i], m));
  assert.equal(trainingPeakText(joined.models[0]), expected);
  assert.equal(decodes(), 0, 'the graph was not decoded on the extension host');
  const { joined: without, decodes: decodesWithout } = transfer(report);
  assert.equal(trainingPeakText(without.models[0]), expected, 'without the figures it is computed from the report');
  assert.equal(decodesWithout(), 1);
});
