// Installed packages parsed ahead on a helper thread (engine/python/parse-ahead.ts, engine/cli/parse-ahead-node.ts):
// a module parsed there and moved as plain data must be the module a parse here gives (every skipped body read
// from the text on first use, positions included), and an analysis that takes modules from the helper must give
// the report an analysis without it gives. The helper is the real one, bundled by esbuild as the build does.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { buildSync } from 'esbuild';
import { analyzeSource } from '../../../engine/analyze';
import { nodeHost } from '../../../engine/cli/node-host';
import { ThreadParseAhead } from '../../../engine/cli/parse-ahead-node';
import { withFreshParseCache } from '../../../engine/python/imports';
import { moduleFromPlain, parseIncremental, parsePython, plainModule } from '../../../engine/python/parse';
import { importTargets, setParseAhead } from '../../../engine/python/parse-ahead';
import { tempDir } from '../temp-dir';
import { pythonFiles } from './python-files';

/** The module as another thread would send it: plain data, structured-cloned. */
const moved = (text: string) => moduleFromPlain(deserialize(serialize(plainModule(parseIncremental(text, undefined, { lazyBodies: true }).module))), text);

test('a module parsed elsewhere and moved as plain data is the module parsed here (torchvision 0.14.1 and the fixtures)', () => {
  const files = pythonFiles(join(__dirname, '../../fixtures'));
  assert.ok(files.length > 200);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const m = moved(text);
    // JSON.stringify reads every lazily parsed body: the whole parse is the truth
    assert.equal(JSON.stringify(m.body), JSON.stringify(parsePython(text).body), f);
    const here = parsePython(text, { lazyBodies: true });
    assert.deepEqual(m.errors, here.errors, f);
    assert.deepEqual(m.lineStarts, here.lineStarts, f);
  }
});

test('a moved module reads a body that does not parse alone from the whole text, as a parse here does', () => {
  const resnet = readFileSync(join(__dirname, '../../fixtures/zoo/torchvision/models/resnet.py'), 'utf8');
  const text = resnet.replace('        if dilate:', '        dilate:');
  assert.equal(JSON.stringify(moved(text).body), JSON.stringify(parsePython(text).body));
});

test('import targets come in the order Python runs them, packages before what is under them', () => {
  const m = parsePython([
    'import a.b as ab', 'from . import x, y', 'from ..pkg.mod import name', 'try:', '    from .opt import z', 'except ImportError:',
    '    z = None', 'class C:', '    from .inner import w', 'def f():', '    import never_at_import_time', 'from .star import *',
  ].join('\n'), { lazyBodies: true });
  const targets = importTargets(m).map((t) => `${'.'.repeat(t.level)}${t.path.join('.')}`);
  assert.deepEqual(targets, ['a', 'a.b', '.', '.x', '.y', '..pkg', '..pkg.mod', '..pkg.mod.name', '.opt', '.opt.z', '.inner', '.inner.w', '.star']);
});

/** A package with relative, absolute and star imports, decorators and a registry (as timm's models register). */
const PKG: Record<string, string> = {
  'pkg/__init__.py': 'from .blocks import build, REGISTRY\nfrom . import models\nimport pkg.extra as extra\n',
  'pkg/extra.py': 'WIDTH = 8\n',
  'pkg/blocks.py': [
    'import torch.nn as nn', 'from pkg.extra import WIDTH', 'REGISTRY = {}', '',
    'def register(fn):', '    REGISTRY[fn.__name__] = fn', '    return fn', '',
    'class Block(nn.Sequential):', '    def __init__(self, c_in, c_out):',
    '        super().__init__(nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU())', '',
    'def build(name, **kw):', '    return REGISTRY[name](**kw)', '',
  ].join('\n'),
  'pkg/models/__init__.py': 'from .small import *\nfrom .large import *\n',
  'pkg/models/small.py': [
    'from ..blocks import register, Block', 'from ..extra import WIDTH', '__all__ = ["small"]', '',
    '@register', 'def small(num_classes=10):', '    import torch.nn as nn',
    '    return nn.Sequential(Block(3, WIDTH), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(WIDTH, num_classes))', '',
  ].join('\n'),
  'pkg/models/large.py': [
    'from ..blocks import register, Block', '__all__ = ["large"]', '',
    '@register', 'def large(num_classes=10):', '    import torch.nn as nn',
    '    return nn.Sequential(Block(3, 64), Block(64, 64), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, num_classes))', '',
  ].join('\n'),
};

test('an analysis that takes the modules a helper thread parsed ahead gives the report of one that parses them itself', async () => {
  const dir = tempDir('convlens-parse-ahead-');
  const script = join(dir, 'parse-helper.js');
  buildSync({ entryPoints: [join(__dirname, '../../../engine/cli/parse-helper.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'error' });
  const site = join(dir, 'venv/lib/python3.11/site-packages');
  for (const [path, text] of Object.entries(PKG)) {
    mkdirSync(dirname(join(site, path)), { recursive: true });
    writeFileSync(join(site, path), text);
  }
  const main = join(dir, 'ws/main.py');
  const source = 'import pkg\nimport torch\nmodel = pkg.build("large", num_classes=5)\nsmall = pkg.build("small")\ny = model(torch.randn(1, 3, 16, 16))\n';
  const options = { root: dirname(main), host: nodeHost, python: { paths: [{ path: site, source: 'venv' as const }], problems: [] } };
  const alone = withFreshParseCache(() => analyzeSource(main, source, options));
  assert.equal(alone.models.length, 2);
  // Conv2d(3, 64) + Conv2d(64, 64) + Linear(64, 5)
  assert.equal(alone.models.find((m) => m.name === 'model')?.totalParams, 1792 + 36928 + 325);
  const ahead = new ThreadParseAhead(script);
  try {
    // everything parsed ahead before the analysis asks: each module must then be taken, none parsed here
    ahead.package(join(site, 'pkg'));
    const files = Object.keys(PKG).length;
    for (let waited = 0; ahead.waiting() < files; waited += 20) {
      assert.ok(waited < 60_000, `the helper parsed ${ahead.waiting()} of ${files} modules`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // a module whose text is not what the helper read (an open document's unsaved edit) is parsed here
    assert.equal(ahead.take(join(site, 'pkg/extra.py'), 'WIDTH = 16\n'), undefined);
    setParseAhead(ahead);
    const taken = withFreshParseCache(() => analyzeSource(main, source, options));
    assert.deepStrictEqual(taken, alone);
    assert.deepEqual(ahead.stats, { taken: files - 1, here: 2, waited: 0 });
  } finally {
    setParseAhead(undefined);
    ahead.stop();
  }
});
