// `0.`-style floats rewritten before lezer reads them (engine/python/trailing-dot.ts), every offset kept,
// strings, comments and names untouched.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fixTrailingDotFloats } from '../../../engine/python/trailing-dot';

test('trailing-dot floats lose the dot and nothing else changes', () => {
  const cases: Array<[string, string]> = [
    ['p = 0. if x else 1.', 'p = 0  if x else 1 '],
    ['a = 1.e-3 + 2.E+4 + 3.e5_0', 'a = 1e-3  + 2E+4  + 3e5_0 '],
    ['b = 1_000. * 2', 'b = 1_000  * 2'],
    // names, attribute chains, real floats, ranges of dots and what strings and comments hold stay as they are
    ['layer1. x.0. y = 1.5 + .5 + 1..real', 'layer1. x.0. y = 1.5 + .5 + 1..real'],
    ["s = '0.' + \"1. \\\" 2.\" + f'{3.}' # 4.\nt = 5.", "s = '0.' + \"1. \\\" 2.\" + f'{3.}' # 4.\nt = 5 "],
    ['u = """6.\n7."""; v = 8.', 'u = """6.\n7."""; v = 8 '],
    ["w = 'open\nz = 9.", "w = 'open\nz = 9 "],
    ['e = 1.ex', 'e = 1.ex'],
  ];
  for (const [src, want] of cases) {
    const got = fixTrailingDotFloats(src);
    assert.equal(got, want, src);
    assert.equal(got.length, src.length);
  }
});

test('what the scan passes natively holds no float it must rewrite, and strings end where Python ends them', () => {
  const cases: Array<[string, string]> = [
    // a digit after a non-ASCII letter starts a number (the scan passes non-ASCII as it passes punctuation)
    ['é1. + x2. + _3. + 4.', 'é1  + x2. + _3. + 4 '],
    // a string closed after escapes, a triple-quoted one with lone quotes inside, one cut off by the end
    ["a = 'x\\'1.' + 2.\nb = '''1.'' '2.''' + 3.\nc = \"4.", "a = 'x\\'1.' + 2 \nb = '''1.'' '2.''' + 3 \nc = \"4."],
    // a backslash as the last character, a comment without a line break after it
    ['d = 5. # 6.', 'd = 5  # 6.'],
    ['e = 7. "\\', 'e = 7  "\\'],
  ];
  for (const [src, want] of cases) assert.equal(fixTrailingDotFloats(src), want, src);
});
