// Registry modules run when asked for (`lazy-package.ts`, `registry-scan.ts`): a package built like timm's
// (`models/__init__.py` star-imports modules that fill a registry with `@register_model`) gives the same report
// whether its modules run when a name they register is asked for or all at the import (`fullImports`), for
// every way a fine-tuning file reaches a model; a scan that is wrong, or a module that raises when run on
// demand, makes the analysis again with every module run at the import, never a wrong registry.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parsePython } from '../../../engine/python/parse';
import type { Expr, Stmt } from '../../../engine/python/ast';
import { analyzeSource } from '../../../engine/analyze';
import { SITE, lazyAndFull, options, workspaceOf } from './lazy-workspace';
import { pendingStats } from '../../../engine/python/lazy-globals';
import { lazyStats } from '../../../engine/python/lazy-package';
import { ImportCache } from '../../../engine/python/import-cache';
import { setParseStore } from '../../../engine/python/parse-store';
import { countInCode, scanAggregate, scanModelModule, scanSubpackage, starImports, submoduleImports } from '../../../engine/python/registry-scan';
import { pythonFiles } from './python-files';
import { TORCHVISION } from '../../../engine/frameworks/pytorch/zoo/torchvision';
import { nodeHost } from '../../../engine/cli/node-files';
import { TIMM_FILE } from '../../bench/timm-file';
import type { FileReport } from '../../../engine/report/types';

const M = `${SITE}/minitimm/models`;

/** A registry written the way timm's `_registry.py` is (module-level dicts and sets, a defaultdict, tags). */
const REGISTRY = [
  'import sys', 'import fnmatch', 'from collections import defaultdict', '',
  '_module_to_models = defaultdict(set)', '_model_to_module = {}', '_model_entrypoints = {}',
  '_model_has_pretrained = set()', '_model_pretrained_cfgs = {}', '_deprecated_models = {}', '',
  'def register_model(fn):', '    mod = sys.modules[fn.__module__]', "    module_name = fn.__module__.split('.')[-1]",
  '    model_name = fn.__name__', "    if hasattr(mod, '__all__'):", '        mod.__all__.append(model_name)', '    else:',
  '        mod.__all__ = [model_name]', '    _model_entrypoints[model_name] = fn', '    _model_to_module[model_name] = module_name',
  '    _module_to_models[module_name].add(model_name)',
  "    if hasattr(mod, 'default_cfgs') and model_name in mod.default_cfgs:",
  '        for tag, cfg in mod.default_cfgs[model_name].items():',
  "            _model_pretrained_cfgs[model_name + ('.' + tag if tag else '')] = cfg",
  "            if cfg.get('url'):", '                _model_has_pretrained.add(model_name)', '    return fn', '',
  'def register_model_deprecations(module_name, deprecation_map):', '    mod = sys.modules[module_name]',
  "    short = module_name.split('.')[-1]", '    for deprecated, current in deprecation_map.items():',
  "        if hasattr(mod, '__all__'):", '            mod.__all__.append(deprecated)',
  "        fn = getattr(mod, current.split('.')[0])", '        setattr(mod, deprecated, fn)',
  '        _model_entrypoints[deprecated] = fn', '        _model_to_module[deprecated] = short',
  '        _module_to_models[short].add(deprecated)', '        _deprecated_models[deprecated] = current', '',
  "def is_model(name):", "    return name.split('.')[0] in _model_entrypoints", '',
  "def model_entrypoint(name):", "    return _model_entrypoints[name.split('.')[0]]", '',
  "def list_models(filter='', module='', pretrained=False):",
  '    names = _module_to_models[module] if module else set(_model_entrypoints.keys())',
  '    names = [n for n in names if n not in _deprecated_models]',
  '    if filter:', '        names = fnmatch.filter(names, filter)',
  '    if pretrained:', '        names = [n for n in names if n in _model_has_pretrained]', '    return sorted(names)', '',
  'def list_modules():', '    return sorted(_module_to_models.keys())', '',
  'def get_pretrained_cfg(name):', '    if name in _model_pretrained_cfgs:', '        return _model_pretrained_cfgs[name]',
  "    raise RuntimeError('no cfg for ' + name)", '',
].join('\n');

const FACTORY = [
  'from ._registry import is_model, model_entrypoint', '',
  'def create_model(name, pretrained=False, **kwargs):', '    if not is_model(name):',
  "        raise RuntimeError('Unknown model (%s)' % name)", '    return model_entrypoint(name)(pretrained=pretrained, **kwargs)', '',
].join('\n');

/** A model module: a class, its entry points registered, cfgs with tags. */
const modelModule = (cls: string, names: Array<[string, number]>, extra = ''): string => [
  'import torch.nn as nn', 'from ._registry import register_model, register_model_deprecations', '',
  `__all__ = ['${cls}']`, '',
  `class ${cls}(nn.Module):`, '    def __init__(self, width, num_classes=1000):', '        super().__init__()',
  '        self.conv = nn.Conv2d(3, width, 3)', '        self.pool = nn.AdaptiveAvgPool2d(1)', '        self.flat = nn.Flatten()',
  '        self.fc = nn.Linear(width, num_classes)', '', '    def forward(self, x):',
  '        return self.fc(self.flat(self.pool(self.conv(x))))', '',
  `default_cfgs = {${names.map(([n]) => `'${n}': {'': {'url': 'u'}, 'in1k': {'url': ''}}`).join(', ')}}`, '',
  ...names.flatMap(([n, w]) => ['@register_model', `def ${n}(pretrained=False, **kwargs):`, `    return ${cls}(${w}, **kwargs)`, '']),
  extra,
].join('\n');

const PACKAGE: Record<string, string> = {
  [`${SITE}/minitimm/__init__.py`]: 'from .models import create_model, list_models, is_model, list_modules\n',
  [`${M}/__init__.py`]: [
    'from .alpha import *', 'from .beta import *', 'from .gamma import *', 'from .gamma_ext import *', '',
    'from ._factory import create_model',
    'from ._registry import list_models, is_model, list_modules, model_entrypoint, get_pretrained_cfg, register_model', '',
  ].join('\n'),
  [`${M}/_registry.py`]: REGISTRY,
  [`${M}/_factory.py`]: FACTORY,
  [`${M}/alpha.py`]: modelModule('Alpha', [['alpha_tiny', 4], ['alpha_base', 8]]),
  // no __all__: register_model makes it; a deprecated alias
  [`${M}/beta.py`]: modelModule('Beta', [['beta_small', 6]]).replace("__all__ = ['Beta']", '')
    + "\nregister_model_deprecations(__name__, {'old_beta': 'beta_small'})\n",
  // a block registry another module adds to at its top level (timm's byobnet and mobilevit)
  [`${M}/gamma.py`]: modelModule('Gamma', [['gamma_a', 5]], [
    '_blocks = dict(plain=nn.Identity)', '', 'def register_block(name, fn):', '    _blocks[name] = fn', '',
    'def block_count():', '    return len(_blocks)', '',
  ].join('\n')),
  [`${M}/gamma_ext.py`]: modelModule('GammaExt', [['gamma_ext_b', 7]], "from .gamma import register_block\nregister_block('ext', nn.ReLU)\n")
    .replace('from ._registry', 'import torch\nfrom ._registry'),
};

function workspace(extra: Record<string, string | undefined> = {}) {
  return workspaceOf({ ...PACKAGE, ...extra });
}

const both = (main: string, host = workspace()) => lazyAndFull(main, host);

const channels = (r: FileReport, path: string) => r.models[0]?.layers.find((l) => l.path === path)?.outputShape?.[1];
const HEAD = 'import torch\nimport torch.nn as nn\nimport minitimm\n';

test('every way to reach a registered model gives the report of a full import, running only what it needs', () => {
  const cases: Array<[string, string, number | undefined, number]> = [
    // [what, file, conv channels or the head's width, modules run on demand]
    ['create_model', "model = minitimm.create_model('alpha_base', num_classes=10)\n", 8, 1],
    ['a tag', "model = minitimm.create_model('alpha_tiny.in1k')\n", 4, 1],
    ['the package attribute', 'model = minitimm.models.beta_small(num_classes=3)\n', 6, 1],
    ['a deprecated name', "model = minitimm.create_model('old_beta')\n", 6, 1],
    ['from the submodule', 'from minitimm.models.alpha import alpha_tiny\nmodel = alpha_tiny()\n', 4, 1],
    ['an exported class', 'from minitimm.models import Alpha\nmodel = Alpha(3)\n', 3, 1],
    ['a block another module registers', 'from minitimm.models.gamma import block_count, Gamma\nmodel = Gamma(block_count())\n', 2, 2],
    ['list_models', "names = minitimm.list_models('alpha*')\nmodel = nn.Conv2d(3, len(names), 1)\n", 2, 4],
    ['list_models by module', "model = nn.Conv2d(3, len(minitimm.list_models(module='beta')), 1)\n", 1, 1],
    ['list_modules', 'model = nn.Conv2d(3, len(minitimm.list_modules()), 1)\n', 4, 4],
    ['is_model', "model = nn.Conv2d(3, 5 if minitimm.is_model('gamma_ext_b') else 9, 1)\n", 5, 2],
    ['pretrained listing', "model = nn.Conv2d(3, len(minitimm.list_models(pretrained=True)), 1)\n", 5, 4],
    ['import *', 'from minitimm.models import *\nmodel = GammaExt(len(list_models()))\n', 5, 4],
  ];
  for (const [what, body, want, runs] of cases) {
    const { report, ran, fallbacks } = both(HEAD + body);
    assert.equal(fallbacks, 0, `${what}: ${lazyStats.lastFallback}`);
    assert.equal(ran, runs, `${what}: modules run on demand`);
    const path = report.models[0]?.layers.some((l) => l.path === 'conv') ? 'conv' : '';
    assert.equal(path ? channels(report, path) : report.models[0]?.layers[0]?.outputShape?.[1], want, what);
  }
});

test("an unknown model name is timm's error, after every module ran", () => {
  const { report, fallbacks, ran } = both(`${HEAD}model = minitimm.create_model('alpha_huge')\n`);
  assert.equal(fallbacks, 0);
  assert.equal(ran, 4);
  assert.match(report.diagnostics.map((d) => d.message).join('\n'), /Unknown model \(alpha_huge\)/);
});

test('a scan that is wrong makes the analysis again with every module run at the import', () => {
  // the registered name is not the def's (a decorator returns another function): the scan expects 'alpha_tiny'
  const renamed = PACKAGE[`${M}/alpha.py`].replace('@register_model\ndef alpha_tiny', '@register_model\n@swap\ndef alpha_tiny')
    .replace('__all__', 'def swap(f):\n    def alpha_mini(pretrained=False, **kwargs):\n        return f(pretrained, **kwargs)\n    return alpha_mini\n\n__all__');
  const host = workspace({ [`${M}/alpha.py`]: renamed });
  assert.equal(scanModelModule(renamed).names[0], 'alpha_tiny');
  for (const body of ["model = minitimm.create_model('alpha_base')\n", "model = minitimm.create_model('alpha_mini')\n"]) {
    const { report, fallbacks } = both(HEAD + body, host);
    assert.equal(fallbacks, 1, body);
    assert.equal(report.models[0]?.layers[0]?.outputShape?.[1], body.includes('alpha_mini') ? 4 : 8);
  }
});

test('a module that raises when run on demand makes the analysis again with every module run at the import', () => {
  const failing = PACKAGE[`${M}/beta.py`].replace('default_cfgs =', "_broken = {}['x']\ndefault_cfgs =");
  const { report, fallbacks } = both(`${HEAD}model = minitimm.create_model('beta_small')\n`, workspace({ [`${M}/beta.py`]: failing }));
  assert.equal(fallbacks, 1);
  // as at a full import: the error is shown at the import line
  assert.ok(report.diagnostics.some((d) => d.line === 3 && /KeyError/.test(d.message)), JSON.stringify(report.diagnostics));
});

test('the scan: names, exports and what it will not defer', () => {
  const alpha = scanModelModule(PACKAGE[`${M}/alpha.py`]);
  assert.deepEqual([alpha.eager, alpha.names, alpha.exports, alpha.registry], [undefined, ['alpha_tiny', 'alpha_base'], ['Alpha', 'alpha_tiny', 'alpha_base'], '._registry']);
  const beta = scanModelModule(PACKAGE[`${M}/beta.py`]);
  assert.deepEqual([beta.names, beta.exports], [['beta_small', 'old_beta'], ['beta_small', 'old_beta']]);
  assert.deepEqual(scanModelModule(PACKAGE[`${M}/gamma_ext.py`]).attached, ['gamma']);
  const eager = (src: string) => scanModelModule(src).eager;
  const base = PACKAGE[`${M}/alpha.py`];
  assert.match(eager(`${base}\nfor n in ['x']:\n    register_model(n)\n`) ?? '', /effects/);
  assert.match(eager(`${base}\ndef later():\n    register_model(later)\n`) ?? '', /register_model/);
  assert.match(eager(`${base}\nsome_call()\n`) ?? '', /effects/);
  // a block's head is not an annotated assignment (`try:` then a line with '=' was taken for one)
  assert.match(eager(`${base}\ntry:\n    sys.modules['x'] = None\nexcept Exception:\n    pass\n`) ?? '', /effects/);
  assert.match(eager(base.replace("__all__ = ['Alpha']", "__all__ = ['Alpha'] + EXTRA")) ?? '', /__all__/);
  assert.match(eager(`${base}\n__all__.append('x')\n`) ?? '', /__all__/);
  assert.match(eager(base.replace('@register_model\ndef alpha_base', '@register_model\nalpha_base = 1\ndef alpha_base')) ?? '', /not a def/);
  // torch.fx.wrap of a name (torchvision's swin_transformer) is not modelled: no effect; anything more is one
  assert.equal(eager(`${base}\ntorch.fx.wrap("_patch_merging_pad")\ntorch.fx.wrap(helper)  # fx\n`), undefined);
  assert.match(eager(`${base}\ntorch.fx.wrap(make())\n`) ?? '', /effects/);
});

test('the scan of a subpackage imported whole: the names its modules register, only when each may be deferred', () => {
  assert.deepEqual(submoduleImports('from .a import *\nfrom . import detection, segmentation  # noqa\nfrom . import video\n'),
    ['detection', 'segmentation', 'video']);
  const module = (name: string, registry = '.._api') => `from ${registry} import register_model\n__all__ = ['X']\n@register_model()\ndef ${name}():\n    pass\n`;
  const modules: Record<string, string> = { one: module('one_a'), two: module('two_b') };
  const scan = (init: string, mods = modules) => scanSubpackage(init, (m) => (mods[m] === undefined ? undefined : scanModelModule(mods[m])));
  assert.deepEqual(scan('from .one import *\nfrom .two import *\n'),
    { names: ['one_a', 'two_b'], exports: [], declared: [], registry: '._api', attached: [], subpackage: true });
  // an __init__ that does more, a module that cannot be deferred or is missing, another registry: not deferred
  assert.equal(scan('from .one import *\nprint(1)\n'), undefined);
  assert.equal(scan('from .one import *\nfrom .two import x\n'), undefined);
  assert.equal(scan('from .one import *\nfrom .three import *\n'), undefined);
  assert.equal(scan('from .one import *\n', { one: `${module('one_a')}\nsetup()\n` }), undefined);
  assert.equal(scan('from .one import *\nfrom .two import *\n', { ...modules, two: module('two_b', '.._registry') }), undefined);
  assert.equal(scan('from .one import *\n', { one: module('one_a', '._api') }), undefined);
});

test("the scan of a module that gathers model modules (torchvision's mobilenet): their names, its __all__ as summed", () => {
  const module = (names: string[], all: string) => `from ._api import register_model\n__all__ = ${all}\n${
    names.map((n) => `@register_model()\ndef ${n}():\n    pass\n`).join('')}`;
  const modules: Record<string, string> = { v2: module(['m2'], "['M2', 'm2']"), v3: module(['m3a', 'm3b'], "['M3', 'm3a', 'm3b']") };
  const scan = (src: string, mods = modules) => scanAggregate(src, (m) => (mods[m] === undefined ? undefined : scanModelModule(mods[m])));
  const gather = '"""Gathers."""\nfrom .v2 import *  # noqa\nfrom .v3 import *\nfrom .v2 import __all__ as a2\nfrom .v3 import __all__ as a3\n';
  // registered names in import order, the exports in the order the sum names them
  assert.deepEqual(scan(`${gather}__all__ = a3 + a2\n`), {
    names: ['m2', 'm3a', 'm3b'], exports: ['M3', 'm3a', 'm3b', 'm3a', 'm3b', 'M2', 'm2', 'm2'],
    declared: ['M3', 'm3a', 'm3b', 'M2', 'm2'], registry: '._api', attached: [], members: { v2: ['m2'], v3: ['m3a', 'm3b'] },
  });
  // the real file: the bundled torchvision's mobilenet
  const files = TORCHVISION.files as Record<string, string>;
  const real = scanAggregate(files['torchvision/models/mobilenet.py'], (m) => scanModelModule(files[`torchvision/models/${m}.py`]));
  assert.deepEqual(real?.declared, ['MobileNetV2', 'MobileNet_V2_Weights', 'mobilenet_v2', 'MobileNetV3', 'MobileNet_V3_Large_Weights',
    'MobileNet_V3_Small_Weights', 'mobilenet_v3_large', 'mobilenet_v3_small']);
  // anything more, an __all__ not summed from the gathered modules', a module that cannot be deferred: not deferred
  assert.equal(scan(`${gather}__all__ = a2 + a3\nprint(1)\n`), undefined);
  assert.equal(scan(`${gather}__all__ = a2 + other\n`), undefined);
  assert.equal(scan(`${gather}__all__ = a2 + a3 + ['x']\n`), undefined);
  assert.equal(scan(gather), undefined);
  assert.equal(scan(`${gather}__all__ = a2 + a3\n`, { ...modules, v3: `${modules.v3}\nsetup()\n` }), undefined);
  assert.equal(scan(`${gather}__all__ = a2 + a3\n`, { v2: modules.v2 }), undefined);
  assert.equal(scan(`${gather}__all__ = a2 + a3\n`, { ...modules, v3: modules.v3.replace('._api', '._registry') }), undefined);
  assert.equal(scan('from .v2 import __all__ as a2\nfrom .v2 import *\n__all__ = a2\n'), undefined);
});

test("'from m import *' binds the names in m.__all__ only, as Python does", () => {
  const host = workspace({ '/ws/lib.py': "__all__ = ['shown']\nshown = 5\nhidden = 7\n" });
  const model = (name: string) => analyzeSource('/ws/main.py', `import torch.nn as nn\nfrom lib import *\nmodel = nn.Conv2d(3, ${name}, 1)\n`, options(host)).models[0];
  assert.equal(model('shown')?.outputShape?.[1], 5);
  // 'hidden' is not bound (Python: NameError): the channels are unknown, not 7
  assert.deepEqual([model('hidden')?.complete, model('hidden')?.outputShape], [false, null]);
});

/** What a full parse says a module registers and exports (the scan's rules read from the AST). */
function fromParse(src: string): { names: string[]; exports: string[] } {
  const names: string[] = [];
  const exports: string[] = [];
  const strs = (e: Expr) => (e.t === 'list' || e.t === 'tuple' ? e.items.flatMap((x) => (x.t === 'str' ? [x.v] : [])) : []);
  for (const s of parsePython(src).body as Stmt[]) {
    if (s.t === 'def' && s.decorators.some((d) => d.t === 'name' && d.id === 'register_model')) { names.push(s.name); exports.push(s.name); }
    if (s.t === 'assign' && s.targets.some((t) => t.t === 'name' && t.id === '__all__')) exports.push(...strs(s.value));
    if (s.t === 'expr' && s.value.t === 'call' && s.value.fn.t === 'name' && s.value.fn.id === 'register_model_deprecations') {
      const map = s.value.args[1]?.value;
      const keys = map?.t === 'dict' ? map.items.flatMap((i) => ('k' in i && i.k.t === 'str' ? [i.k.v] : [])) : [];
      names.push(...keys);
      exports.push(...keys);
    }
  }
  return { names, exports };
}

/** An installed timm to check the scan on (not in the repository; CI without one skips). */
/** The timm the benchmarks read (1.0.29; CI without one skips). */
const TIMM_SITE = [process.env.CONVLENS_TIMM_SITE, '/tmp/timm-venv/lib/python3.11/site-packages'].find((p) => p && existsSync(`${p}/timm`));
const TIMM = [process.env.CONVLENS_TIMM_SITE, '/tmp/timm9-venv/lib/python3.11/site-packages', '/tmp/timm7-venv/lib/python3.11/site-packages']
  .find((p) => p && existsSync(`${p}/timm/models/__init__.py`));

test('the scan of every timm model module: the names a full parse finds, and what running timm registers', { skip: !TIMM && 'no timm installed' }, () => {
  const dir = `${TIMM}/timm/models`;
  const version = /__version__ = '([^']+)'/.exec(readFileSync(`${TIMM}/timm/version.py`, 'utf8'))?.[1];
  const golden = `test/fixtures/timm/registry-${version}.json`;
  const ran = existsSync(golden) ? (JSON.parse(readFileSync(golden, 'utf8')) as { modules: Record<string, { exports: string[]; names: string[] }> }).modules : undefined;
  const modules = starImports(readFileSync(`${dir}/__init__.py`, 'utf8'));
  assert.ok(modules.length > 80, `${modules.length} model modules`);
  let deferred = 0;
  for (const m of modules) {
    const src = readFileSync(`${dir}/${m}.py`, 'utf8');
    const scan = scanModelModule(src);
    if (scan.eager) continue;
    deferred++;
    const parsed = fromParse(src);
    assert.deepEqual([scan.names, scan.exports], [parsed.names, parsed.exports], `${m}: the scan against a full parse`);
    if (ran) assert.deepEqual([[...scan.names].sort(), scan.exports], [ran[m].names, ran[m].exports], `${m}: the scan against timm ${version}`);
  }
  if (version === '1.0.29') assert.equal(deferred, modules.length, 'every model module of timm 1.0.29 is deferred');
});

test("the bundled torchvision's model modules run when asked for, with the reports of a full import", () => {
  const host = { readFile: () => undefined };
  // [file, modules run on demand]: the subpackages segmentation and video (`from . import segmentation, video`) run
  // as one module each when asked for, and so does mobilenet (it gathers mobilenetv2 and mobilenetv3)
  const forms: Array<[string, number]> = [
    ["model = torchvision.models.resnet18(weights=None, num_classes=10)\n", 1],
    ["model = torchvision.models.get_model('mobilenet_v3_small', num_classes=4)\n", 1],
    ["model = torchvision.models.mobilenet_v2(weights=torchvision.models.MobileNet_V2_Weights.DEFAULT)\n", 1],
    ["from torchvision.models.mobilenet import mobilenet_v3_large\nmodel = mobilenet_v3_large(num_classes=5)\n", 1],
    // imported before mobilenet ran: mobilenetv2 runs at its import, mobilenet (and with it mobilenetv3) when asked for
    ["from torchvision.models.mobilenetv2 import mobilenet_v2\nmodel = torchvision.models.mobilenet_v3_small()\n", 1],
    ["from torchvision.models import mobilenet\nmodel = nn.Conv2d(3, len(mobilenet.__all__), 1)\n", 1],
    ["from torchvision.models import vgg11, VGG11_Weights\nmodel = vgg11(weights=VGG11_Weights.DEFAULT)\n", 1],
    ["model = nn.Conv2d(3, len(torchvision.models.list_models()), 1)\n", 19],
    ["from torchvision.models import *\nmodel = alexnet()\n", 19],
    // segmentation, and the resnet its deeplabv3 and fcn import
    ["model = torchvision.models.segmentation.fcn_resnet50(weights=None, weights_backbone=None, num_classes=3)\n", 2],
    ["from torchvision.models import segmentation as seg\nmodel = seg.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None)\n", 2],
    ["model = torchvision.models.get_model('r3d_18', num_classes=4)\n", 1],
    ["model = torchvision.models.get_model('mvit_v2_s')\n", 1],
    ["model = nn.Conv2d(3, len(torchvision.models.list_models(module=torchvision.models.video)), 1)\n", 19],
    // a subpackage imported first: its packages run before it, as in Python, and it runs as one module when asked for
    ["import torchvision.models.video as v\nimport torchvision\nmodel = nn.Conv2d(3, len(torchvision.models.list_models()), 1)\n", 19],
    // swin_transformer's top-level torch.fx.wrap(...) no longer keeps it from being deferred
    ["model = torchvision.models.swin_t()\n", 1],
  ];
  for (const [body, runs] of forms) {
    const main = `import torch.nn as nn\n${body.startsWith('import torchvision.') ? '' : 'import torchvision\n'}${body}`;
    const before = { ...lazyStats };
    const report = analyzeSource('/ws/main.py', main, { root: '/ws', host, input: [1, 3, 64, 64] });
    assert.equal(lazyStats.fallbacks - before.fallbacks, 0, lazyStats.lastFallback);
    assert.equal(lazyStats.ranOnDemand - before.ranOnDemand, runs, body);
    assert.deepStrictEqual(report, analyzeSource('/ws/main.py', main, { root: '/ws', host, input: [1, 3, 64, 64], fullImports: true }), body);
  }
});

test("the scans of the bundled torchvision's modules are made once, not again by every analysis", () => {
  // a bundled file has no stamp on disk: its scans were never kept, so each timm edit (timm imports torchvision)
  // scanned ~30 of its modules again, or read them back from the parse store
  const asked: string[] = [];
  setParseStore({ load: (kind, path) => { asked.push(`${kind} ${path}`); return undefined; }, save: () => undefined });
  try {
    const main = 'import torch.nn as nn\nimport torchvision\nmodel = torchvision.models.resnet18(weights=None, num_classes=10)\n';
    const first = analyzeSource('/ws/main.py', main, { root: '/ws', host: { readFile: () => undefined }, input: [1, 3, 64, 64] });
    asked.length = 0;
    const again = analyzeSource('/ws/main.py', main, { root: '/ws', host: { readFile: () => undefined }, input: [1, 3, 64, 64] });
    assert.deepEqual(asked.filter((a) => a.startsWith('scan')), []);
    assert.deepStrictEqual(again, first);
  } finally {
    setParseStore(undefined);
  }
});

test('after a lazy first analysis, one settle() takes and saves the snapshot of the imports run in full', () => {
  const host = { ...workspace(), stamp: (p: string) => (PACKAGE[p] !== undefined ? `1:${PACKAGE[p].length}` : '') };
  const saved: string[] = [];
  const cache = new ImportCache({ load: () => undefined, save: (key) => { saved.push(key); }, note: () => undefined }, true);
  const main = `${HEAD}model = minitimm.create_model('alpha_base')\n`;
  const first = analyzeSource('/ws/main.py', main, { ...options(host), importCache: cache });
  assert.equal(cache.stats.taken, 0, 'no snapshot of a world whose modules wait');
  cache.settle();
  // the full import's snapshot is stored in the same settle (it was left for the next analysis, and a worker
  // stopped before one never wrote it)
  assert.deepEqual([cache.stats.taken, saved.length, cache.stats.refused], [1, 1, '']);
  const second = analyzeSource('/ws/main.py', main, { ...options(host), importCache: cache });
  assert.equal(cache.stats.reused, 1);
  assert.deepStrictEqual(second, first);
});

test('imports run again in full ask whether to give way before each module they parse, not only every 2,000 steps', () => {
  // timm's modules are parsed between the interpreter's checkpoints (lezer: up to ~0.2 s each): an edit waited up to
  // ~0.7 s behind a few of them. minitimm's eight modules run in fewer steps than one checkpoint's 2,000.
  const host = { ...workspace(), stamp: (p: string) => (PACKAGE[p] !== undefined ? `1:${PACKAGE[p].length}` : '') };
  const modules = Object.keys(PACKAGE).length;
  const main = `${HEAD}model = minitimm.create_model('alpha_base')\n`;
  const analysed = () => {
    const cache = new ImportCache({ load: () => undefined, save: () => undefined, note: () => undefined }, true);
    analyzeSource('/ws/main.py', main, { ...options(host), importCache: cache });
    return cache;
  };
  let asked = 0;
  const whole = analysed();
  whole.settle(() => { asked++; return false; });
  assert.equal(whole.stats.taken, 1);
  assert.ok(asked >= modules, `asked ${asked} times for ${modules} modules`);
  // told to stop at the k-th question, it stops there and stores nothing
  for (const k of [1, 2, modules]) {
    let n = 0;
    const cache = analysed();
    cache.settle(() => ++n >= k);
    assert.deepEqual([n, cache.stats.taken, cache.stats.refused], [k, 0, 'the imports run again in full gave way to a request'], `stop at ${k}`);
  }
});

test('imports run again in full for a snapshot give way to a request, run again at the next settle(), and store nothing half-made', () => {
  // a module of the workspace whose top level takes ~10,000 steps
  const slow = 'n = 0\nfor i in range(5000):\n    n += i\n';
  const files = { ...workspace({ '/ws/slowmod.py': slow }) };
  const host = { ...files, stamp: (p: string) => { const t = files.readFile(p); return t === undefined ? '' : `1:${t.length}`; } };
  const saved: string[] = [];
  const cache = new ImportCache({ load: () => undefined, save: (key) => { saved.push(key); }, note: () => undefined }, true);
  const main = `${HEAD}import slowmod\nmodel = minitimm.create_model('alpha_base')\n`;
  const first = analyzeSource('/ws/main.py', main, { ...options(host), importCache: cache });
  // asked every 2,000 steps of the full import: it stops at the first
  let asked = 0;
  cache.settle(() => ++asked > 0);
  assert.equal(asked, 1, 'the full import was not asked whether to stop');
  assert.deepEqual([cache.stats.taken, saved.length, cache.stats.refused], [0, 0, 'the imports run again in full gave way to a request']);
  // the next analysis does not run it first (it would wait seconds for timm's): it is as a first one
  assert.deepStrictEqual(analyzeSource('/ws/main.py', main, { ...options(host), importCache: cache }), first);
  assert.deepEqual([cache.stats.taken, cache.stats.reused], [0, 0]);
  cache.settle(() => false);
  assert.deepEqual([cache.stats.taken, saved.length], [1, 1]);
  assert.deepStrictEqual(analyzeSource('/ws/main.py', main, { ...options(host), importCache: cache }), first);
  assert.equal(cache.stats.reused, 1);
});

test('the scans count register_model and __all__ outside comment lines as the text with those lines blanked does', () => {
  // the truth: JavaScript's own multiline regex, which the scans ran on a copy of every module's text before
  const blanked = (src: string, re: RegExp) => src.replace(/^[ \t]*#.*$/gm, '').match(re)?.length ?? 0;
  const edge = [
    '# register_model\n@register_model\ndef a(): pass\n', '  \t# __all__ = []\n__all__ = ["a"]  # __all__ again\n',
    'x = 1\r# register_model\r\nregister_model(f)\u2028# __all__\u2029__all__', 'register_model_deprecations # register_model\n',
    '#register_model', 'a = "# register_model"\n  x # __all__\n', '',
  ];
  const files = [...pythonFiles(join(__dirname, '../../fixtures')), ...(TIMM_SITE ? pythonFiles(`${TIMM_SITE}/timm`) : [])];
  assert.ok(files.length > 200);
  for (const src of [...edge, ...files.map((f) => readFileSync(f, 'utf8'))]) {
    for (const re of [/\bregister_model\b/g, /\bregister_model_deprecations\b/g, /\b__all__\b/g]) {
      assert.equal(countInCode(src, re), blanked(src, re), `${re} in ${src.slice(0, 80)}`);
    }
  }
});

test('real timm fine-tuning files: the lazy report is the full import\'s, with no fallback', { skip: !TIMM_SITE && 'no timm installed' }, () => {
  // timm.layers._fx imports torchvision.models.feature_extraction: the bundled torchvision's mobilenet stays deferred
  const files = [
    TIMM_FILE,
    'import timm\nimport torchvision\nmodel = timm.create_model("convnext_tiny", num_classes=10)\nbackbone = torchvision.models.mobilenet_v3_small()\n',
    'import timm\nmodel = timm.create_model("mobilenetv3_large_100", pretrained=True, features_only=True, out_indices=(1, 3))\n',
    // names timm imports pending (lazy-globals.ts): create_attn('se') reads SEModule, its module runs then
    'import timm\nmodel = timm.create_model("seresnet50", num_classes=10)\n',
    // timm.layers names a model of one's own reads (create_attn's eca, ConvNormAct's norm_act, DropPath)
    [
      'import torch.nn as nn', 'from timm.layers import DropPath, create_attn, SqueezeExcite, ConvNormAct, get_act_layer', '',
      'class Block(nn.Module):', '    def __init__(self, c=32):', '        super().__init__()', '        self.conv = ConvNormAct(3, c, 3)',
      '        self.se = SqueezeExcite(c)', "        self.attn = create_attn('eca', c)", "        self.act = get_act_layer('gelu')()",
      '        self.drop = DropPath(0.1)', '', '    def forward(self, x):', '        return self.drop(self.act(self.attn(self.se(self.conv(x)))))',
      '', 'model = Block()', '',
    ].join('\n'),
  ];
  const python = { paths: [{ path: TIMM_SITE!, source: 'venv' as const, env: '/nope' }], problems: [] };
  const pendingBefore = { ...pendingStats };
  for (const main of files) {
    const before = { ...lazyStats };
    const opts = { root: '/ws-timm', host: nodeHost, input: [1, 3, 64, 64], python };
    const lazy = analyzeSource('/ws-timm/main.py', main, opts);
    assert.equal(lazyStats.fallbacks - before.fallbacks, 0, lazyStats.lastFallback);
    assert.ok(lazy.models.length > 0 && lazy.models.every((m) => m.totalParams > 0), main);
    assert.deepStrictEqual(lazy, analyzeSource('/ws-timm/main.py', main, { ...opts, fullImports: true }), main);
  }
  // timm's modules left names pending, and some were read
  assert.ok(pendingStats.bound > pendingBefore.bound && pendingStats.read > pendingBefore.read);
});
