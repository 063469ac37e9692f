// Shared helpers of the training-engine tests: fixture tensors and relative comparison.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeWorkerHost } from '../../../engine/cli/node-host';
import type { GraphNode } from '../../../engine/report/types';
import { kernelThreads, selectKernels } from '../../../engine/train/kernels/select';
import { setWorkerHost } from '../../../engine/train/kernels/worker-host';
import { permuteMap } from '../../../engine/train/layers/gather';
import { tensor, type Tensor } from '../../../engine/train/tensor/tensor';

export interface FixtureTensor {
  shape: number[];
  data: number[];
}

export const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as T;

export const fromFixture = (t: FixtureTensor): Tensor => tensor(t.shape, Float32Array.from(t.data));

/** Every value within `rel` of the expected one, relative to the largest expected magnitude (floor 1). */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= rel * Math.max(Math.abs(expected[i]), 1e-2 * scale, 1e-6))) {
      assert.fail(`${what}[${i}]: got ${actual[i]}, PyTorch ${expected[i]} (|diff| ${err.toExponential(2)})`);
    }
  }
}

/** float32's unit roundoff: half the distance from 1 to the next float32. */
export const UNIT_ROUNDOFF = 2 ** -24;

/**
 * A convolution's result against its float64 reference under the float32 dot product's forward error bound:
 * every |actual − exact| ≤ c·u·bound, where bound is Σ|x_i|·|w_i| of that element (fixtures/make_conv_reference.py).
 * Returns the largest |actual − exact| / (u·bound), the c this result needs.
 */
export function assertWithinBound(actual: ArrayLike<number>, exact: ArrayLike<number>, bound: ArrayLike<number>, c: number,
  what: string): number {
  assert.equal(actual.length, exact.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < exact.length; i++) {
    const err = Math.abs(actual[i] - exact[i]), limit = UNIT_ROUNDOFF * bound[i];
    if (!(err <= c * limit)) {
      assert.fail(`${what}[${i}]: got ${actual[i]}, float64 ${exact[i]} (|diff| ${err.toExponential(2)} > ${c}·u·Σ|x||w| = ${(c * limit).toExponential(2)})`);
    }
    if (err > 0) worst = Math.max(worst, err / limit);
  }
  return worst;
}

export const inputNode = (shape: GraphNode['outputShape']): GraphNode => ({ id: 0, kind: 'input', type: 'input', config: {}, inputs: [], outputShape: shape, line: 1 });

/** An IDX file: magic (0, 0, type, rank), big-endian sizes, then the byte values. */
export const idxBytes = (type: number, dims: number[], values: number[]): Uint8Array => {
  const b = new Uint8Array(4 + 4 * dims.length + values.length);
  b.set([0, 0, type, dims.length]);
  dims.forEach((d, i) => new DataView(b.buffer).setUint32(4 + 4 * i, d));
  b.set(values, 4 + 4 * dims.length);
  return b;
};

/** Every kernel path the exactness tests run: the TypeScript reference, WebAssembly on one thread and on two. */
export const KERNEL_PATHS = [
  { name: 'ts', kernels: 'ts', threads: 1 },
  { name: 'wasm', kernels: 'wasm', threads: 1 },
  { name: 'wasm, 2 threads', kernels: 'wasm', threads: 2 },
] as const;
export type KernelPath = (typeof KERNEL_PATHS)[number];

/** Selects a kernel path; two threads must really run on two (worker_threads from the CLI's host). */
export async function useKernels(p: KernelPath): Promise<void> {
  setWorkerHost(nodeWorkerHost);
  await selectKernels(p.kernels, p.threads);
  assert.equal(kernelThreads(), p.threads, `${p.name}: threads`);
}

/** A tensor between Keras's channels-last layout and the engine's channels-second one (`channelsSecond`: to the engine). */
export function relayout(shape: number[], data: Float32Array, channelsSecond: boolean): Tensor {
  const r = shape.length;
  if (r < 3) return { shape, data };
  const perm = channelsSecond ? [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)] : [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
  const { shape: out, index } = permuteMap(perm)(shape);
  return { shape: out, data: Float32Array.from(index, (i) => data[i]) };
}
