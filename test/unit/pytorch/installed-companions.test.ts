// Code of real installed libraries met in Lightning projects (found trying a LightningModule with
// torchmetrics in a venv holding Lightning 2.6.6 and torchmetrics 1.9.0): a class's own __new__
// (torchmetrics' `Accuracy(task="multiclass", …)` returns a MulticlassAccuracy), values a metric keeps
// (inspect.signature, torch.get_default_dtype), Lightning's own save_hyperparameters (frame
// introspection ConvLens lacks: the stand-in is read instead), and `self.example_input_array`.
// Before: "LitCNN() raises RecursionError / ValueError … so it has no summary", and ≥ totals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';
import { discoverEnvironment } from '../../../engine/python/env/discover';
import { formatTable } from '../../../engine/report/format';
import { packageLines } from '../../../engine/report/package-origin';
import { fakeFs } from '../python/fake-fs';
import { reprOf, runSnippet } from '../python/run-snippet';

const SITE = '/p/.venv/lib/python3.11/site-packages';
// a metric package written the way torchmetrics is: a task wrapper whose __new__ returns the task's class
const METRICS = [
  'import inspect', 'import torch', 'from torch import nn',
  'class Metric(nn.Module):', '    def __init__(self, **kwargs):', '        super().__init__()',
  '        if kwargs:', '            raise ValueError(f"Unexpected keyword arguments: {sorted(kwargs)}")',
  '        self._update_signature = inspect.signature(self.update)', '        self._dtype = torch.get_default_dtype()',
  '    def update(self, preds, target):', '        pass',
  'class MulticlassAccuracy(Metric):', '    def __init__(self, num_classes, **kwargs):', '        super().__init__(**kwargs)',
  '        self.num_classes = num_classes',
  'class Accuracy(Metric):', '    def __new__(cls, task, num_classes=None, **kwargs):',
  '        if task == "multiclass":', '            return MulticlassAccuracy(num_classes, **kwargs)',
  '        raise ValueError(task)',
].join('\n');
const LIGHTNING = 'raise RuntimeError("the real Lightning needs more introspection than ConvLens has")\n';

const LIT = [
  'import torch', 'from torch import nn', 'import lightning as L', 'import metrics',
  'class LitCNN(L.LightningModule):', '    def __init__(self, lr=1e-3, num_classes=10):', '        super().__init__()',
  '        self.save_hyperparameters()', '        self.example_input_array = torch.zeros(2, 1, 28, 28)',
  '        self.conv = nn.Conv2d(1, 8, 3)', '        self.fc = nn.Linear(8 * 26 * 26, self.hparams.num_classes)',
  '        self.acc = metrics.Accuracy(task="multiclass", num_classes=num_classes)',
  '    def forward(self, x):', '        return self.fc(torch.relu(self.conv(x)).flatten(1))',
].join('\n');

test('a LightningModule with a metric, Lightning and the metrics package installed: exact, from its example input', () => {
  const fs = fakeFs({
    '/p/.venv/pyvenv.cfg': 'home = /usr/bin\nversion = 3.11.2\n', [`${SITE}/metrics/__init__.py`]: METRICS,
    [`${SITE}/lightning/__init__.py`]: LIGHTNING,
  });
  const python = discoverEnvironment(fs, { fileDir: '/p', workspaceRoot: '/p' });
  const r = analyzeSource('/p/lit.py', LIT, { host: fs, root: '/p', python });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), []);
  const m = r.models[0];
  // torch: conv 1·8·9 + 8 = 80, fc 5408·10 + 10 = 54,090; a metric has no parameters
  assert.deepEqual([m.name, m.totalParams, m.complete, m.inputShape, m.outputShape], ['LitCNN', 54170, true, [2, 1, 28, 28], [2, 10]]);
  assert.match(m.inputShapeOrigin, /self\.example_input_array/);
  assert.doesNotMatch(formatTable(m), /≥/);
  const lines = packageLines(r.packages).join('\n');
  assert.match(lines, /lightning: built-in lightning \(ConvLens stand-in\) \(read instead of the installed copy in \/p\/\.venv\/lib/);
});

test('__new__: its result is the instance; __init__ runs only on an instance of the class; object.__new__ makes one', () => {
  const g = runSnippet([
    'class Base:', '    def __init__(self, n):', '        self.n = n',
    'class Other(Base):', '    pass',
    'class Wrapper(Base):', '    def __new__(cls, kind, n):', '        if kind == "other":', '            return Other(n * 10)',
    '        return super().__new__(cls)',
    '    def __init__(self, kind, n):', '        super().__init__(n)',
    'class Singleton:', '    _made = None', '    def __new__(cls, *args):',
    '        if cls._made is None:', '            cls._made = object.__new__(cls)', '        return cls._made',
    '    def __init__(self, n):', '        self.n = n',
    'a = Wrapper("other", 4)', 'kind = type(a).__name__', 'n = a.n', 'b = Wrapper("own", 5)', 'own = type(b).__name__', 'm = b.n',
    's1 = Singleton(1)', 's2 = Singleton(2)', 'same = s1 is s2', 'last = s1.n',
  ].join('\n'));
  assert.deepEqual(['kind', 'n', 'own', 'm', 'same', 'last'].map((k) => reprOf(g, k)), ["'Other'", '40', "'Wrapper'", '5', 'True', '2']);
});

test('an exception inside an installed library is a warning that says ConvLens may not follow it; the user\'s own code\'s is an error', () => {
  // torchmetrics' F1Score checks isinstance(beta, float) on its default 1.0, which ConvLens reads as the int 1
  const RAISES = 'from torch import nn\nclass Metric(nn.Module):\n    def __init__(self):\n        super().__init__()\n        raise ValueError("beta")\n';
  const fs = fakeFs({
    '/p/.venv/pyvenv.cfg': 'home = /usr/bin\nversion = 3.11.2\n', [`${SITE}/strict/__init__.py`]: RAISES, '/p/mine.py': RAISES,
  });
  const python = discoverEnvironment(fs, { fileDir: '/p', workspaceRoot: '/p' });
  const model = (lib: string) => ['from torch import nn', `import ${lib}`, 'class Net(nn.Module):', '    def __init__(self):',
    '        super().__init__()', `        self.m = ${lib}.Metric()`, '        self.fc = nn.Linear(2, 2)', '    def forward(self, x):',
    '        return self.fc(x)'].join('\n');
  const fromLib = analyzeSource('/p/net.py', model('strict'), { host: fs, root: '/p', python }).diagnostics;
  assert.deepEqual(fromLib.map((d) => [d.line, d.severity, d.code]), [[3, 'warning', 'library-raised']]);
  assert.match(fromLib[0].message, /ValueError: beta.*raised at line 5 of .*strict\/__init__\.py.* — if the code runs in Python, ConvLens cannot follow that library here/);
  const fromOwn = analyzeSource('/p/net.py', model('mine'), { host: fs, root: '/p', python }).diagnostics;
  assert.deepEqual(fromOwn.map((d) => [d.line, d.severity, d.code]), [[3, 'error', 'python-error']]);
});
