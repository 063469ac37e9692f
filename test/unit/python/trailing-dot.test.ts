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
