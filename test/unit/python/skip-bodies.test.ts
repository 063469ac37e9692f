// Imported modules are parsed without their function bodies (`engine/python/skip-bodies.ts`), each body
// parsed from the text when first read. The truth is lezer's parse of the whole text: both must give the
// same AST, positions included, on real model and library code and on the line structures the scan must
// get right (strings, comments, brackets, continuations, indentation), and the scan must give up where it
// is not sure rather than guess.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { pythonFiles } from './python-files';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource } from '../../../engine/analyze';
import { withFreshParseCache } from '../../../engine/python/imports';
import { SourcePieces, parseIncremental, parsePython, withWholeParses } from '../../../engine/python/parse';
import { skeleton } from '../../../engine/python/skip-bodies';

/** The AST with every lazily read body read (JSON.stringify reads the getters). */
const whole = (text: string) => JSON.stringify(parsePython(text).body);
const lazy = (text: string) => JSON.stringify(parsePython(text, { lazyBodies: true }).body);

const LONG = 'x'.repeat(70);

const TRICKY = [
  `"""Module docstring: ${LONG}`,
  'over lines."""',
  'import os',
  `NOTE = r'''raw ${LONG} \\d'''`,
  `TEMPLATE = f"""{os.name} a formatted string's fields are read: ${LONG}"""`,
  'def strings(x):',
  '    s = """',
  'not indented: def g():',
  '"""',
  "    t = rb'\\'' + f\"{x}:\" + 'it\\'s # not a comment'",
  '    return s, t',
  'y = 1',
  'def comment_at_column_0():',
  '    a = 1',
  '# a comment at column 0 inside the body',
  '',
  '    return a',
  'def brackets():',
  '    return [',
  '1, 2,',
  ']',
  'def continued():',
  '    x = 1 + \\',
  '2',
  '    return x',
  'def one_line(): return 1',
  'def header(a=lambda v: v, b={"k": 1}, c="x:y",',
  '           d=(1,',
  '2)) -> "Dict[str, int]":  # a comment: with a colon',
  '    return a',
  'async def coroutine():',
  '    await thing()',
  '@decorator(1)',
  'def decorated():',
  '    def nested():',
  '        return 2',
  '    return nested',
  'class A:',
  `    """A class: its methods are skipped, its body is not. ${LONG}"""`,
  '    size = 3',
  '    def method(self):',
  '        return self.size',
  '',
  '    class Inner:',
  '        def deep(self):',
  '            yield 1',
  '    def after(self):',
  '        pass',
  '    other = size * 2',
  'if os.name:',
  '    def in_if():',
  '        return 1',
  'else:',
  '    def in_else():',
  '        return 2',
  'def short():',
  '    x',
  'def gen():',
  '    yield from range(3)',
  'def trailing_comments():',
  '    x = 1  # the last line, with a comment',
  '    # an indented comment after it',
  '# and one at column 0',
  'z = [lambda q: q]',
  'def last():',
  '    return z',
].join('\n');

test('a parse without function bodies equals the whole parse on tricky line structures', () => {
  for (const text of [TRICKY, `${TRICKY}\n`, TRICKY.replace(/\n/g, '\r\n')]) {
    const skel = skeleton(text);
    assert.ok(skel, 'the scan is sure of this text');
    // every block body (a nested def is part of its function's) but the 2-character one, and the last one
    // when it ends the text without a newline
    assert.equal(skel.bodies.size, text.endsWith('\n') ? 15 : 14);
    // long strings' insides are skipped too, but for the formatted one
    const skippedText = (from: number, to: number) => !skel.ranges.some((r) => r.from < to && from < r.to);
    for (const doc of ['Module docstring', `raw ${LONG}`, 'A class: its']) {
      const at = text.indexOf(doc);
      assert.ok(skippedText(at, at + doc.length), doc);
    }
    assert.ok(!skippedText(text.indexOf('a formatted'), text.indexOf('a formatted') + 1));
    assert.equal(lazy(text), whole(text));
  }
});

test('a body that does not parse alone as its def (a syntax error in it) is read from a parse of the whole text', () => {
  const resnet = readFileSync(join(__dirname, '../../fixtures/zoo/torchvision/models/resnet.py'), 'utf8');
  // found by mutating the file: a line `dilate:` makes the def's text parse as more than one statement
  const text = resnet.replace('        if dilate:', '        dilate:');
  const at = text.indexOf('def _make_layer');
  const eol = skeleton(text)?.bodies.get(at);
  assert.ok(eol !== undefined, 'the body is skipped');
  assert.equal(new SourcePieces(text).def(at, eol + 1, '_make_layer'), undefined, 'it does not parse alone');
  assert.equal(lazy(text), whole(text));
});

test('the scan gives up where it is not sure, and the text is parsed whole', () => {
  for (const text of [
    'def f():\n\treturn 1\n',
    'def f():\n    return 1\rx = 2\n',
    "def f():\n    return 'abc\nx = 2\n",
    'def f():\n    return (1,\nx = 2\n',
    'def f():\n    return 1)\nx = 2\n',
    'def f():\n    s = """never closed\nx = 2\n',
    // an inconsistent dedent and an unexpected indent (lezer recovers from them its own way)
    'class A:\n    def f(self):\n        if x:\n            pass\n      y = 1\n    def g(self):\n        return 2\nq = 1\n',
    'def f():\n    x = 1\n        y = 2\nq = 1\n',
  ]) {
    assert.equal(skeleton(text), undefined, JSON.stringify(text));
    assert.equal(lazy(text), whole(text));
  }
});

test('an edited imported file parsed again from the edit skips bodies and keeps the file positions', () => {
  const a = 'from . import layers\nlayers.COUNT = 3\n\n@layers.register\ndef tiny(c):\n    return layers.Block(c, layers.COUNT)\n\nx = 1\n';
  const b = a.replace('COUNT = 3', 'COUNT = 15');
  const first = parseIncremental(a, undefined, { lazyBodies: true });
  const next = parseIncremental(b, first.state, { lazyBodies: true });
  assert.equal(JSON.stringify(next.module.body), whole(b));
});

test('on real code (torchvision 0.14.1\'s models and the fixtures) a parse without bodies equals the whole parse', () => {
  const files = pythonFiles(join(__dirname, '../../fixtures'));
  assert.ok(files.length > 200);
  let skipped = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    skipped += skeleton(text)?.bodies.size ?? 0;
    assert.equal(lazy(text), whole(text), f);
  }
  assert.ok(skipped > 500, `bodies skipped: ${skipped}`);
});

/** A package whose functions run at import and when the model is built: decorators, closures, generators, docstrings. */
const PKG: Record<string, string> = {
  '/ws/.venv/lib/python3.11/site-packages/pkg/__init__.py': `"""The package: ${LONG}"""\nfrom .blocks import build, REGISTRY\n`,
  '/ws/.venv/lib/python3.11/site-packages/pkg/blocks.py': [
    'import torch.nn as nn', 'REGISTRY = {}', '',
    'def register(fn):', `    """Registers: ${LONG}"""`, '    REGISTRY[fn.__name__] = fn', '    return fn', '',
    'def widths(n):', '    for i in range(n):', '        yield 8 * (i + 1)', '',
    'def scaled(k):', '    def f(c):', '        return c * k', '    return f', '',
    'class Block(nn.Sequential):', `    """A block: ${LONG}"""`, '    def __init__(self, c_in, c_out):',
    '        super().__init__(nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU())', '',
    '@register', 'def tiny(num_classes=10, double=scaled(2)):', '    cs = [3] + list(widths(3))',
    '    layers = [Block(a, double(b)) for a, b in zip([3] + [double(c) for c in cs[1:-1]], cs[1:])]',
    '    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(double(cs[-1]), num_classes))', '',
    'def build(name, **kw):', '    return REGISTRY[name](**kw)', '',
  ].join('\n'),
};

test('reports of files that import packages are the same with bodies skipped as with the packages parsed whole', () => {
  const host = { readFile: (p: string) => PKG[p], isDirectory: (p: string) => Object.keys(PKG).some((k) => k.startsWith(`${p}/`)) };
  const options = { root: '/ws', host, python: { paths: [{ path: '/ws/.venv/lib/python3.11/site-packages', source: 'venv' as const, env: '/ws/.venv' }], problems: [] } };
  const files = [
    'import pkg\nimport torch\nmodel = pkg.build("tiny", num_classes=5)\nfor p in model[0].parameters():\n    p.requires_grad = False\ny = model(torch.randn(1, 3, 16, 16))\n',
    'import torch.nn as nn\nimport torchvision\nmodel = torchvision.models.resnet50(weights=None)\nmodel.fc = nn.Linear(model.fc.in_features, 10)\n',
    'import torchvision.models as models\nmodel = models.efficientnet_b0(weights="DEFAULT")\n',
    'from torchvision.models import vit_b_16, convnext_tiny\nvit = vit_b_16()\nconv = convnext_tiny()\n',
  ];
  for (const text of files) {
    const skipped = withFreshParseCache(() => analyzeSource('/ws/main.py', text, options));
    const whole = withFreshParseCache(() => withWholeParses(() => analyzeSource('/ws/main.py', text, options)));
    assert.ok(skipped.models.length && skipped.models.every((m) => m.totalParams > 0), text);
    assert.deepStrictEqual(skipped, whole, text);
    if (text.startsWith('import pkg')) {
      // Block(3, 16), Block(16, 32), Block(32, 48), Linear(48, 5); the first block frozen
      assert.equal(skipped.models[0].totalParams, 448 + 4640 + 13872 + 245);
      assert.equal(skipped.models[0].trainableParams, 4640 + 13872 + 245);
    }
  }
});

test("a header's last character of code is found past names, spaces and continuations (the block it opens)", () => {
  // the scan passes plain runs of a line whole (a regular expression): what ends a header must still be its ':'
  const opens = (header: string) => skeleton(`${header}\n    return 1\n\nx = 2\n`)?.bodies.size ?? 0;
  assert.equal(opens('def f(a,  b):  '), 1);
  assert.equal(opens('def f(a: int = 1) -> int: \t'), 0); // a tab after the colon: not a bare ':' ending
  assert.equal(opens('def f(\n    a,\n    b,\n):   '), 1);
  assert.equal(opens("def f(s='):'):  # a comment: ok"), 1);
  // a continued header whose last line is only spaces keeps the ':' before it
  assert.equal(opens('def f(): \\\n   '), 0); // Python: an unexpected indent after it; the scan parses whole
  for (const text of ['def f(a,  b):  \n    return a\n', 'def f(s="""):\n"""):\n    return s\n', "x = {'a': 1,\n     'b': (2,\n  3)}\n"]) {
    assert.equal(lazy(text), whole(text), text);
  }
});
