// img2col: X̂ holds one receptive field per column, W one filter per row, and W·X̂ is the convolution.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explain, explainImg2col, LECTURE_2D } from '../../../engine/explain/index';

test('1D lecture example: X̂ columns are the receptive fields, Y = W·X̂ = [7, 8, 16, 14]', () => {
  const e = explainImg2col({ op: 'conv', dims: 1, input: [[1, 0, 2, 2, 3, 1]], kernel: [[[3, 2, 2]]] });
  assert.deepEqual(e.xHat, [[1, 0, 2, 2], [0, 2, 2, 3], [2, 2, 3, 1]]);
  assert.deepEqual(e.w, [[3, 2, 2]]);
  assert.deepEqual(e.y, [[7, 8, 16, 14]]);
  assert.deepEqual(e.rowLabels, ['i=0', 'i=1', 'i=2']);
  assert.deepEqual(e.steps[1].values, [0, 2, 2]);
  assert.equal(e.steps[0].products[0].arithmetic, 'Y[0, 0] = W[0, :]·X̂[:, 0] = 3×1 + 2×0 + 2×2 = 7');
});

test('2D lecture image with both filters: X̂ is 4×9, W 2×4, Y the two maps', () => {
  const req = { op: 'conv' as const, dims: 2 as const, input: [LECTURE_2D.input], kernel: [[LECTURE_2D.kernel], [[[1, 1], [1, 1]]]] };
  const e = explainImg2col(req);
  assert.equal(e.xHat.length, 4);
  assert.equal(e.xHat[0].length, 9);
  assert.deepEqual(e.w, [[-1, 1, -1, 1], [1, 1, 1, 1]]);
  assert.deepEqual(e.steps[4].values, [3, 2, 2, 2]); // the field at output (1, 1)
  assert.deepEqual(e.steps[4].at, [1, 1]);
  const direct = explain(req).outputMaps as number[][][];
  assert.deepEqual(e.y, direct.map((m) => m.flat()));
});

test('multi-channel: receptive fields across channels are stacked in one column', () => {
  const e = explainImg2col({ op: 'conv', dims: 1, input: [[1, 2, 3], [4, 5, 6]], kernel: [[[1, 0], [0, 1]]], padding: { mode: 'manual', split: [[1, 0]] } });
  assert.deepEqual(e.rowLabels, ['c=0,i=0', 'c=0,i=1', 'c=1,i=0', 'c=1,i=1']);
  assert.deepEqual(e.xHat, [[0, 1, 2], [1, 2, 3], [0, 4, 5], [4, 5, 6]]);
  assert.deepEqual(e.steps[0].field.map((c) => c.padding), [true, false, true, false]);
  assert.deepEqual(e.y, [[4, 6, 8]]);
});
