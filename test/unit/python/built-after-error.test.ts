// A script stops at the first top-level statement that raises for sure: a model made after it is never
// built by the real run, so its counts are not given as exact (complete: false, a warning that names the
// line). Notebook cells run one at a time, so there the cells after a failing one still count.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { analyzeDocument, analyzeIpynb } from '../../../engine/notebook/analyze-notebook';
import { notebookJson } from '../notebook/notebook-json';

const BEFORE = 'import torch, torch.nn as nn\nsizes = {"a": 1}\nwidth = sizes["b"]\n';
const MODEL = 'model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())\ny = model(torch.randn(1, 3, 32, 32))\n';

test('a model made after a statement that raises is marked as never built, with the line where Python stops', () => {
  const r = analyzeSource('/ws/train.py', BEFORE + MODEL);
  assert.ok(r.diagnostics.some((d) => d.code === 'python-error' && d.line === 3 && /KeyError/.test(d.message)));
  const [m] = r.models;
  assert.equal(m.totalParams, 224);
  assert.equal(m.complete, false);
  assert.equal(m.paramsComplete, false);
  const w = m.diagnostics.find((d) => d.code === 'built-after-error');
  assert.ok(w && /stops at the error on line 3/.test(w.message) && w.severity === 'warning', JSON.stringify(m.diagnostics));
});

test('a model made before the error, or in notebook cells after a failing cell, keeps its exact counts', () => {
  for (const r of [
    analyzeSource('/ws/train.py', 'import torch, torch.nn as nn\n' + MODEL + BEFORE),
    analyzeIpynb('/ws/nb.ipynb', notebookJson([BEFORE, MODEL])),
    analyzeDocument('/ws/cells.py', `# %%\n${BEFORE}# %%\n${MODEL}`),
  ]) {
    const [m] = r.models;
    assert.equal(m.complete, true, JSON.stringify(m.diagnostics));
    assert.ok(!m.diagnostics.some((d) => d.code === 'built-after-error'));
  }
});

test('an error that only may happen (after a condition on an unknown value) does not mark the model', () => {
  const src = 'import torch, torch.nn as nn, os\nif os.environ["MODE"] == "x":\n    raise ValueError("mode")\n' + MODEL;
  const [m] = analyzeSource('/ws/train.py', src).models;
  assert.ok(!m.diagnostics.some((d) => d.code === 'built-after-error'), JSON.stringify(m.diagnostics));
});

test('sys.argv is not known: `sys.argv[1]` is no IndexError, a model after it keeps its counts, one sized by it has none', () => {
  const r = analyzeSource('/ws/train.py', `import sys
import torch, torch.nn as nn
width = int(sys.argv[1])
depth = int(sys.argv[2]) if len(sys.argv) > 2 else 3
${MODEL}wide = nn.Sequential(nn.Conv2d(3, width, 3))
`);
  assert.deepEqual(r.diagnostics.filter((d) => d.code === 'python-error'), []);
  const model = r.models.find((m) => m.name === 'model'), wide = r.models.find((m) => m.name === 'wide');
  assert.deepEqual([model?.totalParams, model?.complete], [224, true]);
  assert.equal(model?.diagnostics.some((d) => d.code === 'built-after-error'), false);
  assert.equal(wide?.paramsComplete, false, 'out_channels from the command line is unknown, never a guess');
});
