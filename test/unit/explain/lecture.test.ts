// The lecture's worked examples (Lecture 5), number for number.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explain, LECTURE_1D, LECTURE_2D } from '../../../engine/explain/index';
import type { PaddingSpec } from '../../../engine/explain/types';

const conv1d = (padding: PaddingSpec, stride = 1) =>
  explain({ op: 'conv', dims: 1, input: [[1, 0, 2, 2, 3, 1]], kernel: [[[3, 2, 2]]], padding, stride: [stride] });

test('the default examples are the lecture\'s', () => {
  assert.deepEqual(LECTURE_1D, { input: [1, 0, 2, 2, 3, 1], kernel: [3, 2, 2] });
  assert.deepEqual(LECTURE_2D.input, [[1, 2, 3, 2], [2, 3, 2, 5], [1, 2, 2, 1], [0, 2, 1, 2]]);
});

test('1D valid: o = l − k + 1 = 4, [7, 8, 16, 14], each step as the lecture writes it', () => {
  const e = conv1d({ mode: 'valid' });
  assert.deepEqual(e.output, [7, 8, 16, 14]);
  assert.deepEqual(e.outputShape, [4]);
  assert.equal(e.formula, 'o = ⌊(6 + 0 + 0 − 3)/1⌋ + 1 = 4');
  assert.deepEqual(e.steps.map((s) => s.arithmetic), [
    'y[0] = 3×1 + 2×0 + 2×2 = 7',
    'y[1] = 3×0 + 2×2 + 2×2 = 8',
    'y[2] = 3×2 + 2×2 + 2×3 = 16',
    'y[3] = 3×2 + 2×3 + 2×1 = 14',
  ]);
  assert.deepEqual(e.steps[2].terms, [[3, 2], [2, 2], [2, 3]]);
  assert.deepEqual(e.steps[2].field.map((c) => c.at), [[2], [3], [4]]);
  assert.deepEqual(e.padding, { kind: 'valid', split: [[0, 0]] });
});

test('1D manual padding 0,1 (one on the right): [7, 8, 16, 14, 11], the last window reads the padding', () => {
  const e = conv1d({ mode: 'manual', split: [[0, 1]] });
  assert.deepEqual(e.output, [7, 8, 16, 14, 11]);
  assert.equal(e.formula, 'o = ⌊(6 + 0 + 1 − 3)/1⌋ + 1 = 5');
  assert.equal(e.steps[4].arithmetic, 'y[4] = 3×3 + 2×1 + 2×0 = 11');
  assert.deepEqual(e.steps[4].field.map((c) => c.padding), [false, false, true]);
  assert.deepEqual(e.isPadding, [false, false, false, false, false, false, true]);
  assert.deepEqual(e.padding, { kind: 'manual', split: [[0, 1]] });
  assert.equal(e.axes[0].paddingText, 'manual: 0 left, 1 right');
});

test('1D same: p = k − 1 = 2 split 1, 1 gives [2, 7, 8, 16, 14, 11] under both rules', () => {
  for (const rule of ['pytorch', 'tensorflow'] as const) {
    const e = conv1d({ mode: 'same', rule });
    assert.deepEqual(e.output, [2, 7, 8, 16, 14, 11]);
    assert.deepEqual(e.padding, { kind: 'same', split: [[1, 1]] });
    assert.equal(e.steps[0].arithmetic, 'y[0] = 3×0 + 2×1 + 2×0 = 2');
  }
});

test('stride 2, exact tiling with padding 1: (6 + 1 − 3)/2 + 1 = 3, nothing left unread', () => {
  const e = conv1d({ mode: 'manual', split: [[0, 1]] }, 2);
  assert.deepEqual(e.output, [7, 16, 11]);
  assert.equal(e.formula, 'o = ⌊(6 + 0 + 1 − 3)/2⌋ + 1 = 3');
  assert.deepEqual(e.axes[0].tiling, { exact: true, neverRead: [], neverReadInput: [] });
  assert.deepEqual(e.steps.map((s) => s.origin), [[0], [2], [4]]);
});

test('stride 2, inexact tiling with padding 2: still 3 outputs, the last padded position is never read', () => {
  const symmetric = conv1d({ mode: 'manual', split: [[1, 1]] }, 2);
  assert.deepEqual(symmetric.output, [2, 8, 14]);
  assert.equal(symmetric.formula, 'o = ⌊(6 + 1 + 1 − 3)/2⌋ + 1 = 3');
  assert.deepEqual(symmetric.axes[0].tiling, { exact: false, neverRead: [7], neverReadInput: [] });
  const right = conv1d({ mode: 'manual', split: [[0, 2]] }, 2);
  assert.deepEqual(right.output, [7, 16, 11]);
  assert.deepEqual(right.axes[0].tiling, { exact: false, neverRead: [7], neverReadInput: [] });
  assert.match(right.notes.join('\n'), /does not tile l exactly: padded positions 7 are never read/);
});

test('stride 2 without padding leaves a real input cell unread', () => {
  const e = conv1d({ mode: 'valid' }, 2);
  assert.deepEqual(e.output, [7, 16]);
  assert.deepEqual(e.axes[0].tiling, { exact: false, neverRead: [5], neverReadInput: [5] });
});

test('2D: the 4×4 image with [[-1, 1], [-1, 1]] gives [[2, 0, 2], [2, -1, 2], [3, -1, 0]]', () => {
  const e = explain({ op: 'conv', dims: 2, input: [LECTURE_2D.input], kernel: [[LECTURE_2D.kernel]] });
  assert.deepEqual(e.output, [[2, 0, 2], [2, -1, 2], [3, -1, 0]]);
  assert.deepEqual(e.outputShape, [3, 3]);
  assert.equal(e.formula, 'o_h = ⌊(4 + 0 + 0 − 2)/1⌋ + 1 = 3; o_w = ⌊(4 + 0 + 0 − 2)/1⌋ + 1 = 3');
  assert.deepEqual(e.steps.map((s) => s.output), [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2]]);
  assert.equal(e.steps[0].arithmetic, 'y[0, 0] = (-1)×1 + 1×2 + (-1)×2 + 1×3 = 2');
  assert.deepEqual(e.steps[4].field.map((c) => c.at), [[1, 1], [1, 2], [2, 1], [2, 2]]);
});

test('2D with the lecture\'s two filters: one output map per filter', () => {
  const e = explain({ op: 'conv', dims: 2, input: [LECTURE_2D.input], kernel: [[LECTURE_2D.kernel], [[[1, 1], [1, 1]]]] });
  assert.deepEqual(e.outputShape, [2, 3, 3]);
  assert.deepEqual(e.output, [[[2, 0, 2], [2, -1, 2], [3, -1, 0]], [[8, 10, 12], [8, 9, 10], [5, 7, 6]]]);
  assert.equal(e.steps[9].arithmetic, 'y[1, 0, 0] = 1×1 + 1×2 + 1×2 + 1×3 = 8');
});

test('several input channels are summed, one bracket per channel', () => {
  const e = explain({ op: 'conv', dims: 1, input: [[1, 2, 3], [4, 5, 6]], kernel: [[[1, 1], [2, 0]]] });
  assert.deepEqual(e.output, [1 + 2 + 2 * 4, 2 + 3 + 2 * 5]);
  assert.equal(e.steps[0].arithmetic, 'y[0] = (1×1 + 1×2) + (2×4 + 0×5) = 11');
});
