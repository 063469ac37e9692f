// Frozen layers in every view, from fixture 117 (MobileNetV2 with `features` frozen, then its stem
// convolution and the head replaced by new, trainable layers). PyTorch's golden gives the frozen total
// (total − trainable); the marked layers must hold exactly that many parameters.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { toJson } from '../../../engine/cli/summary';
import { formatTable } from '../../../engine/report/format';
import { frozenMarks } from '../../../engine/report/frozen';
import type { DisplayOptions } from '../../../extension/format';
import { hoverMarkdown } from '../../../extension/hoverText';
import { summaryModels } from '../../../extension/summaryData';
import { parseToWebview } from '../../../webview/protocol';

const DIR = join(__dirname, '../../fixtures/pytorch');
const file = join(DIR, '117_replace_by_index.py');
const golden = JSON.parse(readFileSync(join(DIR, '117_replace_by_index.golden.json'), 'utf8')).entries[0].torch;
const report = analyzeSource(file, `# convlens: input=(1, 1, 224, 224)\n${readFileSync(file, 'utf8')}`);
const model = report.models.find((m) => m.name === 'model');
const o: DisplayOptions = { hintParts: ['shape', 'params', 'compute'], computeUnit: 'MACs', batchDimension: 'N' };

test('marks: frozen leaves hold exactly the frozen parameters PyTorch counts; replaced layers are not frozen', () => {
  assert.ok(model);
  const marks = frozenMarks(model);
  const frozenLeaves = model.layers.filter((r) => marks.get(r.path) === 'frozen');
  assert.equal(frozenLeaves.reduce((n, r) => n + r.params, 0), golden.totalParams - golden.trainableParams);
  assert.equal(marks.get('features.0.0'), undefined);
  assert.equal(marks.get('features.0.1'), 'frozen');
  assert.equal(marks.get('features.0'), 'partly frozen');
  assert.equal(marks.get('features.1'), 'frozen');
  assert.equal(marks.get('classifier'), undefined);
});

test('the CLI table, the JSON rows, the hover and the summary panel say it', () => {
  assert.ok(model);
  const table = formatTable(model, 3);
  assert.match(table, /├─1 \(BatchNorm2d\) \[frozen\]/);
  assert.match(table, /├─features \(Sequential\) \[partly frozen\]/);
  assert.doesNotMatch(table, /classifier \(Sequential\) \[/);
  const rows = (toJson(report) as { models: Array<{ name: string; layers: Array<{ path: string; trainableParams: number }> }> })
    .models.find((m) => m.name === 'model')?.layers ?? [];
  assert.deepEqual(rows.filter((r) => ['features.0.0', 'features.0.1'].includes(r.path)).map((r) => [r.path, r.trainableParams]),
    [['features.0.0', 288], ['features.0.1', 0]]);
  const bn = model.layers.filter((r) => r.path === 'features.0.1');
  assert.match(hoverMarkdown('file:///x.py', model, bn, [], o), /\*\*Parameters\*\* 64 \(frozen\)/);
  const panel = summaryModels(report, o).find((m) => m.name === 'model');
  assert.equal(panel?.rows.find((r) => r.path === 'features.1')?.frozen, 'frozen');
  assert.equal(panel?.rows.find((r) => r.path === 'classifier')?.frozen, undefined);
  assert.ok(parseToWebview({ type: 'summary', file, models: summaryModels(report, o), selected: 0, computeUnit: 'MACs', imports: [] }));
  assert.equal(parseToWebview({ type: 'summary', file, selected: 0, computeUnit: 'MACs', imports: [],
    models: summaryModels(report, o).map((m) => ({ ...m, rows: m.rows.map((r) => ({ ...r, frozen: 'maybe' })) })) }), undefined);
});

test('a model with nothing frozen prints no marks', () => {
  const m = analyzeSource('/ws/n.py', 'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 3), nn.ReLU())\n').models[0];
  assert.equal(frozenMarks(m).size, 0);
  assert.doesNotMatch(formatTable(m), /frozen/);
});
