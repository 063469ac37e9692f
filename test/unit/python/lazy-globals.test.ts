// Names imported pending (`lazy-globals.ts`): an installed module's `from package import X` (X's module waiting to
// run, `lazy-package.ts`) or `from .module import X` of a plain module that waits binds X pending; X's module runs
// when X is first read. Every way a file reaches those names gives the report of running every module at the import
// (`lazyAndFull` compares them), and only the modules whose names are read run.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SITE, lazyAndFull, workspaceOf } from './lazy-workspace';
import { lazyStats } from '../../../engine/python/lazy-package';
import { pendingStats } from '../../../engine/python/lazy-globals';
import type { FileReport } from '../../../engine/report/types';

const P = `${SITE}/pend`;

const PACKAGE: Record<string, string> = {
  // a plain package: its __init__ only imports names from its modules
  [`${P}/__init__.py`]: 'from .blocks import make_block, Block\nfrom .widths import WIDE, NARROW\n',
  [`${P}/blocks.py`]: 'import torch.nn as nn\n\nclass Block(nn.Conv2d):\n    pass\n\ndef make_block(c):\n    return Block(3, c, 1)\n',
  [`${P}/widths.py`]: 'WIDE = 8\nNARROW = 2\n',
  // a module the __init__ does not name (timm.layers' attention layers, imported by create_attn only)
  [`${P}/side.py`]: 'SIDE = 5\n',
  // what imports them: names of the package, of a module the __init__ names, of one it does not
  [`${P}/user.py`]: [
    '"""Builds."""', 'from pend import WIDE, make_block', 'from .side import SIDE', 'from .widths import NARROW as N', '',
    'def build():', '    return make_block(WIDE)', '',
  ].join('\n'),
  [`${P}/listed.py`]: "from .side import SIDE\nfrom .widths import WIDE\n__all__ = ['SIDE']\n",
};

const workspace = (extra: Record<string, string> = {}) => workspaceOf({ ...PACKAGE, ...extra });
const width = (r: FileReport) => r.models[0]?.layers.find((l) => l.outputShape)?.outputShape?.[1];
const HEAD = 'import torch\nimport torch.nn as nn\nimport pend.user as U\n';

test('a name imported pending runs its module when read, and only then: the report of a full import', () => {
  const cases: Array<[string, string, number | undefined, number]> = [
    // [what, file, the first layer's channels, modules run on demand]
    ['read in a function it calls', 'model = U.build()\n', 8, 2], // blocks and widths
    ['a module the __init__ does not name', 'model = nn.Conv2d(3, U.SIDE, 1)\n', 5, 1],
    ['bound as another name', 'model = nn.Conv2d(3, U.N, 1)\n', 2, 1],
    ['never read', 'model = nn.Conv2d(3, 4, 1)\n', 4, 0],
    ['read through the package', 'import pend\nmodel = nn.Conv2d(3, pend.WIDE, 1)\n', 8, 1],
    ['rebound from outside', 'U.SIDE = 1\nmodel = nn.Conv2d(3, U.SIDE, 1)\n', 1, 1],
    ['tested for', "model = nn.Conv2d(3, 6 if hasattr(U, 'N') else 9, 1)\n", 6, 1],
    // listings read every pending name first (and keep their places: vars' order is the eager one)
    ['__dict__', 'model = nn.Conv2d(3, len(U.__dict__), 1)\n', 7, 3],
    ['__dict__ in order', "model = nn.Conv2d(3, list(U.__dict__).index('SIDE'), 1)\n", 4, 3],
    ['__dict__ values in order', 'model = nn.Conv2d(3, list(U.__dict__.values()).index(5), 1)\n', 4, 3],
    ['a star import of it', 'from pend.user import *\nmodel = make_block(N)\n', 2, 3],
    ["a star import of one with __all__: its names only", 'from pend.listed import *\nmodel = nn.Conv2d(3, SIDE, 1)\n', 5, 1],
  ];
  for (const [what, body, want, runs] of cases) {
    const before = pendingStats.bound;
    const { report, ran, fallbacks } = lazyAndFull(HEAD + body, workspace());
    assert.equal(fallbacks, 0, `${what}: ${lazyStats.lastFallback}`);
    assert.equal(ran, runs, `${what}: modules run on demand`);
    assert.ok(pendingStats.bound > before, `${what}: names were bound pending`);
    if (want !== undefined) assert.equal(width(report), want, what);
  }
});

test("a pending name's module that raises when read: the analysis is made again in full, the error at the import", () => {
  const failing = workspace({ [`${P}/side.py`]: "SIDE = {}['x']\n" });
  const { report, fallbacks } = lazyAndFull(`${HEAD}model = nn.Conv2d(3, U.SIDE, 1)\n`, failing);
  assert.equal(fallbacks, 1);
  // as Python: the KeyError is raised by `import pend.user`, line 3, from side.py's line 1
  assert.ok(report.diagnostics.some((d) => d.line === 3 && /KeyError/.test(d.message)), JSON.stringify(report.diagnostics));
});

test('a name the scan thought bound that its module does not bind: the full import, where Python fails', () => {
  // `defines` is a superset (a block's names): SIDE is not bound when the module runs
  const unbound = workspace({ [`${P}/side.py`]: 'if False:\n    SIDE = 5\n' });
  const { report, fallbacks } = lazyAndFull(`${HEAD}model = nn.Conv2d(3, U.SIDE, 1)\n`, unbound);
  assert.equal(fallbacks, 1);
  // as at a full import, where `from .side import SIDE` found nothing: the layer's channels are unknown
  assert.ok(!report.models[0]?.layers[0]?.outputShape);
});

test('a name the module plainly lacks, or a module with effects, is imported at once as before', () => {
  for (const side of ['OTHER = 5\n', 'import torch.nn as nn\nnn.Conv2d.extra = 1\nSIDE = 5\n']) {
    const before = pendingStats.bound;
    const { fallbacks } = lazyAndFull(`${HEAD}model = nn.Conv2d(3, 4, 1)\n`, workspace({ [`${P}/side.py`]: side }));
    assert.equal(fallbacks, 0);
    // WIDE, make_block, N are still pending; SIDE is not
    assert.equal(pendingStats.bound - before, 3, side);
  }
});
