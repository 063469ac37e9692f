// The backward pass: dW = dY·X̂ᵀ, dX̂ = Wᵀ·dY, then column to image, checked against finite
// differences of the forward pass (exact, since the convolution is linear and values are integers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { explain, explainBackward } from '../../../engine/explain/index';
import type { SlidingRequest } from '../../../engine/explain/types';

test('1D lecture example with dY = 1: dW = [5, 7, 8], dX = [3, 5, 7, 7, 4, 2]', () => {
  const e = explainBackward({ op: 'conv', dims: 1, input: [[1, 0, 2, 2, 3, 1]], kernel: [[[3, 2, 2]]] });
  assert.deepEqual(e.dY, [[1, 1, 1, 1]]);
  assert.deepEqual(e.dW, [[5, 7, 8]]); // Σ of each row of X̂
  assert.deepEqual(e.dXHat, [[3, 3, 3, 3], [2, 2, 2, 2], [2, 2, 2, 2]]);
  assert.deepEqual(e.dX, [[3, 5, 7, 7, 4, 2]]);
  assert.equal(e.sharedCells, 4); // x[1..4] are read by two or three windows
  assert.deepEqual(e.steps[1].adds.map((a) => a.arithmetic), ['dx[1] += dx_hat[0, 1]: 2 + 3 = 5', 'dx[2] += dx_hat[1, 1]: 2 + 2 = 4', 'dx[3] += dx_hat[2, 1]: 0 + 2 = 2']);
  assert.deepEqual(e.steps[1].dxPadded, [[3, 5, 4, 2, 0, 0]]);
  assert.deepEqual(e.steps[3].dxPadded, e.dxPadded);
});

test('gradients that land in the padding are cropped away', () => {
  const e = explainBackward({ op: 'conv', dims: 1, input: [[1, 2]], kernel: [[[1, 1]]], padding: { mode: 'manual', split: [[1, 1]] } });
  assert.deepEqual(e.dxPadded, [[1, 2, 2, 1]]);
  assert.deepEqual(e.dX, [[2, 2]]);
  assert.deepEqual(e.steps[0].adds.map((a) => a.padding), [true, false]);
});

/** Σ dY ⊙ conv(req): the scalar whose gradient the backward pass computes. */
function loss(req: SlidingRequest, dY: number[][][]): number {
  const maps = explain(req).outputMaps as number[][][];
  return maps.reduce((s, m, f) => s + m.flat().reduce((t, v, i) => t + v * dY[f].flat()[i], 0), 0);
}

test('dX and dW equal finite differences of the forward pass (random 2D cases)', () => {
  const small = fc.integer({ min: -3, max: 3 });
  fc.assert(
    fc.property(
      fc.record({ c: fc.integer({ min: 1, max: 2 }), f: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 2, max: 5 }), w: fc.integer({ min: 2, max: 5 }), k: fc.integer({ min: 1, max: 2 }), s: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 2 }), d: fc.integer({ min: 1, max: 2 }), seed: fc.array(small, { minLength: 400, maxLength: 400 }) }),
      ({ c, f, h, w, k, s, p, d, seed }) => {
        if (d * (k - 1) + 1 > Math.min(h, w) + 2 * p) return;
        let n = 0;
        const next = () => seed[n++ % seed.length];
        const input = Array.from({ length: c }, () => Array.from({ length: h }, () => Array.from({ length: w }, next)));
        const kernel = Array.from({ length: f }, () => Array.from({ length: c }, () => Array.from({ length: k }, () => Array.from({ length: k }, next))));
        const req: SlidingRequest = { op: 'conv', dims: 2, input, kernel, stride: [s], dilation: [d], padding: { mode: 'manual', split: [[p, p]] } };
        const shape = explain(req).outputShape;
        const [oh, ow] = shape.slice(-2);
        const dY = Array.from({ length: f }, () => Array.from({ length: oh }, () => Array.from({ length: ow }, next)));
        const b = explainBackward({ ...req, dY });
        const base = loss(req, dY);
        input.forEach((plane, ci) => plane.forEach((row, i) => row.forEach((_, j) => {
          const bumped = structuredClone(input);
          bumped[ci][i][j] += 1;
          assert.equal((b.dX[ci] as number[][])[i][j], loss({ ...req, input: bumped }, dY) - base);
        })));
        kernel.forEach((filter, fi) => filter.forEach((plane, ci) => plane.forEach((row, a) => row.forEach((_, bb) => {
          const bumped = structuredClone(kernel);
          bumped[fi][ci][a][bb] += 1;
          assert.equal((b.dKernel[fi][ci] as number[][])[a][bb], loss({ ...req, kernel: bumped }, dY) - base);
        }))));
      },
    ),
    { numRuns: 60, seed: 7 },
  );
});
