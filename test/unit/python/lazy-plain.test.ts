// Plain packages run lazily (`registry-scan.ts` scanPlainModule/fromImports, `lazy-package.ts`): a package whose
// `__init__` only imports names from its modules (timm.layers, timm.data) runs each module that defines only its
// own names when one of them is read. Every way a file reaches those names gives the report of running them all
// at the import (`fullImports`); torch.fx registrations of a deferred module are guarded like a registry; a module
// that raises when run on demand makes the analysis again in full, and a name a module does not bind runs it at
// the import (Python's ImportError there).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SITE, lazyAndFull, workspaceOf } from './lazy-workspace';
import { lazyStats } from '../../../engine/python/lazy-package';
import { fromImports, scanPlainModule } from '../../../engine/python/registry-scan';
import type { FileReport } from '../../../engine/report/types';

const L = `${SITE}/minilib/layers`;

const PACKAGE: Record<string, string> = {
  [`${SITE}/minilib/__init__.py`]: 'from .layers import make_conv\n',
  [`${L}/__init__.py`]: [
    '"""Layers."""', 'from ._fx import register_notrace_module, get_notrace_modules, is_notrace_module',
    'from .act import *', 'from .conv import make_conv, ConvBlock as Block', 'from .norm import make_norm, NORM_WIDTH',
    'from .cfg import WIDTH', 'from .conv import (', '    conv_width,', ')', '',
  ].join('\n'),
  // timm.layers._fx: it defines the registrations' functions, so it runs at the import
  [`${L}/_fx.py`]: [
    'from torch import nn', '', '_leaf_modules = set()', '', 'def register_notrace_module(module):',
    '    _leaf_modules.add(module)', '    return module', '', 'def is_notrace_module(module):',
    '    return module in _leaf_modules', '', 'def get_notrace_modules():', '    return list(_leaf_modules)', '',
  ].join('\n'),
  [`${L}/act.py`]: [
    'import torch.nn as nn', "__all__ = ['Act', 'make_act']", '', 'class Act(nn.ReLU):', '    pass', '',
    'def make_act():', '    return Act()', '',
  ].join('\n'),
  [`${L}/conv.py`]: [
    'import torch.nn as nn', 'from .act import make_act', 'from ._fx import register_notrace_module', '', 'conv_width = 4', '',
    '@register_notrace_module', 'class ConvBlock(nn.Module):', '    def __init__(self, c):', '        super().__init__()',
    '        self.conv = nn.Conv2d(3, c, 3)', '        self.act = make_act()', '', '    def forward(self, x):',
    '        return self.act(self.conv(x))', '', 'def make_conv(c):', '    return nn.Conv2d(3, c, 3)', '',
  ].join('\n'),
  [`${L}/norm.py`]: [
    'import torch.nn as nn', 'try:', '    from torch.nn import GroupNorm', '    NORM_WIDTH = 6', 'except ImportError:',
    '    NORM_WIDTH = 2', '', '@register_notrace_module', 'class Norm(nn.BatchNorm2d):', '    pass', '',
    'def make_norm(c):', '    return Norm(c)', '',
  ].join('\n').replace('import torch.nn as nn', 'import torch.nn as nn\nfrom ._fx import register_notrace_module'),
  // a loop at its top level: the scan cannot tell what it changes, so it runs at the import
  [`${L}/cfg.py`]: 'WIDTH = 1\nfor _ in range(4):\n    WIDTH += 1\n',
};

function workspace(extra: Record<string, string> = {}) {
  return workspaceOf({ ...PACKAGE, ...extra });
}

const both = (main: string, host = workspace()) => lazyAndFull(main, host);

const width = (r: FileReport) => r.models[0]?.layers.find((l) => l.outputShape)?.outputShape?.[1];
const HEAD = 'import torch\nimport torch.nn as nn\nimport minilib.layers as L\n';

test("every way to a plain package's names gives the report of a full import, running only what it needs", () => {
  const cases: Array<[string, string, number | undefined, number]> = [
    // [what, file, the first layer's channels, modules run on demand]
    // conv only: the make_act it imports is pending in its globals, and make_conv does not read it
    ['an imported name', 'model = L.make_conv(5)\n', 5, 1],
    ['through the top package', 'import minilib\nmodel = minilib.make_conv(3)\n', 3, 1],
    ['a name bound as another', 'model = L.Block(7)\n', 7, 2], // conv, and act: ConvBlock reads make_act
    ['a star-imported name', 'model = nn.Sequential(nn.Conv2d(3, 2, 1), L.make_act())\n', 2, 1],
    ['a name from a try block', 'model = nn.Conv2d(3, L.NORM_WIDTH, 1)\n', 6, 1],
    ['a module that ran at the import', 'model = nn.Conv2d(3, L.WIDTH, 1)\n', 5, 0],
    ['the submodule', 'model = L.norm.make_norm(3)\n', 3, 1],
    ['from the submodule', 'from minilib.layers.conv import conv_width\nmodel = nn.Conv2d(3, conv_width, 1)\n', 4, 1],
    ['a registration asked about', 'model = nn.Conv2d(3, 2 if L.is_notrace_module(L.Block) else 8, 1)\n', 2, 3],
    ['the registrations listed', 'model = nn.Conv2d(3, len(L.get_notrace_modules()), 1)\n', 2, 3],
    ['import *', 'from minilib.layers import *\nmodel = make_conv(len(dir()))\n', undefined, 3],
  ];
  for (const [what, body, want, runs] of cases) {
    const { report, ran, fallbacks } = both(HEAD + body);
    assert.equal(fallbacks, 0, `${what}: ${lazyStats.lastFallback}`);
    assert.equal(ran, runs, `${what}: modules run on demand`);
    if (want !== undefined) assert.equal(width(report), want, what);
  }
});

test('a name the package lacks is the AttributeError of a full import, after every module ran', () => {
  const { report, fallbacks, ran } = both(`${HEAD}model = L.make_nothing(3)\n`);
  assert.equal(fallbacks, 0);
  assert.equal(ran, 3);
  assert.match(report.diagnostics.map((d) => d.message).join('\n'), /make_nothing/);
});

test('a module that raises when run on demand makes the analysis again with every module run at the import', () => {
  const failing = PACKAGE[`${L}/norm.py`].replace('def make_norm', "_broken = {}['x']\n\ndef make_norm");
  const { report, fallbacks } = both(`${HEAD}model = L.make_norm(3)\n`, workspace({ [`${L}/norm.py`]: failing }));
  assert.equal(fallbacks, 1);
  // as at a full import: the error is shown at the import line
  assert.ok(report.diagnostics.some((d) => d.line === 3 && /KeyError/.test(d.message)), JSON.stringify(report.diagnostics));
});

test('a name its module does not bind runs that module at the import, where Python raises ImportError', () => {
  const init = PACKAGE[`${L}/__init__.py`].replace('make_norm, NORM_WIDTH', 'make_norm, NORM_WIDTH, make_group_norm');
  // norm ran at the import: nothing runs on demand for its names
  const { report, fallbacks, ran } = both(`${HEAD}model = L.make_norm(3)\n`, workspace({ [`${L}/__init__.py`]: init }));
  assert.equal(fallbacks, 0);
  assert.equal(ran, 0);
  assert.equal(width(report), 3);
});

test('the plain scan: what it defers, what it binds, and what runs at the import', () => {
  const conv = scanPlainModule(PACKAGE[`${L}/conv.py`]);
  assert.deepEqual([conv.eager, conv.registry, conv.declared], [undefined, '._fx', undefined]);
  assert.deepEqual([...conv.defines].sort(), ['ConvBlock', 'conv_width', 'make_act', 'make_conv', 'nn', 'register_notrace_module']);
  assert.deepEqual(scanPlainModule(PACKAGE[`${L}/act.py`]).declared, ['Act', 'make_act']);
  assert.ok(scanPlainModule(PACKAGE[`${L}/norm.py`]).defines.has('NORM_WIDTH'));
  const eager: Array<[string, RegExp]> = [
    [PACKAGE[`${L}/cfg.py`], /effects the scan cannot see/],
    [PACKAGE[`${L}/_fx.py`], /register_notrace_\* used other than/],
    ['import torch.nn as nn\nnn.Conv2d.extra = 1\n', /effects the scan cannot see/],
    ['import torch\ntry:\n    torch.backends.flag = True\nexcept Exception:\n    pass\n', /effects the scan cannot see/],
    ['from .reg import table\ntable["x"] = 1\n', /effects the scan cannot see/],
    ['from .reg import register\n@register\ndef f():\n    pass\n', /a decorator that may have effects/],
    ['from .reg import register_model\n@register_model\ndef f():\n    pass\n', /a decorator that may have effects/],
    ["__all__ = ['a']\n__all__ += ['b']\n", /effects the scan cannot see/],
    ["__all__ = [name for name in dir()]\n", /__all__ is not a list of strings/],
    ['@register_notrace_module\nclass A:\n    pass\n', /not imported from a module/],
  ];
  for (const [src, why] of eager) assert.match(scanPlainModule(src).eager ?? '', why, src);
  assert.equal(scanPlainModule('import torch\n@torch.fx.wrap\ndef f(x):\n    return x\n\n@dataclass\nclass C:\n    a: int = 1\n').eager, undefined);
});

test("the __init__ statements a plain package may defer: only 'from .module import …'", () => {
  assert.deepEqual(fromImports(PACKAGE[`${L}/__init__.py`]), [
    { short: '_fx', names: [['register_notrace_module', 'register_notrace_module'], ['get_notrace_modules', 'get_notrace_modules'], ['is_notrace_module', 'is_notrace_module']] },
    { short: 'act', names: '*' },
    { short: 'conv', names: [['make_conv', 'make_conv'], ['Block', 'ConvBlock']] },
    { short: 'norm', names: [['make_norm', 'make_norm'], ['NORM_WIDTH', 'NORM_WIDTH']] },
    { short: 'cfg', names: [['WIDTH', 'WIDTH']] },
    { short: 'conv', names: [['conv_width', 'conv_width']] },
  ]);
  assert.deepEqual(fromImports('from .a import b, \\\n    c  # why\n'), [{ short: 'a', names: [['b', 'b'], ['c', 'c']] }]);
  for (const src of ['import os\nfrom .a import b\n', 'from .a import b\nX = 1\n', 'from . import a\n', 'from .a.b import c\n', 'from .a import (b.c)\n']) {
    assert.equal(fromImports(src), undefined, src);
  }
});
