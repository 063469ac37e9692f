// A cell's view of a notebook report: what the editor's providers (hints, hovers, CodeLens,
// diagnostics) see for one cell document. They must find this cell's places, at this cell's lines,
// and nothing from other cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeIpynb } from '../../../engine/notebook/analyze-notebook';
import { cellView } from '../../../engine/notebook/cell-view';
import { hintPlaces, layersAt, modelAt } from '../../../extension/reportQueries';
import { notebookJson } from './notebook-json';

const CELLS = [
  'import torch\nimport torch.nn as nn',
  { md: 'The model' },
  'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 8, 3)\n'
    + '        self.fc = nn.Linear(100, 10)\n\n    def forward(self, x):\n        x = self.conv(x)\n        return self.fc(x.flatten(1))',
  'model = Net()\nout = model(torch.randn(1, 3, 32, 32))',
];

const report = analyzeIpynb('/ws/nb.ipynb', notebookJson(CELLS));

test('the notebook has one model, its diagnostic in the model cell', () => {
  assert.deepEqual(report.models.map((m) => [m.name, m.cell, m.line]), [['model', 4, 1]]);
  assert.deepEqual(report.models[0].diagnostics.map((d) => [d.code, d.cell, d.line]), [['linear-in-features', 3, 5]]);
});

test('the model cell sees its layers at its own lines, and the linear-in-features problem with its fix', () => {
  const view = cellView(report, 3, false);
  // layer hints where they are built, statement hints on the forward lines
  const places = hintPlaces(view).map((p) => [p.line, p.rows.map((r) => r.path).join(), p.statement?.targets[0]?.name]);
  assert.deepEqual(places, [[4, 'conv', undefined], [5, 'fc', undefined], [8, '', 'x'], [9, '', 'return']]);
  assert.deepEqual(layersAt(view, 4, 20).map((h) => h.row.path), ['conv']);
  const diags = view.models[0].diagnostics;
  assert.deepEqual(diags.map((d) => [d.code, d.line, d.range?.file]), [['linear-in-features', 5, undefined]]);
  assert.ok(diags[0].fixes?.length && diags[0].fixes.every((f) => !f.range.file && f.range.line === 5));
  // the model is defined in cell 4: no CodeLens here (line 0), but it is still the model at the cursor
  assert.equal(view.models[0].line, 0);
  // …but its class is here: the CodeLens above it
  assert.equal(view.models[0].definitionLine, 1);
  assert.equal(modelAt(view, 5)?.name, 'model');
});

test('the call cell gets the model and its CodeLens line, no layer hints from the other cell', () => {
  const view = cellView(report, 4, false);
  assert.deepEqual(hintPlaces(view), []);
  assert.equal(view.models[0].line, 1);
  assert.equal(view.models[0].range?.file, undefined);
  assert.deepEqual(view.models[0].diagnostics, []);
  assert.equal(view.models[0].layers[0].range?.file, '/ws/nb.ipynb#cell3');
});

test('the import cell shows nothing, and the view leaves the notebook report as it was', () => {
  const view = cellView(report, 1, true);
  assert.deepEqual(hintPlaces(view), []);
  assert.deepEqual([...view.diagnostics, ...view.models[0].diagnostics], []);
  assert.equal(report.models[0].layers[0].range?.file, undefined);
  assert.equal(report.models[0].line, 1);
});

test('what belongs to no cell (the analysis failed) shows in the home cell only', () => {
  const failed = { file: '/ws/nb.ipynb', models: [], diagnostics: [{ line: 1, severity: 'warning' as const, code: 'internal-error', message: 'x' }] };
  assert.equal(cellView(failed, 1, true).diagnostics.length, 1);
  assert.equal(cellView(failed, 3, false).diagnostics.length, 0);
});
