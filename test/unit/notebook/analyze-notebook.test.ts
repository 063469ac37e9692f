// Notebooks through the engine: the code cells are one program in cell order, and what the report
// says belongs to the cell it came from. The truth is the same code analysed as one .py file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';
import { analyzeIpynb, analyzeDocument, emptyReason } from '../../../engine/notebook/analyze-notebook';
import type { FileReport, ModelReport } from '../../../engine/report/types';
import { notebookJson, type Cell } from './notebook-json';

/** The notebook and the same code cells written one after another in a .py, with where each cell starts. */
function both(cells: Cell[]): { nb: FileReport; py: FileReport; startLine: Map<number, number> } {
  const nb = analyzeIpynb('/ws/nb.ipynb', notebookJson(cells));
  let py = '';
  const startLine = new Map<number, number>();
  cells.forEach((c, i) => {
    if (typeof c !== 'string') return;
    startLine.set(i + 1, py.split('\n').length);
    py += `${c}\n`;
  });
  return { nb, py: analyzeSource('/ws/nb.py', py), startLine };
}

const essence = (m: ModelReport) => ({
  name: m.name, framework: m.framework, inputShape: m.inputShape, inputShapeSource: m.inputShapeSource, outputShape: m.outputShape,
  totalParams: m.totalParams, trainableParams: m.trainableParams, macs: m.macs, complete: m.complete,
  layers: m.layers.map((l) => ({ path: l.path, type: l.type, outputShape: l.outputShape, params: l.params, macs: l.macs })),
});

/** Each statement record (the editor's per-line hints) of the notebook is the script's, moved to its cell. */
function assertSameStatements(nb: FileReport, py: FileReport, startLine: Map<number, number>): void {
  const programLine = (x: { cell?: number; line: number }) => startLine.get(x.cell!)! + x.line - 1;
  nb.models.forEach((m, i) => {
    assert.ok(m.statements.every((s) => s.range.cell !== undefined), 'every statement names its cell');
    assert.deepEqual(
      m.statements.map((s) => [programLine(s.range), s.range.col, s.iterations, s.targets, s.afterError && programLine(s.afterError)]),
      py.models[i].statements.map((s) => [s.range.line, s.range.col, s.iterations, s.targets, s.afterError?.line]));
  });
}

function assertSameAsScript(cells: Cell[]): FileReport {
  const { nb, py, startLine } = both(cells);
  assert.deepEqual(nb.diagnostics, [], JSON.stringify(nb.diagnostics));
  assertSameStatements(nb, py, startLine);
  assert.equal(nb.models.length, py.models.length);
  assert.ok(nb.models.length > 0);
  const programLine = (x: { cell?: number; line: number }) => startLine.get(x.cell!)! + x.line - 1;
  nb.models.forEach((m, i) => {
    const p = py.models[i];
    assert.deepEqual(essence(m), essence(p));
    assert.equal(programLine(m), p.line);
    m.layers.forEach((l, j) => {
      assert.ok(l.cell && cells[l.cell - 1] !== undefined && typeof cells[l.cell - 1] === 'string', `${l.path} has no code cell`);
      assert.equal(programLine(l), p.layers[j].line, l.path);
      if (l.callRange) assert.equal(programLine(l.callRange), p.layers[j].callRange!.line, `${l.path} call`);
    });
  });
  return nb;
}

const TORCH_CELLS: Cell[] = [
  { md: '# LeNet in three cells' },
  'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n',
  'class LeNet(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)\n'
    + '        self.conv2 = nn.Conv2d(6, 16, 5)\n        self.fc1 = nn.Linear(16 * 5 * 5, 120)\n        self.fc2 = nn.Linear(120, 10)\n\n'
    + '    def forward(self, x):\n        x = F.max_pool2d(F.relu(self.conv1(x)), 2)\n        x = F.max_pool2d(F.relu(self.conv2(x)), 2)\n'
    + '        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))',
  'model = LeNet()\nout = model(torch.randn(8, 1, 28, 28))\nout.shape',
];

test('a three-cell PyTorch notebook gives the report of the same code in one .py, lines in their cells', () => {
  const nb = assertSameAsScript(TORCH_CELLS);
  const m = nb.models[0];
  assert.deepEqual([m.cell, m.line, m.totalParams, m.macs], [4, 1, 51902, 406800]);
  assert.deepEqual(m.layers.map((l) => [l.path, l.cell, l.line, l.callRange?.cell, l.callRange?.line]),
    [['conv1', 3, 4, 3, 10], ['conv2', 3, 5, 3, 11], ['fc1', 3, 6, 3, 12], ['fc2', 3, 7, 3, 12]]);
  assert.equal(m.inputShapeOrigin, 'the call in cell 4, line 2');
});

test('a shape error in the class cell: the statements after it say so, with the cell and line of the error', () => {
  const cells: Cell[] = [
    'import torch\nimport torch.nn as nn',
    { md: 'A wrong channel count' },
    'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Conv2d(3, 4, 3)\n'
      + '        self.b = nn.Conv2d(8, 4, 3)\n\n    def forward(self, x):\n        x = self.a(x)\n        x = self.b(x)\n        return x',
    '%matplotlib inline\nnet = Net()\ny = net(torch.zeros(2, 3, 8, 8))',
  ];
  const { nb, py, startLine } = both(cells);
  assertSameStatements(nb, py, startLine);
  const marks = nb.models[0].statements.map((s) => [s.range.cell, s.range.line, s.afterError?.cell, s.afterError?.line]);
  assert.deepEqual(marks, [[3, 8, undefined, undefined], [3, 9, 3, 5], [3, 10, 3, 5]]);
});

const KERAS_CELLS: Cell[] = [
  'import keras\nfrom keras import layers\n\nnum_classes = 10',
  { md: 'The model' },
  'model = keras.Sequential([\n    keras.Input(shape=(28, 28, 1)),\n    layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),\n'
    + '    layers.MaxPooling2D(pool_size=(2, 2)),\n    layers.Flatten(),\n    layers.Dense(num_classes, activation="softmax"),\n])',
  'model.summary()',
];

test('a three-cell Keras notebook gives the report of the same code in one .py', () => {
  const nb = assertSameAsScript(KERAS_CELLS);
  const m = nb.models[0];
  assert.deepEqual([m.framework, m.cell, m.totalParams], ['keras', 3, 320 + 5408 * 10 + 10]);
  assert.deepEqual(m.layers.map((l) => l.cell), [3, 3, 3, 3]);
});

test('magics, shell and help lines, display() and %%time cells do not change the analysis', () => {
  const plain = analyzeIpynb('/ws/a.ipynb', notebookJson(TORCH_CELLS));
  const noisy = analyzeIpynb('/ws/b.ipynb', notebookJson([
    TORCH_CELLS[0], `%matplotlib inline\n!pip install torch\n${TORCH_CELLS[1] as string}`, TORCH_CELLS[2],
    '%%time\nmodel = LeNet()\nmodel?\n%time out = model(torch.randn(8, 1, 28, 28))\ndisplay(model)\ndisplay(out)',
  ]));
  assert.deepEqual(noisy.diagnostics, []);
  assert.deepEqual(noisy.models.map(essence), plain.models.map(essence));
  assert.equal(noisy.models[0].inputShapeOrigin, 'the call in cell 4, line 4');
});

test('%%bash and %%writefile cells are skipped with a note naming the cell', () => {
  const r = analyzeIpynb('/ws/a.ipynb', notebookJson([...TORCH_CELLS, '%%bash\nnvidia-smi\nls -l']));
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.cell]), [['cell-not-python', 'info', 5]]);
  assert.equal(r.models[0].totalParams, 51902);
});

test('a syntax error stays in its cell: the next cell is still analysed, as Jupyter compiles cells one by one', () => {
  const r = analyzeIpynb('/ws/a.ipynb', notebookJson([
    'import torch\nimport torch.nn as nn\nbroken = (3, 8,', 'net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())\ny = net(torch.randn(1, 3, 8, 8))',
  ]));
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.cell]), [['syntax-error', 1]]);
  assert.deepEqual(r.models.map((m) => [m.name, m.cell, m.line, m.outputShape]), [['net', 2, 1, [1, 8, 6, 6]]]);
});

test('honesty: a name the model uses that no cell defines is a warning that names it, never a silent 0', () => {
  const r = analyzeIpynb('/ws/a.ipynb', notebookJson([
    'import torch\nimport torch.nn as nn',
    'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, N_CH, 3)\n\n'
      + '    def forward(self, x):\n        return self.conv(x)',
    'model = Net()\ny = model(torch.randn(1, 3, 32, 32))',
  ]));
  const undef = r.diagnostics.filter((d) => d.code === 'undefined-name');
  assert.deepEqual(undef.map((d) => [d.severity, d.cell, d.line, d.range?.col]), [['warning', 2, 4, 33]]);
  assert.match(undef[0].message, /`N_CH` is defined in no cell/);
  const m = r.models[0];
  assert.deepEqual(m.layers.map((l) => [l.path, l.outputShape]), [['conv', null]]);
  assert.equal(m.outputShape, null);
});

test('a name defined in a later cell or by the notebook itself is not reported', () => {
  const r = analyzeIpynb('/ws/a.ipynb', notebookJson(['import torch.nn as nn\ndef make():\n    return nn.Conv2d(3, WIDTH, 3)', 'WIDTH = 8\nnet = make()']));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.models[0].totalParams, 3 * 8 * 9 + 8);
});

test('corrupt and foreign notebooks give one clear diagnostic, never a throw', () => {
  const codes = (text: string) => analyzeIpynb('/ws/bad.ipynb', text).diagnostics.map((d) => [d.code, d.severity, d.line]);
  assert.deepEqual(codes('{"cells": [\n  {"cell_type": "code",\n  "source": "x = 1"\n'), [['notebook-invalid', 'error', 4]]);
  assert.deepEqual(codes(''), [['notebook-invalid', 'error', 1]]);
  assert.deepEqual(codes('[1, 2]'), [['notebook-invalid', 'error', 1]]);
  assert.deepEqual(codes('{"nbformat": 3, "worksheets": [{"cells": []}]}'), [['notebook-invalid', 'error', 1]]);
  assert.match(analyzeIpynb('/ws/bad.ipynb', '{"nbformat": 3, "worksheets": []}').diagnostics[0].message, /nbformat 3/);
  assert.deepEqual(codes('{"cells": [], "metadata": {"kernelspec": {"language": "R"}}}'), [['notebook-language', 'info', 1]]);
  const odd = analyzeIpynb('/ws/bad.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', source: 42 }, null, { cell_type: 'code', source: ['import torch.nn as nn\n', 'net = nn.Linear(4, 2)'] }] }));
  assert.deepEqual(odd.diagnostics.map((d) => [d.code, d.severity, d.cell]), [['notebook-invalid', 'warning', 1]]);
  assert.deepEqual(odd.models.map((m) => [m.name, m.cell, m.totalParams]), [['net', 3, 10]]);
});

test('why a notebook shows nothing', () => {
  assert.match(emptyReason(analyzeIpynb('/ws/a.ipynb', '{'))!, /not valid JSON/);
  assert.equal(emptyReason(analyzeIpynb('/ws/a.ipynb', notebookJson([{ md: 'hi' }, 'x = (1,']))), 'no model: a syntax error in cell 2, line 1');
  assert.match(emptyReason(analyzeIpynb('/ws/a.ipynb', notebookJson(['import torch', 'x = torch.zeros(3)'])))!, /no PyTorch or Keras model found/);
  assert.equal(emptyReason(analyzeIpynb('/ws/a.ipynb', notebookJson(TORCH_CELLS))), undefined);
});

test('a # %% script keeps its line numbers: IPython lines are neutralised in place', () => {
  const src = '# %%\nimport torch\nimport torch.nn as nn\n%matplotlib inline\n\n# %%\nnet = nn.Sequential(nn.Conv2d(3, 8, 3))\n!nvidia-smi\ny = net(torch.randn(1, 3, 16, 16))\n';
  const r = analyzeDocument('/ws/cells.py', src);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.models.map((m) => [m.name, m.line, m.cell, m.inputShapeOrigin]), [['net', 7, undefined, 'the call on line 9']]);
  assert.equal(r.models[0].layers[0].line, 7);
});

test('a Keras model grown with .add() across cells: each layer in the cell that added it', () => {
  // The layout of "Deep Learning with Python" 5.1: Keras's own summary() prints 55,744 parameters
  // after the first cell and 93,322 after the second (Dense(64) on 3·3·64 = 576 features).
  const r = analyzeIpynb('/ws/a.ipynb', notebookJson([
    'from keras import layers\nfrom keras import models\n\nmodel = models.Sequential()\n'
      + "model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))\nmodel.add(layers.MaxPooling2D((2, 2)))\n"
      + "model.add(layers.Conv2D(64, (3, 3), activation='relu'))\nmodel.add(layers.MaxPooling2D((2, 2)))\nmodel.add(layers.Conv2D(64, (3, 3), activation='relu'))",
    'model.summary()',
    "model.add(layers.Flatten())\nmodel.add(layers.Dense(64, activation='relu'))\nmodel.add(layers.Dense(10, activation='softmax'))",
  ]));
  const m = r.models[0];
  assert.equal(m.totalParams, 93322);
  assert.deepEqual(m.layers.map((l) => [l.cell, l.line, l.params]), [
    [1, 5, 320], [1, 6, 0], [1, 7, 18496], [1, 8, 0], [1, 9, 36928], [3, 1, 0], [3, 2, 36928], [3, 3, 650],
  ]);
});
