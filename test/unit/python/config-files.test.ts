// Models built from config files at build time: open(), pathlib, os.path, yaml and json, eval()
// and contextlib.suppress, each against what CPython answers (PyYAML 6.0.3, Python 3.11's json),
// and what the report says when a file cannot be read (the honesty rule).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';
import { isObj, type Value } from '../../../engine/python/values';
import { runSnippet } from './run-snippet';

/** A value as JSON would hold it (dicts keep their order, like json.dumps of the Python value). */
function plain(v: Value | undefined): unknown {
  if (v === undefined || !isObj(v)) return v;
  if (v.k === 'list' || v.k === 'tuple') return v.items.map(plain);
  if (v.k === 'dict') return Object.fromEntries([...v.map.values()].map(([k, x]) => [String(k), plain(x)]));
  return `<${v.k}>`;
}

const run = (src: string, files: Record<string, string>) => runSnippet(src, files);

// YAML 1.1 as PyYAML resolves it: yes/no are bools, None is a string, 1e-3 (no dot) a string, 017 octal
const YAML = "# config\nnc: 80\nflags: [yes, no, on, off, true, False]\nnothing: [None, null, ~, '']\nnumbers: [1e-3, 1.0e-3, 1.5e+2, 5e4, 0o17, 017, 0x1f, 1_000, .5, -2, +3]\nstrings: [nearest, 'quoted', \"double\", nn.Upsample]\nnested:\n  a: {x: 1, y: [2, 3]}\n  b: &anchor [10, 13]\n  c: *anchor\nblock: |\n  line one\n  line two\nanchors:\n  - [10,13, 16,30, 33,23]\n  - [30,61, 62,45, 59,119]\n";
// json.dumps(yaml.safe_load(YAML)) with PyYAML 6.0.3
const PYYAML = '{"nc": 80, "flags": [true, false, true, false, true, false], "nothing": ["None", null, null, ""], "numbers": ["1e-3", 0.001, 150.0, "5e4", "0o17", 15, 31, 1000, 0.5, -2, 3], "strings": ["nearest", "quoted", "double", "nn.Upsample"], "nested": {"a": {"x": 1, "y": [2, 3]}, "b": [10, 13], "c": [10, 13]}, "block": "line one\\nline two\\n", "anchors": [[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119]]}';

test('yaml.safe_load / load(Loader=...) / full_load read YAML 1.1 as PyYAML does', () => {
  for (const call of ['yaml.safe_load(f)', 'yaml.load(f, Loader=yaml.SafeLoader)', 'yaml.full_load(f)', 'yaml.safe_load(f.read())']) {
    const g = run(`import yaml\nwith open('/ws/cfg.yaml') as f:\n    d = ${call}`, { '/ws/cfg.yaml': YAML });
    assert.deepEqual(plain(g.get('d')), JSON.parse(PYYAML), call);
  }
});

test('json.load and json.loads', () => {
  const text = '{"depth": [1, 2, 3], "width": 0.25, "act": "silu", "bias": false, "none": null}';
  const g = run(`import json\nwith open('cfg.json') as f:\n    a = json.load(f)\nb = json.loads('[1, 2.5, {"k": true}]')`, { '/ws/cfg.json': text });
  assert.deepEqual(plain(g.get('a')), { depth: [1, 2, 3], width: 0.25, act: 'silu', bias: false, none: null });
  assert.deepEqual(plain(g.get('b')), [1, 2.5, { k: true }]);
});

test('open(): read, readlines, readline and iteration keep the newlines as Python does', () => {
  const g = run([
    "f = open('/ws/a.cfg')", 'first = f.readline()', 'rest = f.readlines()',
    "lines = [l for l in open('/ws/a.cfg')]", "whole = open('/ws/a.cfg', 'r').read().split('\\n')",
  ].join('\n'), { '/ws/a.cfg': '[net]\nchannels=3\n\n[conv]' });
  assert.deepEqual(plain(g.get('first')), '[net]\n');
  assert.deepEqual(plain(g.get('rest')), ['channels=3\n', '\n', '[conv]']);
  assert.deepEqual(plain(g.get('lines')), ['[net]\n', 'channels=3\n', '\n', '[conv]']);
  assert.deepEqual(plain(g.get('whole')), ['[net]', 'channels=3', '', '[conv]']);
});

test('pathlib.Path beside __file__, and os.path', () => {
  const g = run([
    'import os', 'from pathlib import Path',
    "p = Path(__file__).parent / 'models' / 'cfg.yaml'",
    'x = (str(p), p.name, p.stem, p.suffix, str(p.parent), p.exists(), p.with_suffix(".json").name)',
    'text = p.read_text()',
    'here = os.path.dirname(os.path.abspath(__file__))',
    "y = (here, os.path.join(here, 'models', 'cfg.yaml'), os.path.splitext('a/b.cfg'), os.path.basename('a/b.cfg'), os.path.isfile(os.path.join(here, 'models/cfg.yaml')))",
  ].join('\n'), { '/ws/models/cfg.yaml': 'nc: 2\n' });
  // CPython: __file__ = '/ws/main.py'
  assert.deepEqual(plain(g.get('x')), ['/ws/models/cfg.yaml', 'cfg.yaml', 'cfg', '.yaml', '/ws/models', true, 'cfg.json']);
  assert.equal(g.get('text'), 'nc: 2\n');
  assert.deepEqual(plain(g.get('y')), ['/ws', '/ws/models/cfg.yaml', ['a/b', '.cfg'], 'b.cfg', true]);
});

test('eval() runs in the interpreter: literals, arithmetic, names of the namespace, NameError', () => {
  const g = run([
    'import contextlib', 'import collections', 'class Conv: pass', 'nc = 80',
    "a = [eval(s) for s in ['Conv', 'collections.OrderedDict', 'None', '3 * 4 + 1', 'nc', '[1, 2][-1]', \"'x' + 'y'\"]]",
    "args = [None, 2, 'nearest', 'nc']",
    'for j, s in enumerate(args):',
    '    with contextlib.suppress(NameError):',
    '        args[j] = eval(s) if isinstance(s, str) else s',
    'def f(n):', '    return eval("n * 2")', 'b = f(21)',
    'try:', "    eval('undefined_name')", 'except NameError:', "    c = 'NameError'",
    'try:', '    with contextlib.suppress(KeyError):', "        raise ValueError('not suppressed')", 'except ValueError:', "    d = 'ValueError'",
  ].join('\n'), {});
  const a = g.get('a');
  assert.ok(isObj(a ?? null) && a !== undefined && isObj(a) && a.k === 'list');
  const items = (a as { items: Value[] }).items;
  assert.equal((items[0] as { name?: string }).name, 'Conv');
  assert.equal((items[1] as { name?: string }).name, 'OrderedDict');
  assert.deepEqual(items.slice(2).map(plain), [null, 13, 80, 2, 'xy']);
  assert.deepEqual(plain(g.get('args')), [null, 2, 'nearest', 80]);
  assert.equal(g.get('b'), 42);
  assert.equal(g.get('c'), 'NameError');
  assert.equal(g.get('d'), 'ValueError');
});

test('a Darknet .cfg parsed by the model code: line loop, strip, startswith, split', () => {
  const g = run([
    'def parse(path):', "    lines = [x.strip() for x in open(path).read().split('\\n') if x and not x.startswith('#')]",
    '    defs = []', '    for line in lines:', "        if line.startswith('['):", "            defs.append({'type': line[1:-1].rstrip()})",
    '        else:', "            key, value = line.split('=')", '            defs[-1][key.rstrip()] = value.strip()', '    return defs',
    "d = parse('/ws/net.cfg')",
  ].join('\n'), { '/ws/net.cfg': '# tiny\n[net]\nchannels=3\n\n[convolutional]\nfilters = 16\nsize=3\n[route]\nlayers = -1, 4\n' });
  assert.deepEqual(plain(g.get('d')), [{ type: 'net', channels: '3' }, { type: 'convolutional', filters: '16', size: '3' }, { type: 'route', layers: '-1, 4' }]);
});

const MODEL = (read: string) => `import torch.nn as nn
import yaml

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        ${read}
        self.body = nn.Sequential(*[nn.Conv2d(c, d, 3) for c, d in zip(cfg['widths'], cfg['widths'][1:])])
        self.stem = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.body(self.stem(x))

model = Net()
`;

function analyzeWith(src: string, files: Record<string, string>, asked: string[] = []) {
  const host = { readFile: (p: string) => { asked.push(p); return files[p]; } };
  return analyzeSource('/ws/proj/net.py', src, { host, root: '/ws/proj', input: [1, 3, 32, 32] });
}

test('a config read from the workspace builds the model exactly', () => {
  const r = analyzeWith(MODEL("cfg = yaml.safe_load(open('cfg.yaml'))"), { '/ws/proj/cfg.yaml': 'widths: [8, 16, 32]\n' });
  const m = r.models[0];
  // Conv2d(3,8,3)=224, Conv2d(8,16,3)=1168, Conv2d(16,32,3)=4640
  assert.equal(m.totalParams, 224 + 1168 + 4640);
  assert.equal(m.complete, true);
  assert.deepEqual(r.diagnostics.filter((d) => d.code === 'config-unreadable'), []);
});

for (const [name, read, files, reason] of [
  ['a missing file', "cfg = yaml.safe_load(open('missing.yaml'))", {}, /cannot read 'missing\.yaml'/],
  ['a path outside the analysis root', "cfg = yaml.safe_load(open('../secret/cfg.yaml'))", { '/ws/secret/cfg.yaml': 'widths: [8, 16]\n' }, /outside the analysis root/],
  ['an absolute path outside the root', "cfg = yaml.safe_load(open('/etc/cfg.yaml'))", { '/etc/cfg.yaml': 'widths: [8, 16]\n' }, /outside the analysis root/],
  ['invalid YAML', "cfg = yaml.safe_load(open('cfg.yaml'))", { '/ws/proj/cfg.yaml': 'widths: [8, 16\nx: {' }, /yaml: /],
  ['invalid JSON', "import json\n        cfg = json.load(open('cfg.json'))", { '/ws/proj/cfg.json': '{"widths": [8, 16' }, /json: /],
] as Array<[string, string, Record<string, string>, RegExp]>) {
  test(`${name}: a warning names the path, the model is a lower bound, never a crash`, () => {
    const asked: string[] = [];
    const r = analyzeWith(MODEL(read), files, asked);
    const d = r.diagnostics.find((x) => x.code === 'config-unreadable');
    assert.ok(d, `no config-unreadable diagnostic: ${JSON.stringify(r.diagnostics)}`);
    assert.equal(d.severity, 'warning');
    assert.match(d.message, reason);
    assert.equal(d.line, 7 + read.split('\n').length - 1, 'the diagnostic is on the line that reads the file');
    const m = r.models[0];
    assert.ok(m, 'the model is still reported');
    assert.equal(m.complete, false);
    assert.equal(m.paramsComplete, false);
    assert.ok(m.unmodelled.some((u) => reason.test(u.reason)), JSON.stringify(m.unmodelled));
    // the stem is still there: what is known stays known
    assert.ok(m.totalParams >= 224);
    assert.ok(!asked.some((p) => !p.startsWith('/ws/proj/')), `read outside the root: ${asked.join(', ')}`);
  });
}

test('a read in an imported module is reported on the importing line of the analysed file', () => {
  const lib = "import json\nfrom pathlib import Path\nCFG = json.loads((Path(__file__).parent / 'nope.json').read_text())\n";
  const r = analyzeWith('import lib\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n    def forward(self, x):\n        return self.fc(x)\nmodel = Net()\n', { '/ws/proj/lib.py': lib });
  const d = r.diagnostics.find((x) => x.code === 'config-unreadable');
  assert.ok(d);
  assert.equal(d.line, 1);
  assert.match(d.message, /nope\.json/);
});
