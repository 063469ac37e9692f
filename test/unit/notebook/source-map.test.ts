// The notebook program and its source map: every place of a code cell is one place of the program
// and back, and neutralising IPython syntax never changes a length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CellSource } from '../../../engine/notebook/ipynb';
import { neutraliseCell } from '../../../engine/notebook/magics';
import { buildProgram, cellToOffset, fromCell, offsetToCell, toCell } from '../../../engine/notebook/program';

const LINES = ['import torch', 'x = 1', '%matplotlib inline', '!pip install torch', 'model?', '??Net', '%time y = f(x)',
  'files = !ls', 'def f(a):', '    return (a +', '        2)', 's = """', '% not a magic inside a string', '"""', '', '    ',
  '%%time', '%%bash', 'echo hi', 'x = [1,', ' !2]', 'a = "it\'s?"', 'b = 3  # what?', '\t%who', 'é = "ü"'];

const cellArb: fc.Arbitrary<CellSource> = fc.record({
  kind: fc.constantFrom<CellSource['kind']>('code', 'code', 'code', 'markdown', 'raw'),
  source: fc.oneof(fc.array(fc.constantFrom(...LINES), { maxLength: 8 }).map((l) => l.join('\n')), fc.string({ maxLength: 40 })),
});

test('neutralising a cell keeps its length and every newline', () => {
  fc.assert(fc.property(cellArb, (c) => {
    const out = neutraliseCell(c.source).text;
    assert.equal(out.length, c.source.length);
    for (let i = 0; i < out.length; i++) if (c.source[i] === '\n' || out[i] === '\n') assert.equal(out[i], c.source[i]);
  }), { numRuns: 500 });
});

test('source map: every offset of the program is an offset of one code cell and back', () => {
  fc.assert(fc.property(fc.array(cellArb, { maxLength: 8 }), (cells) => {
    const p = buildProgram(cells);
    for (let o = 0; o < p.text.length; o++) {
      const at = offsetToCell(p, o);
      assert.ok(at, `offset ${o} maps to no cell`);
      assert.equal(cells[at.cell - 1].kind, 'code');
      assert.equal(cellToOffset(p, at.cell, at.offset), o);
      if (at.offset < cells[at.cell - 1].source.length) {
        const src = cells[at.cell - 1].source;
        // same character, or the same-length Python that replaced IPython syntax
        if (src[at.offset] === '\n') assert.equal(p.text[o], '\n');
      }
    }
  }), { numRuns: 300 });
});

test('source map: every (cell, line, column) of a code cell is a program position and back', () => {
  fc.assert(fc.property(fc.array(cellArb, { maxLength: 8 }), fc.nat(), fc.nat(), (cells, pick, colSeed) => {
    const p = buildProgram(cells);
    const code = cells.map((c, i) => ({ c, cell: i + 1 })).filter((x) => x.c.kind === 'code');
    if (!code.length) return;
    const { c, cell } = code[pick % code.length];
    const lines = c.source.split('\n');
    const line = (pick % lines.length) + 1;
    const col = colSeed % (lines[line - 1].length + 1);
    const prog = fromCell(p, { cell, line, col })!;
    assert.deepEqual(toCell(p, prog.line, prog.col), { cell, line, col });
    // the program's line holds the cell's line, same length
    assert.equal(p.text.split('\n')[prog.line - 1].length, lines[line - 1].length);
  }), { numRuns: 500 });
});

test('markdown and raw cells are not in the program, and code cells keep their notebook numbers', () => {
  const p = buildProgram([{ kind: 'markdown', source: '# Title' }, { kind: 'code', source: 'a = 1' }, { kind: 'raw', source: 'x' }, { kind: 'code', source: 'b = 2\nc = 3' }]);
  assert.equal(p.text, 'a = 1\nb = 2\nc = 3\n');
  assert.deepEqual(p.spans.map((s) => [s.cell, s.firstLine, s.lineCount]), [[2, 1, 1], [4, 2, 2]]);
  assert.deepEqual(toCell(p, 3, 4), { cell: 4, line: 2, col: 4 });
  assert.equal(fromCell(p, { cell: 3, line: 1, col: 0 }), undefined);
});
