// ConvTranspose's forward(x, output_size=...): sizes and errors as torch 1.13 printed them (not in goldens.json,
// whose cases are constructor arguments only).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TORCH_LAYERS } from '../../../engine/frameworks/pytorch/layers/index';
import type { Shape } from '../../../engine/shapes/dim';
import { bind } from './bind';

const up = (outputSize: unknown, x: Shape) => {
  const spec = TORCH_LAYERS.ConvTranspose2d;
  const r = spec.apply({ ...bind(spec, { in_channels: 3, out_channels: 2, kernel_size: 3, stride: 2, padding: 1 }), output_size: outputSize }, [x]);
  return { output: r.output, errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message) };
};

test('ConvTranspose2d output_size: the spatial sizes or the whole shape, batched or not', () => {
  assert.deepEqual(up(null, [1, 3, 5, 5]).output, [1, 2, 9, 9]);
  assert.deepEqual(up([10, 10], [1, 3, 5, 5]).output, [1, 2, 10, 10]);
  assert.deepEqual(up([1, 2, 10, 9], [1, 3, 5, 5]).output, [1, 2, 10, 9]);
  assert.deepEqual(up([2, 9, 10], [3, 5, 5]).output, [2, 9, 10]);
});

test('ConvTranspose2d output_size: PyTorch\'s ValueErrors', () => {
  assert.deepEqual(up([11, 10], [1, 3, 5, 5]).errors,
    ['ConvTranspose2d: requested an output size of [11, 10], but valid sizes range from [9, 9] to [10, 10] (for an input of (5, 5))']);
  assert.deepEqual(up([10], [1, 3, 5, 5]).errors, ['ConvTranspose2d: for 4D input, output_size must have 2 or 4 elements (got 1)']);
});
