// Symbolic sizes stay readable through a deep network: `same` convolutions after a strided one
// give back the strided size, not a tower of brackets (what the hint of a model without an input
// shape shows on every line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dim from '../../../engine/shapes/dim';

/** A 3×3 convolution with padding 1 and stride 1: (x + 2 − 3) / 1 + 1. */
const same = (x: dim.Dim) => dim.add(dim.floorDiv(dim.sub(dim.add(x, 2), 3), 1), 1);
/** A 3×3 convolution with padding 1 and stride 2: ⌊(x + 2 − 3) / 2⌋ + 1. */
const down = (x: dim.Dim) => dim.add(dim.floorDiv(dim.sub(dim.add(x, 2), 3), 2), 1);

test('same convolutions after a strided one keep the strided size as written', () => {
  const h = down('H');
  assert.equal(h, '⌊(H-1)/2⌋+1');
  assert.equal(same(same(same(h))), '⌊(H-1)/2⌋+1');
  assert.equal(dim.sameDim(same(h), h), true);
});

test('two strided convolutions nest their floors once each', () => {
  assert.equal(down(down('H')), '⌊⌊(H-1)/2⌋/2⌋+1');
  assert.equal(same(down(down('H'))), down(down('H')));
});

test('products of symbols stay atoms, and come back unwrapped', () => {
  assert.equal(dim.sub(dim.add(dim.mul('H', 'W'), 1), 1), 'H*W');
  assert.equal(dim.add(dim.mul('H', 'W'), 1), '(H*W)+1');
  assert.equal(dim.mul(2, dim.add(down('H'), 1)), '2*⌊(H-1)/2⌋+4');
});

test('known sizes are plain arithmetic', () => {
  assert.equal(down(32), 16);
  assert.equal(same(16), 16);
  assert.equal(dim.floorDiv(7, 2), 3);
});
