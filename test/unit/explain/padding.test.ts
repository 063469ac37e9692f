// Padding rules: PyTorch's and TensorFlow's same, full, manual splits and how they read; dilation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explain } from '../../../engine/explain/index';
import type { PaddingSpec } from '../../../engine/explain/types';

const x = [1, 0, 2, 2, 3, 1];
const run = (input: number[], kernel: number[], padding: PaddingSpec, stride = 1, dilation = 1) =>
  explain({ op: 'conv', dims: 1, input: [input], kernel: [[kernel]], padding, stride: [stride], dilation: [dilation] });

// TensorFlow same: o = ⌈l/s⌉, p = max(s(o−1) + k − l, 0) (the lecture's form, d = 1), left ⌊p/2⌋.
const tfCases: Array<{ l: number; k: number; s: number; o: number; split: [number, number] }> = [
  { l: 6, k: 3, s: 1, o: 6, split: [1, 1] }, // p = 5 + 3 − 6 = 2
  { l: 6, k: 3, s: 2, o: 3, split: [0, 1] }, // p = 4 + 3 − 6 = 1: the odd pixel right
  { l: 5, k: 3, s: 2, o: 3, split: [1, 1] }, // p = 4 + 3 − 5 = 2
  { l: 7, k: 4, s: 3, o: 3, split: [1, 2] }, // p = 6 + 4 − 7 = 3
  { l: 6, k: 1, s: 2, o: 3, split: [0, 0] }, // p = max(4 + 1 − 6, 0) = 0
  { l: 4, k: 2, s: 4, o: 1, split: [0, 0] }, // p = max(0 + 2 − 4, 0) = 0
];

test('TensorFlow same padding: p = max(s(o−1) + k − l, 0), the odd pixel right', () => {
  for (const c of tfCases) {
    const e = run(Array(c.l).fill(1), Array(c.k).fill(1), { mode: 'same', rule: 'tensorflow' }, c.s);
    assert.deepEqual(e.outputShape, [c.o], JSON.stringify(c));
    assert.deepEqual(e.padding.split, [c.split], JSON.stringify(c));
    const tf = e.axes[0].formulas.find((f) => f.label.startsWith('p_'));
    assert.ok(tf?.substituted.endsWith(`= ${c.split[0] + c.split[1]} → ${c.split[0]} left, ${c.split[1]} right`), tf?.substituted);
  }
});

test('TensorFlow same at stride 2 on the lecture\'s x is the lecture\'s exact tiling: [7, 16, 11]', () => {
  const e = run(x, [3, 2, 2], { mode: 'same', rule: 'tensorflow' }, 2);
  assert.deepEqual(e.output, [7, 16, 11]);
  assert.deepEqual(e.axes[0].formulas.map((f) => f.substituted).slice(2), [
    '⌈6/2⌉ = 3',
    'max((3−1)·2 + 1·(3−1) + 1 − 6, 0) = 1 → 0 left, 1 right',
  ]);
});

test('PyTorch same: total d(k−1), left total//2; an even kernel puts the odd pixel right', () => {
  const even = run([1, 2, 3, 4], [1, 1], { mode: 'same', rule: 'pytorch' });
  assert.deepEqual(even.padding.split, [[0, 1]]);
  assert.deepEqual(even.output, [3, 5, 7, 4]);
  const dilated = run(x, [1, 0, 1], { mode: 'same', rule: 'pytorch' }, 1, 2);
  assert.deepEqual(dilated.padding.split, [[2, 2]]);
  assert.deepEqual(dilated.output, [2, 2, 4, 1, 2, 2]); // x[t−2] + x[t+2] with zeros outside
  assert.equal(dilated.axes[0].paddingText, 'same (PyTorch): total d(k−1) = 2·(3−1) = 4, 2 left, 2 right');
});

test('PyTorch same with stride > 1 is computed but flagged: PyTorch refuses it', () => {
  const e = run(x, [3, 2, 2], { mode: 'same', rule: 'pytorch' }, 2);
  assert.match(e.notes.join('\n'), /PyTorch refuses padding='same' with stride > 1/);
});

test('full: d(k−1) on each side, o = l + k − 1', () => {
  const e = run(x, [3, 2, 2], { mode: 'full' });
  assert.deepEqual(e.padding.split, [[2, 2]]);
  assert.deepEqual(e.output, [2, 2, 7, 8, 16, 14, 11, 3]);
  assert.equal(e.formula, 'o = ⌊(6 + 2 + 2 − 3)/1⌋ + 1 = 8');
});

test('manual splits are read as what they amount to', () => {
  assert.equal(run(x, [3, 2, 2], { mode: 'manual', split: [[1, 1]] }).padding.kind, 'same');
  assert.equal(run(x, [3, 2, 2], { mode: 'manual', split: [[2, 2]] }).padding.kind, 'full');
  assert.equal(run(x, [3, 2, 2], { mode: 'manual', split: [[0, 0]] }).padding.kind, 'valid');
  assert.equal(run(x, [3, 2, 2], { mode: 'manual', split: [[0, 1]] }).padding.kind, 'manual');
  assert.equal(run(x, [3, 2, 2], { mode: 'manual', split: [[1, 1]] }, 2).padding.kind, 'manual');
  const e = run(x, [3, 2, 2], { mode: 'manual', split: [[1, 1]] });
  assert.equal(e.axes[0].paddingText, 'manual: 1 left, 1 right (reads as same)');
  assert.equal(e.axes[0].formulas[1].substituted, '⌊(6 + 2·1 − 1·(3−1) − 1)/1⌋ + 1 = 6');
});

test('2D manual padding T,B,L,R pads each side as given', () => {
  const e = explain({ op: 'conv', dims: 2, input: [[[1, 2], [3, 4]]], kernel: [[[[1]]]], padding: { mode: 'manual', split: [[1, 0], [0, 2]] } });
  assert.deepEqual(e.output, [[0, 0, 0, 0], [1, 2, 0, 0], [3, 4, 0, 0]]);
  assert.deepEqual(e.padding, { kind: 'manual', split: [[1, 0], [0, 2]] });
  assert.deepEqual(e.axes.map((a) => a.paddingText), ['manual: 1 top, 0 bottom', 'manual: 0 left, 2 right']);
});

test('dilation spreads the window: d(k−1) + 1 in the formula', () => {
  const e = run(x, [1, 1, 1], { mode: 'valid' }, 1, 2);
  assert.deepEqual(e.output, [1 + 2 + 3, 0 + 2 + 1]);
  assert.deepEqual(e.steps[1].field.map((c) => c.at), [[1], [3], [5]]);
  assert.equal(e.formula, 'o = ⌊(6 + 0 + 0 − (2·(3−1) + 1))/1⌋ + 1 = 2');
  assert.equal(e.axes[0].effectiveKernel, 5);
});

test('a stride wider than the window skips cells inside the input', () => {
  const e = run(x, [1], { mode: 'valid' }, 2);
  assert.deepEqual(e.output, [1, 2, 3]);
  assert.deepEqual(e.axes[0].tiling, { exact: false, neverRead: [1, 3, 5], neverReadInput: [1, 3, 5] });
});

test('bad input gets a clear message', () => {
  assert.throws(() => run([1, 2], [1, 2, 3], { mode: 'valid' }), /window \(3\) is larger than the padded input \(2 \+ 0 = 2\)/);
  assert.throws(() => run(x, [1], { mode: 'valid' }, 0), /stride must be a whole number ≥ 1/);
  assert.throws(() => run(x, [1], { mode: 'manual', split: [[-1, 0]] }), /padding must be whole numbers ≥ 0/);
  assert.throws(() => run([1, NaN], [1], { mode: 'valid' }), /not a finite number/);
  assert.throws(() => explain({ op: 'conv', dims: 2, input: [[[1, 2], [3]]], kernel: [[[[1]]]] }), /row 1 has 1 values, row 0 has 2/);
  assert.throws(() => explain({ op: 'conv', dims: 1, input: [[1, 2], [3, 4]], kernel: [[[1]]] }), /filter 0 has 1 channels, the input has 2/);
  assert.throws(() => explain({ op: 'conv', dims: 1, input: [Array(2000).fill(1)], kernel: [[Array(1000).fill(1)]] }), /too large to explain/);
});
