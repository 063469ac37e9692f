// Constructs met in public model-zoo files that the fixtures did not cover; the expected values are
// what CPython prints for the same snippets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource, reprOf, runSnippet } from './run-snippet';
import { parsePython } from '../../../engine/python/parse';

const cases: Array<[string, string, string]> = [
  ['inspect predicates tell a lambda from a class and a string',
    'from inspect import isfunction, isclass\ndef f():\n    pass\nclass C:\n    pass\nx = (isfunction(lambda: 1), isfunction(f), isfunction(C), isfunction("relu"), isclass(C), isclass(C()))',
    '(True, True, False, False, True, False)'],
  ['import collections.abc and an n-tuple helper built on it',
    'import collections.abc\nfrom itertools import repeat\ndef _ntuple(n):\n    def parse(x):\n        if isinstance(x, collections.abc.Iterable) and not isinstance(x, str):\n            return tuple(x)\n        return tuple(repeat(x, n))\n    return parse\nto_2tuple = _ntuple(2)\nx = (to_2tuple(3), to_2tuple([1, 2]), to_2tuple("ab"))',
    "((3, 3), (1, 2), ('ab', 'ab'))"],
  ['re: natural sort key, sub with a group, match, search, findall, compiled pattern with a flag',
    'import re\ndef key(s):\n    return [int(p) if p.isdigit() else p for p in re.split(r"(\\d+)", s.lower())]\nx = (sorted(["resnet101", "ResNet50d", "resnet18"], key=key), re.sub(r"_(\\d+)$", r"-\\1", "conv_12"), bool(re.match("res", "resnet")), re.match("net", "resnet"), re.search(r"(\\d+)x(\\d+)", "r50_32x4d").groups(), re.findall(r"\\d+", "a1b22"), re.compile(r"^stage(\\d)\\.", re.I).match("Stage3.blocks").group(1))',
    "(['resnet18', 'ResNet50d', 'resnet101'], 'conv-12', True, None, ('32', '4'), ['1', '22'], '3')"],
  ['fnmatch filters model names with wildcards and character sets',
    'import fnmatch\nnames = ["resnet18", "resnet50d", "vit_base", "resnext50"]\nx = (fnmatch.filter(names, "resne[tx]*"), fnmatch.fnmatch("vit_base", "*base"), fnmatch.fnmatch("resnet18", "res?et[!2]*"))',
    "(['resnet18', 'resnet50d', 'resnext50'], True, True)"],
  ['dataclasses.replace, asdict (nested) and fields',
    'from dataclasses import dataclass, field, replace, asdict, fields\n@dataclass\nclass Stage:\n    depth: int\n    width: int = 64\n@dataclass\nclass Cfg:\n    stem: int = 32\n    stages: list = field(default_factory=list)\nc = Cfg(stages=[Stage(2)])\nd = replace(c, stem=24)\nx = (d.stem, c.stem, d.stages[0].width, asdict(c), [f.name for f in fields(Stage)], replace(Stage(1), width=8).width)',
    "(24, 32, 64, {'stem': 32, 'stages': [{'depth': 2, 'width': 64}]}, ['depth', 'width'], 8)"],
  ['floats written with a trailing dot (0., 1.e-3), in code but not in strings',
    'def f(drop=0., training=False):\n    if drop == 0. or not training:\n        return "skip"\n    return "drop"\nx = (f(), f(0.2, True), 1.e-3, 2. + 0.5, "0. or", 3. / 2)  # 0. or',
    "('skip', 'drop', 0.001, 2.5, '0. or', 1.5)"],
  ['namedtuple: _fields, _replace, _asdict, _make, defaults, indexing, slicing and unpacking',
    'import collections\nB = collections.namedtuple("B", ["k", "s", "e"])\nB.__new__.__defaults__ = (None,) * len(B._fields)\nP = collections.namedtuple("P", "a b", defaults=(7,))\nb = B(k=3, s=[1])\nc = b._replace(e=6, k=5)\nk, s, e = c\nx = (b.k, b.e, c.k, c.e, c.s, B._fields, len(c), c[0], c[-1], c[1:], e, isinstance(c, tuple), P(1).b, P._make([4, 5]).a, c._asdict(), [v for v in P(2, 3)])',
    "(3, None, 5, 6, [1], ('k', 's', 'e'), 3, 5, 6, ([1], 6), 6, True, 7, 4, {'k': 5, 's': [1], 'e': 6}, [2, 3])"],
  ['unpacking a tuple that holds None gives None, not an unknown (a cell called with (x, None))',
    'def f(pair):\n    a, b = pair\n    return b is None\ny, z = 1, None\nx = (f((1, None)), z, [b for a, b in [(1, None)]], [b is None for a, (b, c) in [(0, (None, 2))]])',
    '(True, None, [None], [True])'],
  ['not binds tighter than and/or (HRNet: `if not multi_scale_output and i == num_modules - 1`)',
    'a, b, c, d = True, False, False, True\nx = (not a and b, a and not b or c, not a or b and c, not not a and b, [i for i in [0, 1, 2] if not i and True], not a if b else c, not 1 + 1 == 3 and a, b or not c and not b or a, not a and b or not c and d, (lambda q: not q and a)(False), a and b or c and d or not d)',
    '(False, True, False, False, [0], False, True, True, True, True, False)'],
  ['defaultdict calls its factory for a missing key (a set, a list, a dataclass); deque appendleft/extendleft/popleft (a registry of model names)',
    'from collections import defaultdict, deque\nfrom dataclasses import dataclass, field\nimport copy\n@dataclass\nclass D:\n    tags: deque = field(default_factory=deque)\n    n: int = 0\na = defaultdict(set)\na[\'k\'].add(1)\nb = defaultdict(D)\nb[\'m\'].tags.append(\'t\')\nb[\'m\'].tags.appendleft(\'s\')\nb[\'m\'].n = 3\nc = defaultdict(list, {\'y\': [1]})\nc[\'z\'].append(2)\ne = copy.deepcopy(c)\ne[\'w\'].append(3)\nq = deque([1, 2])\nq.extendleft([3, 4])\nx = (dict(a), b[\'m\'].n, list(b[\'m\'].tags), dict(c), sorted(e), q.popleft(), list(q), \'q\' in c, c.get(\'q\'), len(c))\n',
    "({'k': {1}}, 3, ['s', 't'], {'y': [1], 'z': [2]}, ['w', 'y', 'z'], 4, [3, 1, 2], False, None, 2)"],
  ['generators: yield, yield from (recursive), return inside, an endless one consumed by zip, side effects at the call',
    'def pairs(d, prefix=\'\'):\n    for k in d:\n        name = prefix + \'.\' + k if prefix else k\n        if isinstance(d[k], dict):\n            yield from pairs(d[k], name)\n        else:\n            yield name, d[k]\n    if not prefix:\n        yield \'root\', None\n\ndef count():\n    i = 0\n    while True:\n        yield i\n        i += 1\n\ndef early(n):\n    for i in range(10):\n        if i == n:\n            return\n        x = yield i * 2\n\nlog = []\ndef effect():\n    log.append(\'ran\')\n    yield\n\ng = pairs({\'a\': 1, \'b\': {\'c\': 2, \'d\': {\'e\': 3}}})\nz = list(zip(\'abc\', count()))\nx = (list(g), z, list(early(3)), [v for v in early(2)], sum(early(4)), len(list(effect())), dict(pairs({\'p\': 5})))\n',
    "([('a', 1), ('b.c', 2), ('b.d.e', 3), ('root', None)], [('a', 0), ('b', 1), ('c', 2)], [0, 2, 4], [0, 2], 12, 1, {'p': 5, 'root': None})"],
  ['a partial of a partial is flattened as in CPython: func is the innermost callable, args and keywords merged',
    'import functools\nfrom functools import partial\nclass Norm:\n    def __init__(self, n, eps=1e-5, act=None):\n        self.cfg = (n, eps, act)\ndef f(a, b, c=0, d=0):\n    return (a, b, c, d)\ninner = partial(Norm, act=\'relu\')\nouter = partial(inner, eps=0.001)\np2 = partial(partial(f, 1, d=4), 2, c=3)\nx = (outer.func is Norm, outer.keywords, outer(8).cfg, p2.func is f, p2.args, p2.keywords, p2(), isinstance(outer, functools.partial), partial(outer, act=\'gelu\')(3).cfg)\n',
    "(True, {'act': 'relu', 'eps': 0.001}, (8, 0.001, 'relu'), True, (1, 2), {'d': 4, 'c': 3}, (1, 2, 3, 4), True, (3, 0.001, 'gelu'))"],
  ['str methods of model-name parsing: partition, rpartition, split/rsplit with maxsplit, strip with chars, removeprefix, is*, zfill, ljust',
    'a = \'hf-hub:timm/resnet50\'\nb = \'  a  b c  \'\nx = (a.partition(\':\'), \'resnet50\'.partition(\':\'), \'a.b.c\'.rpartition(\'.\'), \'x\'.rpartition(\'.\'), \'resnet50.a1_in1k.x\'.split(\'.\', 1), \'a.b.c\'.rsplit(\'.\', 1), b.split(None, 1), b.rsplit(maxsplit=1), b.split(), \'*tag*\'.strip(\'*\'), \'xxabx\'.lstrip(\'x\'), \'abyy\'.rstrip(\'y\'), b.strip(), \'stem_conv\'.removeprefix(\'stem_\'), \'conv.weight\'.removesuffix(\'.weight\'), \'ab\'.isalpha(), \'a1\'.isalnum(), \'abc\'.islower(), \'A1\'.isupper(), \'x_1\'.isidentifier(), \'5\'.zfill(3), \'-5\'.zfill(3), \'ab\'.ljust(4, \'.\'), \'ab\'.rjust(4), \'a.b.a\'.rfind(\'a\'), \'abc\'.index(\'c\'), \'l1\\nl2\\n\'.splitlines(), \'1,2,,3\'.split(\',\'), \'\'.split(), \'a b\'.split(\' \', 0))\n',
    "(('hf-hub', ':', 'timm/resnet50'), ('resnet50', '', ''), ('a.b', '.', 'c'), ('', '', 'x'), ['resnet50', 'a1_in1k.x'], ['a.b', 'c'], ['a', 'b c  '], ['  a  b', 'c'], ['a', 'b', 'c'], 'tag', 'abx', 'ab', 'a  b c', 'conv', 'conv', True, True, True, True, True, '005', '-05', 'ab..', '  ab', 4, 2, ['l1', 'l2'], ['1', '2', '', '3'], [], ['a b'])"],
  ['slice assignment (growing, shrinking, empty slice insert, extended slice) and del of a slice',
    'def val2tuple(x, min_len=1, idx_repeat=-1):\n    x = list(x) if isinstance(x, (list, tuple)) else [x]\n    if len(x) > 0:\n        x[idx_repeat:idx_repeat] = [x[idx_repeat] for _ in range(min_len - len(x))]\n    return tuple(x)\na = [0, 1, 2, 3, 4, 5]\na[1:3] = [\'x\']\nb = [0, 1, 2, 3, 4, 5]\nb[::2] = [7, 8, 9]\nc = [0, 1, 2, 3, 4, 5]\ndel c[1::2]\nd = [0, 1, 2, 3]\nd[-1:] = (5, 6)\ne = [0, 1, 2, 3, 4]\ndel e[:2]\nf = [1, 2]\nf[5:] = [3]\nf[:0] = [0]\nx = (val2tuple(False, 2), val2tuple((1, None), 3), val2tuple([1, 2, 3], 2, 0), a, b, c, d, e, f)\n',
    "((False, False), (1, None, None), (1, 2, 3), [0, 'x', 3, 4, 5], [7, 1, 8, 3, 9, 5], [0, 2, 4], [0, 1, 2, 5, 6], [2, 3, 4], [0, 1, 2, 3])"],
  ['Enum: lookup by value (Format(\'NHWC\') is Format.NHWC), by name, iteration, len; a str mixin compares as its value',
    'from enum import Enum\nclass Format(str, Enum):\n    NCHW = \'NCHW\'\n    NHWC = \'NHWC\'\nclass Color(Enum):\n    RED = 1\n    BLUE = 2\nf = Format(\'NHWC\')\ng = Format.NCHW\ndef nchw_to(fmt):\n    if fmt == Format.NHWC:\n        return \'nhwc\'\n    elif fmt == Format.NLC:\n        return \'nlc\'\n    return \'other\'\nx = (f is Format.NHWC, f != Format.NCHW, f == \'NHWC\', g.value, f.name, nchw_to(f), Color(2) is Color.BLUE, Color.RED.value, Color[\'BLUE\'].name, [c.name for c in Color], isinstance(f, Format), isinstance(f, str), len(Format))\n',
    "(True, True, True, 'NCHW', 'NHWC', 'nhwc', True, 1, 'BLUE', ['RED', 'BLUE'], True, True, 2)"],
  ['locals(), vars() and globals() see the calling scope (NesT checks its arguments through locals()[name])',
    'G = 5\ndef f(a, b=2, *rest, **kw):\n    c = a + b\n    names = sorted(locals())\n    loc = locals()\n    vals = [loc[n] for n in [\'a\', \'b\', \'c\']]\n    return names, vals, vars()[\'rest\'], \'G\' in globals(), globals()[\'G\']\nx = f(1, 3, 4, k=1)\n',
    "(['a', 'b', 'c', 'kw', 'rest'], [1, 3, 4], (4,), True, 5)"],
  ['set.add / update of many names dedupe as Python does (True == 1 == 1.0, equal tuples)',
    's = set()\nfor i in range(3000):\n    s.add(\'m%d\' % (i % 1000))\ns.add(True)\ns.add(1)\ns.add(1.0)\ns.add((1, 2))\ns.add((1, 2))\nt = {1, 2}\nt.update([2, 3, True])\nx = (len(s), \'m5\' in s, sorted(t))\n',
    "(1002, True, [1, 2, 3])"],
  ['set.remove (KeyError when missing), discard, union, intersection, difference, subset tests: a feature extractor stops once every wanted layer is seen',
    'remaining = set([\'layer1\', \'layer3\'])\nseen = []\nfor name in [\'conv1\', \'layer1\', \'layer2\', \'layer3\', \'layer4\', \'fc\']:\n    seen.append(name)\n    if name in remaining:\n        remaining.remove(name)\n    if not remaining:\n        break\ns = {1, 2, 3}\ns.discard(5)\ns.discard(2)\nt = {3, 4}\ntry:\n    s.remove(9)\n    err = None\nexcept KeyError:\n    err = \'KeyError\'\nx = (seen, remaining, sorted(s), sorted(s.union(t, [7])), sorted(s.intersection(t)), sorted({1, 2, 3}.difference(t, [1])), {1}.issubset(s), s.issuperset([1]), s.isdisjoint(t), err, len(t.copy()))\n',
    "(['conv1', 'layer1', 'layer2', 'layer3'], set(), [1, 3], [1, 3, 4, 7], [3], [2], True, True, False, 'KeyError', 2)"],
  ['numbers.Integral / Real / Number in isinstance (a norm layer turning an int size into a tuple)',
    'import numbers\ndef norm_shape(n):\n    if isinstance(n, numbers.Integral):\n        n = (n,)\n    return tuple(n)\nx = (norm_shape(8), norm_shape([2, 3]), isinstance(2.5, numbers.Real), isinstance(2.5, numbers.Integral), isinstance(True, numbers.Number), isinstance(\'a\', numbers.Number), isinstance(3, numbers.Rational))\n',
    "((8,), (2, 3), True, False, True, False, True)"],
];

for (const [name, src, expected] of cases) {
  test(name, () => assert.equal(reprOf(runSnippet(src), 'x'), expected));
}

test('a bare yield (statement or value) is not a syntax error', () => {
  assert.deepEqual(parsePython('def f():\n    x = yield\n    yield\n    return x\n').errors, []);
});

test('functions of an imported module (bodies converted on first call) behave the same, generators included', () => {
  const files = { '/ws/helpers.py': 'def gen(n):\n    for i in range(n):\n        yield i * i\n\ndef never_called():\n    return 1 +\n\ndef twice(f, x):\n    return f(f(x))\n' };
  const g = runSnippet('from helpers import gen, twice\nx = (list(gen(4)), twice(lambda v: v * 3, 2))', files);
  assert.equal(reprOf(g, 'x'), '([0, 1, 4, 9], 18)');
});

test('a syntax error inside a function body of the analysed file is still reported', () => {
  const report = analyzeSource('/ws/m.py', 'import torch.nn as nn\ndef f():\n    return 1 +\nmodel = nn.Linear(2, 3)\n', { entry: 'model', input: [1, 2] });
  assert.ok(report.diagnostics.some((d) => d.line === 3 && d.severity === 'error'), JSON.stringify(report.diagnostics));
});

test('sys.modules lists loaded modules and a function knows its __module__ (a registry reading module-level cfgs)', () => {
  const files = {
    '/ws/zoo/__init__.py': '',
    '/ws/zoo/registry.py': 'import sys\nentries = {}\ncfgs = {}\ndef register(fn):\n    mod = sys.modules[fn.__module__]\n    entries[fn.__name__] = fn.__module__\n    if hasattr(mod, "default_cfgs") and fn.__name__ in mod.default_cfgs:\n        cfgs[fn.__name__] = mod.default_cfgs[fn.__name__]["classes"]\n    return fn\n',
    '/ws/zoo/nets.py': 'from .registry import register\ndefault_cfgs = {"tiny": {"classes": 21841}}\n@register\ndef tiny():\n    return 1\n@register\ndef plain():\n    return 2\n',
  };
  const g = runSnippet('import sys\nfrom zoo import nets\nfrom zoo.registry import entries, cfgs\nx = (entries, cfgs, sys.modules["zoo.nets"] is nets, "zoo" in sys.modules, len.__module__)', files);
  assert.equal(reprOf(g, 'x'), "({'tiny': 'zoo.nets', 'plain': 'zoo.nets'}, {'tiny': 21841}, True, True, 'builtins')");
});
