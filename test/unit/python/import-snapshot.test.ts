// Import snapshots (`engine/python/import-snapshot.ts`): an analysis that starts from what the previous
// one's imports made must give the same report as a fresh analysis, through edits of the file, of a
// workspace module, of an installed package and of the import lines; imports that mutate another
// module or a class attribute at import time, and a file that mutates the imported modules after its
// imports (their globals, a class, a closure's state, a mutable default), must not leak into the next
// analysis, which reads the snapshot lazily; imports that change the built-in world are run again.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource, type AnalyzeOptions } from '../../../engine/analyze';
import { ImportCache } from '../../../engine/python/import-cache';
import { withFreshParseCache } from '../../../engine/python/imports';
import { withWholeParses } from '../../../engine/python/parse';
import type { FileReport } from '../../../engine/report/types';

const SITE = '/ws/.venv/lib/python3.11/site-packages';

/** An installed package with the module-level state the snapshot must copy exactly. */
const LIB: Record<string, string> = {
  [`${SITE}/mylib/__init__.py`]: 'from .layers import Block, REGISTRY, register\nfrom . import extras\n',
  [`${SITE}/mylib/layers.py`]: [
    'import re', 'import torch.nn as nn', 'from collections import namedtuple', 'from dataclasses import dataclass',
    'from enum import Enum', 'from functools import partial', '',
    'REGISTRY = {}', 'COUNT = 1', "PATTERN = re.compile(r'(\\d+)')", "Spec = namedtuple('Spec', 'width depth', defaults=[2])", '',
    'def register(fn):', '    REGISTRY[fn.__name__] = fn', '    return fn', '',
    'def widths(n):', '    for i in range(n):', '        yield 4 * (i + 1)', '',
    '@dataclass', 'class Cfg:', '    width: int = 8', '    depth: int = 2', '',
    'class Act(str, Enum):', "    RELU = 'relu'", "    GELU = 'gelu'", '',
    'class Block(nn.Module):', '    instances = []', '',
    '    def __init__(self, c_in, c_out, act=Act.RELU):', '        super().__init__()',
    '        self.conv = nn.Conv2d(c_in, c_out, 3, padding=1)', '        self.act = nn.ReLU() if Act(act) is Act.RELU else nn.GELU()', '',
    '    def forward(self, x):', '        return self.act(self.conv(x))', '',
    "Block.instances.append('layers')", 'wide = partial(Block, act=Act.GELU)', '',
    '# state a closure and a mutable default keep',
    'def counter():', '    n = [0]', '    def bump():', '        n[0] += 1', '        return n[0]', '    return bump', '',
    'BUMP = counter()', '',
    'def collect(x, acc=[]):', '    acc.append(x)', '    return len(acc)', '',
  ].join('\n'),
  // mutates another module's globals and a class attribute at import time, and registers into its dict
  [`${SITE}/mylib/extras.py`]: [
    'from . import layers', 'layers.COUNT = 3', "layers.Block.instances.append('extras')", '',
    '@layers.register', 'def tiny(c):', '    return layers.Block(c, layers.COUNT)', '',
  ].join('\n'),
};

const HELPERS = (n: number) => `WIDTH = ${n}\n\ndef double(x):\n    return 2 * x\n`;

/** The file: its imports, then code that reads and mutates what they made. */
const MAIN = (out: number, head = '') => [
  `${head}import torch`, 'import torch.nn as nn', 'import mylib', 'from mylib.layers import Spec, Cfg, widths, PATTERN, wide', 'from helpers import WIDTH, double', '',
  '# the file changes the imported modules: the next analysis must not see it',
  "mylib.layers.Block.instances.append('main')", "mylib.REGISTRY['main'] = len(mylib.REGISTRY)", 'mylib.layers.COUNT += 10',
  'mylib.layers.BUMP()', 'mylib.layers.BUMP()', 'mylib.layers.collect(1)', 'mylib.layers.Block.extra = 5', '',
  'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
  '        c = len(mylib.layers.Block.instances) + len(mylib.REGISTRY) + mylib.layers.COUNT',
  "        c += mylib.layers.BUMP() + mylib.layers.collect(2) + getattr(mylib.layers.Block, 'extra', 0)",
  '        s = Spec(WIDTH)', '        cfg = Cfg()', "        n = int(PATTERN.findall('x' + str(s.depth))[0])",
  "        self.a = mylib.REGISTRY['tiny'](3)", '        self.b = wide(13, c)', '        self.c = mylib.Block(c, double(cfg.width) + sum(widths(n)))',
  `        self.fc = nn.Linear(double(cfg.width) + sum(widths(n)), ${out})`, '',
  '    def forward(self, x):', '        x = self.c(self.b(self.a(x)))', '        return self.fc(x.mean((2, 3)))', '',
  'model = Net()', 'y = model(torch.randn(1, 3, 8, 8))', '',
].join('\n');

function workspace(extra: Record<string, string> = {}) {
  const files = new Map<string, string>(Object.entries({ ...LIB, '/ws/helpers.py': HELPERS(4), ...extra }));
  const isDirectory = (p: string) => [...files.keys()].some((k) => k.startsWith(`${p}/`));
  return { files, host: { readFile: (p: string) => files.get(p), isDirectory } };
}

const options = (host: AnalyzeOptions['host']): AnalyzeOptions => ({
  root: '/ws', host, python: { paths: [{ path: SITE, source: 'venv', env: '/ws/.venv' }], problems: [] },
});

function check(cache: ImportCache, host: AnalyzeOptions['host'], text: string, what: string): FileReport {
  const cached = analyzeSource('/ws/main.py', text, { ...options(host), importCache: cache });
  const fresh = withFreshParseCache(() => analyzeSource('/ws/main.py', text, options(host)));
  assert.deepStrictEqual(cached, fresh, what);
  // and imported modules parsed whole, their function bodies with them (skip-bodies.ts)
  assert.deepStrictEqual(withFreshParseCache(() => withWholeParses(() => analyzeSource('/ws/main.py', text, options(host)))), fresh, `${what} (whole parses)`);
  return cached;
}

test('analyses from an import snapshot equal fresh ones through edits of the file, its modules and the venv', () => {
  const { files, host } = workspace();
  const cache = new ImportCache();
  const first = check(cache, host, MAIN(10), 'first analysis');
  assert.equal(cache.stats.taken, 1, `a snapshot is taken (${cache.stats.refused})`);
  assert.equal(first.models.length, 1);
  assert.deepEqual(first.diagnostics.filter((d) => d.severity === 'error'), []);
  // 1 (layers) + 1 (extras) + 1 (main) instances, tiny + main in the registry, COUNT 3 + 10, the third
  // bump, the second item collected and Block.extra 5: 28 channels
  assert.equal(first.models[0].layers.find((l) => l.path === 'b.conv')?.outputShape?.[1], 28);
  assert.equal(first.models[0].layers.find((l) => l.path === 'b.act')?.type, 'GELU');
  // widths(2) = 4 + 8; double(8) = 16
  assert.equal(first.models[0].layers.find((l) => l.path === 'c.conv')?.outputShape?.[1], 28);

  const again = check(cache, host, MAIN(10), 'the same file again: what the file did to the modules is gone');
  assert.deepStrictEqual(again, first);
  check(cache, host, MAIN(12), 'an edit below the imports');
  assert.equal(cache.stats.reused, 2, 'both analyses started from the snapshot');

  files.set('/ws/helpers.py', HELPERS(6));
  check(cache, host, MAIN(12), 'a workspace module edited');
  assert.equal(cache.stats.reused, 2, 'an edited module runs the imports again');
  check(cache, host, MAIN(12), 'and the next edit reuses the new snapshot');
  assert.equal(cache.stats.reused, 3);

  files.set(`${SITE}/mylib/extras.py`, LIB[`${SITE}/mylib/extras.py`].replace('layers.COUNT = 3', 'layers.COUNT = 5'));
  const venvEdit = check(cache, host, MAIN(12), 'a file of the installed package edited');
  assert.equal(venvEdit.models[0].layers.find((l) => l.path === 'b.conv')?.outputShape?.[1], 30);
  assert.equal(cache.stats.reused, 3);

  // a workspace copy of the package now shadows the installed one: the snapshot had looked for it
  files.set('/ws/mylib/__init__.py', 'from .layers import Block, REGISTRY\nREGISTRY["own"] = 1\n');
  files.set('/ws/mylib/layers.py', LIB[`${SITE}/mylib/layers.py`]);
  check(cache, host, MAIN(12), 'a new file where the imports had found nothing');
  assert.equal(cache.stats.reused, 3);
  files.delete('/ws/mylib/__init__.py');
  files.delete('/ws/mylib/layers.py');

  check(cache, host, MAIN(12, '\n'), 'the import lines moved');
  check(cache, host, MAIN(12, '\n'), 'and reused from their new place');
  assert.equal(cache.stats.reused, 4);
});

test('imports that change the built-in world are run every time', () => {
  const cases = [
    { patch: 'import math\nmath.tau = 7\n', features: 'math.tau', refused: /changed the built-in math: tau/ },
    { patch: 'import torch.nn as nn\nnn.Extra = 7\n', features: 'nn.Extra', refused: /changed the built-in torch.nn: Extra/ },
    // enum.auto counts in the built-in world, outside any Python value
    { patch: 'from enum import Enum, auto\nclass Mode(Enum):\n    A = auto()\n    B = auto()\n', features: 'K.X.value + 5', refused: /state the built-in modules keep/ },
  ];
  for (const { patch, features, refused } of cases) {
    const { host } = workspace({ '/ws/patch.py': patch });
    const cache = new ImportCache();
    const text = 'import torch.nn as nn\nimport patch\nimport math\nfrom enum import Enum, auto\n\nclass K(Enum):\n    X = auto()\n\n'
      + 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n'
      + `        self.fc = nn.Linear(${features}, 3)\n\n    def forward(self, x):\n        return self.fc(x)\n\nmodel = Net()\n`;
    const first = check(cache, host, text, `first analysis (${features})`);
    if (!features.startsWith('K')) assert.equal(first.models[0].totalParams, 7 * 3 + 3);
    check(cache, host, `${text}\n`, `an edit (${features})`);
    assert.equal(cache.stats.taken, 0);
    assert.equal(cache.stats.reused, 0);
    assert.match(cache.stats.refused, refused);
  }
});

test('imports that make framework objects at import time are run every time', () => {
  const { host } = workspace({ '/ws/prebuilt.py': 'import torch.nn as nn\nSTEM = nn.Conv2d(3, 8, 3)\n' });
  const cache = new ImportCache();
  const text = 'import torch.nn as nn\nfrom prebuilt import STEM\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n'
    + '        self.stem = STEM\n\n    def forward(self, x):\n        return self.stem(x)\n\nmodel = Net()\n';
  check(cache, host, text, 'first analysis');
  check(cache, host, `${text}\n`, 'an edit');
  assert.equal(cache.stats.taken, 0);
  assert.match(cache.stats.refused, /framework objects/);
});
