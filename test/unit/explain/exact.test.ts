// Exact arithmetic and number formatting in the arithmetic strings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { add, format, formatResult, fromNumber, mul } from '../../../engine/explain/exact';
import { explain } from '../../../engine/explain/index';

test('decimals are read as the decimals they are: 0.1 + 0.2 = 0.3 exactly', () => {
  const q = add(fromNumber(0.1), fromNumber(0.2));
  assert.deepEqual(q, { n: 3n, d: 10n });
  assert.equal(formatResult(q), '= 0.3');
  assert.deepEqual(mul(fromNumber(1e-7), fromNumber(-2.5)), { n: -1n, d: 4000000n });
});

test('integers print without decimals, others with at most 4 decimals, tiny ones with 4 significant digits', () => {
  assert.equal(format(fromNumber(16)), '16');
  assert.equal(format(fromNumber(-0.25)), '-0.25');
  assert.equal(format({ n: 1n, d: 3n }), '0.3333');
  assert.equal(format({ n: 1n, d: 30000n }), '0.00003333');
  assert.equal(formatResult({ n: 2n, d: 3n }), '≈ 0.6667');
});

test('a convolution on decimals shows exact sums', () => {
  const e = explain({ op: 'conv', dims: 1, input: [[0.1, 0.2, 0.3]], kernel: [[[1, 1]]] });
  assert.deepEqual(e.output, [0.3, 0.5]);
  assert.equal(e.steps[0].arithmetic, 'y[0] = 1×0.1 + 1×0.2 = 0.3');
});
