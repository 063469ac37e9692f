// Imported modules are parsed without their function bodies (`engine/python/skip-bodies.ts`), each body
// parsed from the text when first read. The truth is lezer's parse of the whole text: both must give the
// same AST, positions included, on real model and library code and on the line structures the scan must
// get right (strings, comments, brackets, continuations, indentation), and the scan must give up where it
// is not sure rather than guess.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SourcePieces, parseIncremental, parsePython } from '../../../engine/python/parse';
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

function pythonFiles(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) pythonFiles(p, out);
    else if (f.endsWith('.py')) out.push(p);
  }
  return out;
}

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
