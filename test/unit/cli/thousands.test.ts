// Counts grouped by thousands without Intl (its first call loads ICU's locale data): the same text as
// `toLocaleString('en-US')`, the truth, for every kind of number a report holds and the edge cases.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { thousands } from '../../../engine/report/thousands';

test("thousands writes what toLocaleString('en-US') writes", () => {
  const values = [0, -0, 1, -1, 7, 12, 999, 1000, -1000, 9249, 65536, 999_999, 1_000_000, 11_181_642, -23_836_663,
    4_089_184_256, 1e15, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 1e25, 0.5, 1234.5678, -0.0004,
    NaN, Infinity, -Infinity];
  // every digit count, from a fixed sequence (no randomness in tests)
  for (let d = 1, v = 7; d <= 16; d++, v = v * 10 + (d % 10)) values.push(v, -v);
  for (const v of values) assert.equal(thousands(v), v.toLocaleString('en-US'), String(v));
});
