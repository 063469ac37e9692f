// Max and average pooling on hand-checked numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explain, LECTURE_2D } from '../../../engine/explain/index';

const image = [LECTURE_2D.input];

test('max pooling 2×2 on the lecture\'s image: stride defaults to the kernel size', () => {
  const e = explain({ op: 'maxpool', dims: 2, input: image, kernelSize: [2] });
  assert.deepEqual(e.output, [[3, 5], [2, 2]]);
  assert.deepEqual(e.axes.map((a) => a.stride), [2, 2]);
  assert.equal(e.steps[0].arithmetic, 'y[0, 0] = max(1, 2, 2, 3) = 3');
  assert.equal(e.steps[1].chosen, 3); // the 5 in the window 3, 2, 2, 5
  assert.deepEqual(e.steps[1].terms, [[3], [2], [2], [5]]);
});

test('average pooling 2×2 on the lecture\'s image', () => {
  const e = explain({ op: 'avgpool', dims: 2, input: image, kernelSize: [2] });
  assert.deepEqual(e.output, [[2, 3], [1.25, 1.5]]);
  assert.equal(e.steps[2].arithmetic, 'y[1, 0] = (1 + 2 + 0 + 2)/4 = 1.25');
});

test('average pooling says when the printed value is rounded', () => {
  const e = explain({ op: 'avgpool', dims: 1, input: [[1, 0, 2, 2, 3, 1]], kernelSize: [3], stride: [1] });
  assert.deepEqual(e.steps.map((s) => s.value), [1, 4 / 3, 7 / 3, 2]);
  assert.equal(e.steps[1].arithmetic, 'y[1] = (0 + 2 + 2)/3 ≈ 1.3333');
  assert.equal(e.steps[3].arithmetic, 'y[3] = (2 + 3 + 1)/3 = 2');
});

test('1D pooling with the lecture\'s x', () => {
  assert.deepEqual(explain({ op: 'maxpool', dims: 1, input: [[1, 0, 2, 2, 3, 1]], kernelSize: [2] }).output, [1, 2, 3]);
  assert.deepEqual(explain({ op: 'avgpool', dims: 1, input: [[1, 0, 2, 2, 3, 1]], kernelSize: [2] }).output, [0.5, 2, 2]);
});

test('max pooling pads with −∞: padding is never read, even when every value is negative', () => {
  const e = explain({ op: 'maxpool', dims: 1, input: [[-1, -2, -3]], kernelSize: [2], padding: { mode: 'manual', split: [[1, 1]] } });
  assert.deepEqual(e.output, [-1, -2]);
  assert.equal(e.steps[0].arithmetic, 'y[0] = max(-1) = -1');
  assert.equal(e.padValue, -Infinity);
  assert.deepEqual(e.padded, [[-Infinity, -1, -2, -3, -Infinity]]);
});

test('average pooling counts padding like PyTorch, or leaves it out like TensorFlow', () => {
  const torch = explain({ op: 'avgpool', dims: 1, input: [[2, 4, 6]], kernelSize: [2], padding: { mode: 'manual', split: [[1, 1]] } });
  assert.deepEqual(torch.output, [1, 5]);
  assert.equal(torch.steps[0].arithmetic, 'y[0] = (0 + 2)/2 = 1');
  const tf = explain({ op: 'avgpool', dims: 1, input: [[2, 4, 6]], kernelSize: [2], padding: { mode: 'same', rule: 'tensorflow' } });
  // o = ⌈3/2⌉ = 2, p = max(2 + 2 − 3, 0) = 1, all on the right; the last window is 6 and padding.
  assert.deepEqual(tf.output, [3, 6]);
  assert.equal(tf.steps[1].arithmetic, 'y[1] = (6)/1 = 6');
});

test('ceil_mode adds the partial last window, unless it would start in the right padding', () => {
  const floor = explain({ op: 'maxpool', dims: 1, input: [[1, 5, 2, 4, 3]], kernelSize: [2] });
  assert.deepEqual(floor.output, [5, 4]);
  const ceil = explain({ op: 'maxpool', dims: 1, input: [[1, 5, 2, 4, 3]], kernelSize: [2], ceilMode: true });
  assert.deepEqual(ceil.output, [5, 4, 3]);
  assert.equal(ceil.formula, 'o = ⌈(5 + 0 + 0 − 2)/2⌉ + 1 = 3');
  // l = 4, k = 2, s = 2, p = 1: ⌈(4 + 2 − 2)/2⌉ + 1 = 3; the third window starts at 4 < l + p = 5: kept.
  const kept = explain({ op: 'maxpool', dims: 1, input: [[1, 2, 3, 4]], kernelSize: [2], padding: { mode: 'manual', split: [[1, 1]] }, ceilMode: true });
  assert.deepEqual(kept.output, [1, 3, 4]);
  // l = 3, k = 2, s = 2, p = 1: ⌈(3 + 2 − 2)/2⌉ + 1 = 3, the third window would start at 4 ≥ l + p = 4: dropped.
  const dropped = explain({ op: 'maxpool', dims: 1, input: [[1, 2, 3]], kernelSize: [2], padding: { mode: 'manual', split: [[1, 1]] }, ceilMode: true });
  assert.deepEqual(dropped.output, [1, 3]);
  assert.equal(dropped.formula, 'o = ⌈(3 + 1 + 1 − 2)/2⌉ + 1 − 1 = 2');
  assert.match(dropped.axes[0].formulas[1].general, /− 1 if the last window would start past the input/);
});
