// Brackets nested deeper than CPython allows are blanked before lezer reads them (engine/python/bracket-depth.ts):
// only those regions, every offset kept; brackets inside strings and comments do not count.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { MAX_BRACKETS, blankTooDeep } from '../../../engine/python/bracket-depth';

const deep = (n: number) => `${'('.repeat(n)}1${')'.repeat(n)}`;

test('a region nested past 200 brackets is blanked, lines and offsets kept', () => {
  const head = 'x = 1  # ((((\ns = "(((" + \'[[[\' + """\n{{{\n"""\n';
  const src = `${head}y = ${deep(MAX_BRACKETS + 1)}\nz = [1]\n`;
  const { src: out, regions } = blankTooDeep(src);
  const from = head.length + 4;
  assert.deepEqual(regions, [{ from, to: from + 2 * (MAX_BRACKETS + 1) + 1 }]);
  assert.equal(out.length, src.length);
  assert.equal(out, `${head}y = ${' '.repeat(2 * (MAX_BRACKETS + 1) + 1)}\nz = [1]\n`);
});

test('brackets in strings, comments and escapes do not count; 200 deep is allowed', () => {
  const quoted = `s = '${'('.repeat(300)}' + "\\"${'['.repeat(300)}"\n# ${'{'.repeat(300)}\n`;
  assert.deepEqual(blankTooDeep(`${quoted}y = ${deep(MAX_BRACKETS)}\n`).regions, []);
  // a string cut off by a line break ends there: what follows counts again
  const cut = `s = '${'('.repeat(10)}\ny = ${deep(MAX_BRACKETS + 1)}\n`;
  assert.equal(blankTooDeep(cut).regions.length, 1);
  // an unclosed region runs to the end; a backslash as the last character ends the text
  const pad = `# ${'-'.repeat(2 * MAX_BRACKETS)}\n`;
  const open = `${pad}y = ${'['.repeat(MAX_BRACKETS + 1)}1 '\\`;
  assert.deepEqual(blankTooDeep(open).regions, [{ from: pad.length + 4, to: open.length }]);
});
