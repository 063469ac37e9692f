// Re-parsing an edited file from its previous parse gives exactly the AST a fresh parse gives:
// random edits (inserted, deleted and replaced text, anywhere) of every fixture model file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseIncremental, parsePython } from '../../../engine/python/parse';
import { typicalModelFile } from '../../bench/typical-model';

const dir = path.join(__dirname, '../../fixtures/pytorch');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.py')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
const SNIPPETS = ['', 'x', '\n', '    ', '(', ')', ':', 'nn.Conv2d(3, 8, 3)', '\nclass A(nn.Module):\n    pass\n', '# c\n', 'return x\n', ',', '1.'];

// the interpreter caches call sites on AST nodes; they are not part of the tree
const plain = (v: unknown) => JSON.stringify(v, (k, x) => (k === 'site' ? undefined : x));

test('incremental re-parse equals a fresh parse after random edits', () => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: files.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 40 }), fc.constantFrom(...SNIPPETS),
    (i, at, cut, insert) => {
      const before = files[i];
      const pos = Math.floor(before.length * at);
      const after = before.slice(0, pos) + insert + before.slice(Math.min(before.length, pos + cut));
      const first = parseIncremental(before);
      const again = parseIncremental(after, first.state);
      assert.equal(plain(again.module), plain(parsePython(after)));
    },
  ), { numRuns: 300 });
});

test('a chain of edits keeps agreeing with fresh parses', () => {
  let text = files[4];
  let state = parseIncremental(text).state;
  for (let k = 0; k < 30; k++) {
    const pos = (k * 7919) % text.length;
    text = `${text.slice(0, pos)}${k % 3 === 0 ? '\n' : 'y'}${text.slice(pos + (k % 2))}`;
    const r = parseIncremental(text, state);
    assert.equal(plain(r.module), plain(parsePython(text)));
    state = r.state;
  }
});

test('typing at the end of a long file leaves every class where it was', () => {
  // lezer's own incremental parse (tree fragments) nested BasicBlock in SqueezeExcite here: a class
  // 180 lines above the edit moved into another
  let state = parseIncremental(`${typicalModelFile}\n# 0`).state;
  for (const k of [1, 2, 3]) {
    const text = `${typicalModelFile}\n# ${k}`;
    const r = parseIncremental(text, state);
    assert.equal(plain(r.module), plain(parsePython(text)), `edit ${k}`);
    assert.equal(r.module.body.filter((s) => s.t === 'class').length, 4);
    state = r.state;
  }
});

/**
 * Chains of random edits of the fixtures (`insert` at a place, `cut` characters after it removed; within the line
 * when `inLine`), each parse from the one before: every parse must equal a fresh one.
 */
function chainsAgree(inserts: string[], maxCut: number, minLength: number, numRuns: number, inLine = false): void {
  const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), cut: fc.integer({ min: 0, max: maxCut }), insert: fc.constantFrom(...inserts) });
  fc.assert(fc.property(fc.integer({ min: 0, max: files.length - 1 }), fc.array(edit, { minLength, maxLength: 6 }), (i, edits) => {
    let text = files[i];
    let state = parseIncremental(text).state;
    for (const { at, cut, insert } of edits) {
      const pos = Math.floor(text.length * at);
      const eol = text.indexOf('\n', pos);
      const end = inLine && eol >= 0 ? eol : text.length;
      text = text.slice(0, pos) + insert + text.slice(Math.min(end, pos + cut));
      const r = parseIncremental(text, state);
      assert.equal(plain(r.module), plain(parsePython(text)));
      state = r.state;
    }
  }), { numRuns });
}

test('chains of random edits keep agreeing with fresh parses', () => {
  // each may make the statements after the edit read differently: a clause joining the one above, an
  // unterminated string, a continued line (before comments too), a decorator
  chainsAgree([...SNIPPETS, 'else:\n    pass\n', '"""', "'''", '\\\n', 'x = 1 \\\n# c\n\n', '@dec\n'], 12, 2, 120);
});

test('statements after the edit are moved, unless the edited stretch runs on into them', () => {
  // found by the chains above: an unterminated string that lezer closes at the end of the stretch,
  // a backslash continuation that joins the next statement past the comments in between,
  // and a statement with an error at its very start after the edit (its error must not be lost)
  for (const [file, edits] of [[0, [[0, '"""']]], [0, [[0, '\\\n'], [0, 'x']]], [0, [[0, 'x = 1 \\\n# c\n\n']]], [4, [[10, '\n'], [9, '\\\n'], [1, '']]]] as const) {
    let text = files[file];
    let state = parseIncremental(text).state;
    for (const [cut, insert] of edits) {
      text = insert + text.slice(cut);
      const r = parseIncremental(text, state);
      assert.equal(plain(r.module), plain(parsePython(text)), JSON.stringify(edits));
      state = r.state;
    }
  }
  // an edit in the first class of a long file: the classes after it keep their nodes, moved
  const long = files[4].repeat(20);
  const first = parseIncremental(long);
  const edited = `# one more line\n${long}`;
  const again = parseIncremental(edited, first.state);
  assert.equal(plain(again.module), plain(parsePython(edited)));
  assert.equal(again.module.body.at(-1), first.module.body.at(-1));
});

test('a stretch with a syntax error is parsed with the whole file: lezer recovers by what came before', () => {
  // fixture 61 typed into: `retu|rn` split by `try:`, a `\` on top, then `except:` over the next class
  const edit = (text: string, at: number, cut: number, insert: string) => text.slice(0, at) + insert + text.slice(at + cut);
  let text = fs.readFileSync(path.join(dir, '61_modules_dict.py'), 'utf8');
  text = edit(edit(edit(text, 475, 0, 'try:\n'), 1, ' entry: Net'.length, 'if x:\n    y = 2\n'), 1, 0, '\\\n');
  const before = parseIncremental(text);
  text = edit(text, 495, '\n\n\nclass Ne'.length, 'except:\n    pass\n');
  const again = parseIncremental(text, before.state);
  assert.equal(plain(again.module), plain(parsePython(text)));
  assert.equal(again.module.errors.length, 1);
});

test('a stretch nested thousands deep is parsed with the whole file: lezer cuts by its whole stack', () => {
  const file = (y: string) => `import torch.nn as nn\na = [1]\ny = ${y}\nm = nn.Linear(4, 2)\n`;
  const before = parseIncremental(file('(1 if a[0] else 2)'));
  const text = file(`${'not '.repeat(2760)}1`);
  assert.equal(plain(parseIncremental(text, before.state).module), plain(parsePython(text)));
});

test('statements before the edit are reused, not rebuilt', () => {
  const before = files[4];
  const first = parseIncremental(before);
  const after = `${before}\n# one more line\n`;
  const again = parseIncremental(after, first.state);
  assert.equal(again.module.body[0], first.module.body[0]);
  assert.equal(again.module.body.length, first.module.body.length);
});

test('edits within one line agree with fresh parses, chained (a statement parsed again alone)', () => {
  // what typing inside a line gives: numbers, names, a closing bracket missing or doubled, a comment, a `yield`,
  // a `:` that makes a compound header, a continuation, an unterminated string
  chainsAgree(['', '1', '0', 'x', ' ', ')', '(', ',', '.', ':', '#', '# c', ' \\', '"', '"""', 'yield ', ';', 'lambda: ', ' if a else b'], 6, 1, 400, true);
});

test('a number changed inside a method keeps every other statement of the file, and moves those after it', () => {
  const at = typicalModelFile.indexOf('self.fc = nn.Linear(512 * block.expansion, num_classes)');
  const edit = (n: string) => typicalModelFile.replace('self.fc = nn.Linear(512 * block.expansion, num_classes)', `self.fc = nn.Linear(512 * block.expansion, ${n})`);
  const first = parseIncremental(edit('10'));
  const cls = first.module.body.find((s) => s.t === 'class' && s.name === 'ResNet');
  const last = first.module.body.at(-1)!;
  const lastFrom = last.from;
  const again = parseIncremental(edit('100'), first.state);
  assert.equal(plain(again.module), plain(parsePython(edit('100'))));
  // the class is the same node (only the statement was parsed again: a few nodes, not the class's hundreds)
  assert.equal(again.module.body.find((s) => s.t === 'class' && s.name === 'ResNet'), cls);
  assert.ok(again.work < 40, `work ${again.work}`);
  assert.equal(again.module.body.at(-1), last);
  assert.equal(last.from, lastFrom + 1);
  assert.ok(at > 0);
  // a file with Windows line ends too
  const crlf = (n: string) => edit(n).replace(/\n/g, '\r\n');
  const again2 = parseIncremental(crlf('7'), parseIncremental(crlf('10')).state);
  assert.equal(plain(again2.module), plain(parsePython(crlf('7'))));
  assert.ok(again2.work < 40, `work ${again2.work}`);
});
