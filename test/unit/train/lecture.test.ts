// The lecture's worked convolution examples (reference/lecture5-cnn.md) as forward tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphNode } from '../../../engine/report/types';
import { buildNetwork } from '../../../engine/train/graph/build';
import { Rng } from '../../../engine/train/tensor/rng';
import { tensor } from '../../../engine/train/tensor/tensor';
import { inputNode } from './helpers';

function conv(dims: 1 | 2, weights: number[], kernel: number[], x: number[], xShape: number[], padding: number[], stride: number[]): number[] {
  const graph: GraphNode[] = [inputNode(null), {
    id: 1, kind: 'module', type: `Conv${dims}d`, path: 'c', inputs: [0], outputShape: null, line: 2,
    config: { in_channels: 1, out_channels: 1, kernel_size: kernel, stride, padding, dilation: kernel.map(() => 1), groups: 1, bias: false },
  }];
  const net = buildNetwork({ graph, parameters: [] });
  net.params[0].value.set(weights);
  return Array.from(net.forward(tensor(xShape, Float32Array.from(x)), { training: false, rng: new Rng(0) }).data);
}

const w1 = [3, 2, 2], x1 = [1, 0, 2, 2, 3, 1];

test('1-D valid convolution: 3×1 + 2×0 + 2×2 = 7, then 8, 16, 14', () => {
  assert.deepEqual(conv(1, w1, [3], x1, [1, 1, 6], [0], [1]), [7, 8, 16, 14]);
});

test('1-D convolution with padding 1 on each side adds 3×0 + 2×1 + 2×0 = 2 and 3×3 + 2×1 + 2×0 = 11', () => {
  // The lecture's "same" example: o = l with p = k − 1 = 2 split evenly.
  assert.deepEqual(conv(1, w1, [3], x1, [1, 1, 6], [1], [1]), [2, 7, 8, 16, 14, 11]);
});

test('1-D convolution with stride 2 (exact matching, o = ⌊(6+1−3)/2⌋+1 = 3)', () => {
  // The lecture pads one zero on the right; PyTorch pads both sides, so pad the input by hand.
  assert.deepEqual(conv(1, w1, [3], [...x1, 0], [1, 1, 7], [0], [2]), [7, 16, 11]);
});

test('2-D convolution of the 4×4 image with the [[-1, 1], [-1, 1]] kernel', () => {
  const img = [1, 2, 3, 2, 2, 3, 2, 5, 1, 2, 2, 1, 0, 2, 1, 2];
  assert.deepEqual(conv(2, [-1, 1, -1, 1], [2, 2], img, [1, 1, 4, 4], [0, 0], [1, 1]), [2, 0, 2, 2, -1, 2, 3, -1, 0]);
});
