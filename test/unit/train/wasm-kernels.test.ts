// The WebAssembly SIMD kernels against the TypeScript ones, their reference: the three matrix-multiply
// layouts on random sizes (most not multiples of the vector width or of the 4×8 tiles), strides and
// offsets; convolution (img2col, the products, col2im) and max pooling through the layers, on random
// settings. Single-precision sums in a different order differ by rounding only, so products are
// compared within 1e-5 of Σ|a·b|, and layer results within 1e-5 of the largest magnitude of the
// tensor (a sum that cancels to nearly zero carries the rounding of its large terms).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, test } from 'node:test';
import fc from 'fast-check';
import type { GraphNode } from '../../../engine/report/types';
import { syntheticSplits } from '../../../engine/train/data/synthetic';
import { buildNetwork } from '../../../engine/train/graph/build';
import * as ts from '../../../engine/train/kernels/matmul';
import { nodeWorkerHost } from '../../../engine/cli/node-host';
import { kernelThreads, selectKernels, wasmKernels } from '../../../engine/train/kernels/select';
import { setWorkerHost } from '../../../engine/train/kernels/worker-host';
import { loadWasmKernels, type Layout, type WasmKernels } from '../../../engine/train/kernels/wasm/wasm-kernels';
import { train } from '../../../engine/train/loop/train';
import { Rng } from '../../../engine/train/tensor/rng';
import { tensor } from '../../../engine/train/tensor/tensor';
import { inputNode } from './helpers';

let wasm: WasmKernels;
before(async () => {
  const k = await loadWasmKernels();
  assert.ok(k, 'Node 20 runs WebAssembly SIMD, so the kernels must load');
  wasm = k;
});

test('the committed WebAssembly module is the build of kernels.as', () => {
  // Throws (exit code 1) when the source changed without `node scripts/build-wasm.mjs`.
  execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' });
});

const reference: Record<Layout, typeof ts.matmulNN> = { NN: ts.matmulNN, NT: ts.matmulNT, TN: ts.matmulTN };
const randomArray = (n: number, rng: Rng): Float32Array => Float32Array.from({ length: n }, () => rng.normal());

test('WebAssembly matrix multiply equals the TypeScript one in all three layouts', () => {
  fc.assert(fc.property(
    fc.record({
      layout: fc.constantFrom<Layout>('NN', 'NT', 'TN'),
      M: fc.integer({ min: 1, max: 37 }), N: fc.integer({ min: 1, max: 37 }), K: fc.integer({ min: 0, max: 300 }),
      pad: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 3, maxLength: 3 }),
      off: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 3, maxLength: 3 }),
      accumulate: fc.boolean(), seed: fc.nat(),
    }),
    ({ layout, M, N, K, pad, off, accumulate, seed }) => {
      const rng = new Rng(seed);
      const [ar, ac] = layout === 'TN' ? [K, M] : [M, K], [br, bc] = layout === 'NT' ? [N, K] : [K, N];
      const lda = ac + pad[0], ldb = bc + pad[1], ldc = N + pad[2];
      const A = randomArray(off[0] + ar * lda, rng), B = randomArray(off[1] + br * ldb, rng), C0 = randomArray(off[2] + M * ldc, rng);
      const want = C0.slice(), got = C0.slice();
      reference[layout](M, N, K, ts.mat(A, off[0], lda), ts.mat(B, off[1], ldb), ts.mat(want, off[2], ldc), accumulate);
      wasm.matmul(layout, M, N, K, ts.mat(A, off[0], lda), ts.mat(B, off[1], ldb), ts.mat(got, off[2], ldc), accumulate);
      const a = (i: number, k: number) => (layout === 'TN' ? A[off[0] + k * lda + i] : A[off[0] + i * lda + k]);
      const b = (k: number, j: number) => (layout === 'NT' ? B[off[1] + j * ldb + k] : B[off[1] + k * ldb + j]);
      for (let t = 0; t < got.length; t++) {
        const i = Math.floor((t - off[2]) / ldc), j = (t - off[2]) % ldc;
        if (t < off[2] || j >= N) { assert.equal(got[t], C0[t], `C[${t}] lies outside the product and must stay untouched`); continue; }
        let scale = accumulate ? Math.abs(C0[t]) : 0;
        for (let k = 0; k < K; k++) scale += Math.abs(a(i, k) * b(k, j));
        assert.ok(Math.abs(got[t] - want[t]) <= 1e-5 * Math.max(scale, 1e-3), `${layout} ${M}×${N}×${K} C[${i}][${j}]: WebAssembly ${got[t]}, TypeScript ${want[t]}`);
      }
    }), { numRuns: 300 });
});

function assertNear(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  const tol = 1e-5 * want.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol, `${what}[${i}]: WebAssembly ${v}, TypeScript ${want[i]}`));
}

const mod = (type: string, config: Record<string, unknown>): GraphNode => ({ id: 1, kind: 'module', type, path: 'm', config, inputs: [0], outputShape: null, line: 2 });

/**
 * Forward output, input gradient (empty when `inputGrad` is false: the layer is then told it need not
 * make one) and parameter gradients of a one-layer network with the kernels selected now.
 */
function runOnce(graph: GraphNode[], inShape: number[], seed: number, inputGrad = true): Float32Array[] {
  const rng = new Rng(seed), net = buildNetwork({ graph, parameters: [] });
  for (const n of net.nodes) n.needsGrad = inputGrad || n.layer !== null;
  for (const p of net.params) p.value.set(randomArray(p.value.length, rng));
  const x = tensor(inShape, randomArray(inShape.reduce((a, b) => a * b, 1), rng));
  const y = net.forward(x, { training: true, rng });
  net.zeroGrad();
  const dx = net.backwardInputs(tensor(y.shape, randomArray(y.data.length, rng)))[0];
  return [y.data.slice(), dx?.data.slice() ?? new Float32Array(0), ...net.params.map((p) => p.grad.slice())];
}

/** runOnce under both kernel sets, as (what, WebAssembly, TypeScript). */
async function bothKernels(graph: GraphNode[], inShape: number[], seed: number, inputGrad = true): Promise<Array<[string, Float32Array, Float32Array]>> {
  const runs: Float32Array[][] = [];
  for (const kernels of ['ts', 'wasm'] as const) {
    await selectKernels(kernels);
    runs.push(runOnce(graph, inShape, seed, inputGrad));
  }
  const names = ['output', 'input gradient', ...Array.from({ length: runs[0].length - 2 }, (_, i) => `parameter ${i} gradient`)];
  return names.map((n, i) => [n, runs[1][i], runs[0][i]]);
}

test('WebAssembly convolution (img2col, products, col2im) equals the TypeScript one', async () => {
  await fc.assert(fc.asyncProperty(
    fc.record({
      cin: fc.integer({ min: 1, max: 3 }), cout: fc.integer({ min: 1, max: 3 }), g: fc.constantFrom(1, 2),
      k: fc.integer({ min: 1, max: 5 }), s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 0, max: 2 }), d: fc.integer({ min: 1, max: 2 }),
      h: fc.integer({ min: 5, max: 13 }), w: fc.integer({ min: 5, max: 13 }), n: fc.integer({ min: 1, max: 3 }), seed: fc.nat(),
    }),
    async ({ cin, cout, g, k, s, p, d, h, w, n, seed }) => {
      if (d * (k - 1) + 1 > Math.min(h, w) + 2 * p) return;
      const cfg = { in_channels: cin * g, out_channels: cout * g, kernel_size: [k, k], stride: [s, s], padding: [p, p], dilation: [d, d], groups: g, bias: true };
      for (const [what, got, want] of await bothKernels([inputNode(['N', cin * g, h, w]), mod('Conv2d', cfg)], [n, cin * g, h, w], seed)) {
        assertNear(got, want, `Conv2d ${JSON.stringify(cfg)} on ${h}×${w}: ${what}`);
      }
    }), { numRuns: 60 });
});

test('the relaxed-SIMD build (fused multiply-add) and the plain one both load and both match the TypeScript kernels', async () => {
  // node-host.ts turns Node 20's relaxed-SIMD flag on, so both builds validate here; the plain one is
  // what a runtime without relaxed SIMD gets.
  // 6 → 5 channels run the direct kernel, 16 → 17 Winograd.
  for (const [c, cout] of [[6, 5], [16, 17]]) {
    const graph = [inputNode(['N', c, 9, 9]), mod('Conv2d', conv3x3(c, cout, 1))], shape = [3, c, 9, 9];
    await selectKernels('ts');
    const want = runOnce(graph, shape, 5);
    for (const fused of [true, false]) {
      await selectKernels('wasm', 1, fused);
      assert.equal(wasmKernels()?.fused, fused);
      runOnce(graph, shape, 5).forEach((got, i) => assertNear(got, want[i], `${c} channels, fused ${fused}: result ${i}`));
    }
  }
});

/** Output, input gradient and parameter gradients of a one-layer network with the WebAssembly kernels on `threads` threads. */
async function onThreads(graph: GraphNode[], inShape: number[], seed: number, threads: number, inputGrad = true): Promise<Float32Array[]> {
  setWorkerHost(nodeWorkerHost);
  await selectKernels('wasm', threads);
  assert.equal(kernelThreads(), threads);
  return runOnce(graph, inShape, seed, inputGrad);
}

test('convolution split across 2 and 3 threads gives the one-thread results bit for bit', async () => {
  await fc.assert(fc.asyncProperty(
    fc.record({
      cin: fc.integer({ min: 1, max: 6 }), cout: fc.integer({ min: 1, max: 13 }), g: fc.constantFrom(1, 1, 2, 3),
      k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 1 }),
      h: fc.integer({ min: 3, max: 11 }), n: fc.integer({ min: 1, max: 5 }), seed: fc.nat(),
    }),
    async ({ cin, cout, g, k, s, p, h, n, seed }) => {
      if (k > h + 2 * p) return;
      const cfg = { in_channels: cin * g, out_channels: cout * g, kernel_size: [k, k], stride: [s, s], padding: [p, p], dilation: [1, 1], groups: g, bias: true };
      const graph = [inputNode(['N', cin * g, h, h]), mod('Conv2d', cfg)], shape = [n, cin * g, h, h];
      const one = await onThreads(graph, shape, seed, 1);
      for (const threads of [2, 3]) {
        const many = await onThreads(graph, shape, seed, threads);
        one.forEach((t, i) => assert.deepEqual(many[i], t, `Conv2d ${JSON.stringify(cfg)} on ${n}×${h}×${h}, ${threads} threads: result ${i}`));
      }
    }), { numRuns: 60 });
});

test('a stride-1 backward in slices of the batch gives the same bits on 1, 2 and 3 threads and matches the TypeScript kernels', async () => {
  // 32 channels of 24×24 padded to 26×26: one sample per chunk, so 11 samples make 8 slices of 1 or 2
  // chunks, which 2 and 3 threads share unevenly; with and without the input gradient (a first layer).
  for (const [seed, inputGrad] of [[1, true], [2, false]] as const) {
    const cfg = { in_channels: 32, out_channels: 8, kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, bias: true };
    const graph = [inputNode(['N', 32, 24, 24]), mod('Conv2d', cfg)], shape = [11, 32, 24, 24];
    const one = await onThreads(graph, shape, seed, 1, inputGrad);
    assert.equal(one[1].length, inputGrad ? 11 * 32 * 24 * 24 : 0);
    for (const threads of [2, 3]) {
      const many = await onThreads(graph, shape, seed, threads, inputGrad);
      one.forEach((t, i) => assert.deepEqual(many[i], t, `seed ${seed}, ${threads} threads: result ${i}`));
    }
    for (const [what, got, want] of await bothKernels(graph, shape, seed, inputGrad)) assertNear(got, want, `Conv2d 32→8 on 11×24×24: ${what}`);
  }
});

test('the stride-1 backward of small samples in even slices (a 1-D first layer: 8 of 4 samples, not 31 and 1; 9 samples '
  + 'in 5 chunks, no empty slice) gives the same bits on 1, 2 and 3 threads and matches the TypeScript kernels', async () => {
  for (const [n, cin, inputGrad] of [[32, 1, false], [9, 1, false], [20, 8, true]] as const) {
    const cfg = { in_channels: cin, out_channels: 32, kernel_size: [9], stride: [1], padding: [4], dilation: [1], groups: 1, bias: true };
    const graph = [inputNode(['N', cin, 1024]), mod('Conv1d', cfg)], shape = [n, cin, 1024], what = `Conv1d ${cin}→32 on ${shape}`;
    const one = await onThreads(graph, shape, 5, 1, inputGrad);
    for (const threads of [2, 3]) {
      const many = await onThreads(graph, shape, 5, threads, inputGrad);
      one.forEach((t, i) => assert.deepEqual(many[i], t, `${what}, ${threads} threads: result ${i}`));
    }
    for (const [name, got, want] of await bothKernels(graph, shape, 5, inputGrad)) assertNear(got, want, `${what}: ${name}`);
  }
});

test('a grouped stride-1 backward shared by groups (more groups than slices) gives the same bits on 1, 2 and 3 threads '
  + 'and matches the TypeScript kernels', async () => {
  // Depthwise 3×3 with the padding within the kernel's reach (dx as the adjoint convolution) and beyond it
  // (dx scattered onto the padded gradient, then cropped), 4 groups of 2 → 3 channels dilated, and a first
  // layer (no input gradient): each batch fits one slice, so the groups are what the threads share.
  const conv = (cin: number, cout: number, groups: number, p: number, d: number) =>
    ({ in_channels: cin, out_channels: cout, kernel_size: [3, 3], stride: [1, 1], padding: [p, p], dilation: [d, d], groups, bias: true });
  const cases = [[conv(48, 48, 48, 1, 1), [6, 48, 16, 16], true], [conv(40, 40, 40, 3, 1), [5, 40, 9, 11], true],
    [conv(8, 12, 4, 2, 2), [3, 8, 30, 30], true], [conv(48, 48, 48, 1, 1), [4, 48, 16, 16], false]] as const;
  for (const [cfg, shape, inputGrad] of cases) {
    const graph = [inputNode(['N', ...shape.slice(1)]), mod('Conv2d', cfg)], what = `${JSON.stringify(cfg)} on ${shape}`;
    const one = await onThreads(graph, [...shape], 4, 1, inputGrad);
    for (const threads of [2, 3]) {
      const many = await onThreads(graph, [...shape], 4, threads, inputGrad);
      one.forEach((t, i) => assert.deepEqual(many[i], t, `${what}, ${threads} threads: result ${i}`));
    }
    for (const [name, got, want] of await bothKernels(graph, [...shape], 4, inputGrad)) assertNear(got, want, `${what}: ${name}`);
  }
});

test('the channels-last weight gradient (stride 1, one group, channels in multiples of 8) matches the TypeScript kernels '
  + 'and gives the same bits on 2 threads', async () => {
  // Output channels not a multiple of the 4-row tile, widths not a multiple of 4, dilation, padding
  // beyond the kernel's reach (the scatter input gradient), 1-D convolutions, and a first layer.
  await fc.assert(fc.asyncProperty(
    fc.record({
      cin: fc.constantFrom(8, 16, 24), cout: fc.integer({ min: 1, max: 11 }), k: fc.integer({ min: 1, max: 3 }),
      p: fc.integer({ min: 0, max: 3 }), d: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 9 }),
      w: fc.integer({ min: 3, max: 11 }), n: fc.integer({ min: 1, max: 4 }),
      oneD: fc.boolean(), inputGrad: fc.boolean(), seed: fc.nat(),
    }),
    async ({ cin, cout, k, p, d, h, w, n, oneD, inputGrad, seed }) => {
      const hh = oneD ? 1 : h, reach = d * (k - 1) + 1;
      if (reach > w + 2 * p || (!oneD && reach > hh + 2 * p) || (k === 1 && p === 0)) return;
      const [type, ks, ps, ds] = oneD ? ['Conv1d', [k], [p], [d]] : ['Conv2d', [k, k], [p, p], [d, d]];
      const cfg = {
        in_channels: cin, out_channels: cout, kernel_size: ks, stride: ks.map(() => 1), padding: ps, dilation: ds, groups: 1, bias: true,
      };
      const inShape = oneD ? ['N', cin, w] : ['N', cin, hh, w], shape = oneD ? [n, cin, w] : [n, cin, hh, w];
      const graph = [inputNode(inShape), mod(type, cfg)];
      for (const [what, got, want] of await bothKernels(graph, shape, seed, inputGrad)) assertNear(got, want, `${type} ${JSON.stringify(cfg)} on ${shape}: ${what}`);
      const one = await onThreads(graph, shape, seed, 1, inputGrad), two = await onThreads(graph, shape, seed, 2, inputGrad);
      one.forEach((t, i) => assert.deepEqual(two[i], t, `${type} ${JSON.stringify(cfg)} on ${shape}, 2 threads: result ${i}`));
    }), { numRuns: 40 });
});

/**
 * runOnce with the WebAssembly kernels on one thread, Winograd allowed or not, its forward and input gradient
 * through F(4×4, 3×3) (`four`) or F(2×2, 3×3).
 */
async function withWinograd(on: boolean, graph: GraphNode[], inShape: number[], seed: number,
  inputGrad = true, four = true): Promise<Float32Array[]> {
  await selectKernels('wasm');
  const k = wasmKernels()!;
  k.winograd = on;
  k.winograd4 = four;
  try {
    return runOnce(graph, inShape, seed, inputGrad);
  } finally {
    k.winograd = true;
    k.winograd4 = true;
  }
}

const conv3x3 = (cin: number, cout: number, p: number): Record<string, unknown> =>
  ({ in_channels: cin, out_channels: cout, kernel_size: [3, 3], stride: [1, 1], padding: [p, p], dilation: [1, 1], groups: 1,
    bias: true });

test('Winograd F(4×4, 3×3) and F(2×2, 3×3) (forward, input and weight gradient) match the TypeScript kernels and the '
  + 'direct one: odd sizes, images smaller than a tile, padding 0 to 3, several chunks of tiles', async () => {
  // Channels from 16 (where Winograd starts) up, not multiples of the 4×8 product tiles (nor, for the
  // weight gradient's channels-last input, of 4); padding 3 puts the backward back on the direct kernel
  // (the adjoint would need a negative padding).
  await fc.assert(fc.asyncProperty(
    fc.record({
      cin: fc.integer({ min: 16, max: 21 }), cout: fc.integer({ min: 16, max: 21 }), p: fc.integer({ min: 0, max: 3 }),
      h: fc.integer({ min: 1, max: 17 }), w: fc.integer({ min: 1, max: 17 }), n: fc.integer({ min: 1, max: 4 }),
      inputGrad: fc.boolean(), seed: fc.nat(),
    }),
    async ({ cin, cout, p, h, w, n, inputGrad, seed }) => {
      if (h + 2 * p < 3 || w + 2 * p < 3) return;
      const graph = [inputNode(['N', cin, h, w]), mod('Conv2d', conv3x3(cin, cout, p))], shape = [n, cin, h, w];
      const what = `${cin}→${cout} p${p} on ${shape}`;
      for (const [name, got, want] of await bothKernels(graph, shape, seed, inputGrad)) assertNear(got, want, `${what}: ${name}`);
      const direct = await withWinograd(false, graph, shape, seed, inputGrad);
      for (const four of [true, false]) {
        const wino = await withWinograd(true, graph, shape, seed, inputGrad, four);
        wino.forEach((t, i) => assertNear(t, direct[i], `${what}: result ${i} of F(${four ? 4 : 2}) against the direct kernel`));
      }
    }), { numRuns: 60 });
});

test('Winograd runs where it fits (its rounding is not the direct kernel\'s) and not below 16 channels', async () => {
  // Per case: whether output and input gradient, and whether the weight gradient (input channels in
  // multiples of 4, for its channels-last input), come from Winograd.
  const cases = [[16, 16, true, true], [17, 16, true, false], [16, 15, false, false], [15, 16, false, false]] as const;
  for (const [cin, cout, runs, weights] of cases) {
    const graph = [inputNode(['N', cin, 9, 9]), mod('Conv2d', conv3x3(cin, cout, 1))], shape = [2, cin, 9, 9];
    const direct = await withWinograd(false, graph, shape, 4), wino = await withWinograd(true, graph, shape, 4);
    const wino2 = await withWinograd(true, graph, shape, 4, true, false);
    const differs = (a: Float32Array[], i: number) => a[i].some((v, j) => v !== direct[i][j]);
    for (const i of [0, 1]) assert.equal(differs(wino, i), runs, `${cin}→${cout}: result ${i}`);
    assert.equal(differs(wino, 2), weights, `${cin}→${cout}: weight gradient`);
    // F(4×4, 3×3) in the forward and input gradient only: its rounding differs from F(2×2, 3×3)'s, the weight gradient's not.
    for (const i of [0, 1]) assert.equal(wino[i].some((v, j) => v !== wino2[i][j]), runs, `${cin}→${cout}: result ${i} of F(4) against F(2)`);
    assert.deepEqual(wino[2], wino2[2], `${cin}→${cout}: weight gradient of F(4) against F(2)`);
  }
});

test('Winograd split across 2 and 3 threads gives the one-thread results bit for bit', async () => {
  // F(4×4, 3×3) forward and input gradient: 3 × 8 × 8 tiles of 30×30 (4 chunks of 56), 5 × 4 × 4 of 13×13 (odd:
  // cut tiles); 64 → 48 channels on 8×8 (CIFAR's last stage): 24 tiles in 2 chunks of 16. The F(2×2, 3×3) weight
  // gradient: 675 tiles of 30×30, 96 of 8×8 in 3 slices. Padding 0 and 2 (the input gradient pads dy by 2 − p).
  for (const [cin, cout, h, n, seed, p] of [[16, 16, 30, 3, 1, 1], [24, 16, 13, 5, 2, 1], [64, 48, 8, 6, 3, 1], [16, 20, 15, 4, 5, 0],
    [20, 16, 17, 3, 6, 2]]) {
    const graph = [inputNode(['N', cin, h, h]), mod('Conv2d', conv3x3(cin, cout, p))], shape = [n, cin, h, h];
    const one = await onThreads(graph, shape, seed, 1);
    for (const threads of [2, 3]) {
      const many = await onThreads(graph, shape, seed, threads);
      one.forEach((t, i) => assert.deepEqual(many[i], t, `${cin}→${cout} on ${shape}, ${threads} threads: result ${i}`));
    }
  }
});

const conv1d = (cin: number, cout: number, k: number, p: number): Record<string, unknown> =>
  ({ in_channels: cin, out_channels: cout, kernel_size: [k], stride: [1], padding: [p], dilation: [1], groups: 1, bias: true });

/** runOnce with the WebAssembly kernels on `threads` threads, 1-D Winograd allowed or not. */
async function with1d(on: boolean, graph: GraphNode[], inShape: number[], seed: number, inputGrad = true, threads = 1): Promise<Float32Array[]> {
  const k = await threadKernels(threads);
  k.winograd1d = on;
  try {
    return runOnce(graph, inShape, seed, inputGrad);
  } finally {
    k.winograd1d = true;
  }
}

async function threadKernels(threads: number): Promise<WasmKernels> {
  setWorkerHost(nodeWorkerHost);
  await selectKernels('wasm', threads);
  return wasmKernels()!;
}

test('1-D Winograd F(4, 3) (3 and 9 taps: forward and input gradient) matches the TypeScript kernels and the direct one: '
  + 'lengths not a multiple of 4, shorter than a tile, tiles across samples, padding 0 to the taps', async () => {
  await fc.assert(fc.asyncProperty(
    fc.record({
      cin: fc.integer({ min: 16, max: 21 }), cout: fc.integer({ min: 16, max: 21 }), k: fc.constantFrom(3, 9), p: fc.integer({ min: 0, max: 9 }),
      l: fc.integer({ min: 1, max: 40 }), n: fc.integer({ min: 1, max: 5 }), inputGrad: fc.boolean(), seed: fc.nat(),
    }),
    async ({ cin, cout, k, p, l, n, inputGrad, seed }) => {
      if (l + 2 * p < k) return;
      const graph = [inputNode(['N', cin, l]), mod('Conv1d', conv1d(cin, cout, k, p))], shape = [n, cin, l];
      const what = `${cin}→${cout} k${k} p${p} on ${shape}`;
      for (const [name, got, want] of await bothKernels(graph, shape, seed, inputGrad)) assertNear(got, want, `${what}: ${name}`);
      const direct = await with1d(false, graph, shape, seed, inputGrad);
      const wino = await with1d(true, graph, shape, seed, inputGrad);
      wino.forEach((t, i) => assertNear(t, direct[i], `${what}: result ${i} of F(4, 3) against the direct kernel`));
      // Where it runs (the forward always; the input gradient unless the padding exceeds the taps' reach), its rounding is its own.
      assert.ok(wino[0].some((v, j) => v !== direct[0][j]) || wino[0].every((v) => v === 0), `${what}: the forward ran F(4, 3)`);
    }), { numRuns: 60 });
});

test('1-D Winograd runs only where it fits: not below 16 channels, nor for taps not a multiple of 3, stride 2 or dilation 2', async () => {
  const fits = (cfg: Record<string, unknown>, cin: number) => async () => {
    const graph = [inputNode(['N', cin, 37]), mod('Conv1d', cfg)], shape = [2, cin, 37];
    const a = await with1d(false, graph, shape, 3), b = await with1d(true, graph, shape, 3);
    return a[0].some((v, j) => v !== b[0][j]);
  };
  assert.equal(await fits(conv1d(16, 16, 9, 4), 16)(), true);
  assert.equal(await fits(conv1d(15, 16, 9, 4), 15)(), false);
  assert.equal(await fits(conv1d(16, 15, 3, 1), 16)(), false);
  assert.equal(await fits(conv1d(16, 16, 5, 2), 16)(), false);
  assert.equal(await fits({ ...conv1d(16, 16, 3, 1), stride: [2] }, 16)(), false);
  assert.equal(await fits({ ...conv1d(16, 16, 3, 1), dilation: [2] }, 16)(), false);
});

test('1-D Winograd split across 2 and 3 threads gives the one-thread results bit for bit', async () => {
  // The 1-D net's second and third layers (32 → 64 on 256, 64 → 128 on 64, several chunks), odd lengths, 3 taps.
  for (const [cin, cout, k, p, l, n, seed] of [[32, 64, 9, 4, 256, 6, 1], [64, 128, 9, 4, 64, 5, 2], [16, 20, 3, 1, 101, 7, 3],
    [20, 16, 9, 0, 45, 3, 4], [16, 16, 9, 8, 13, 9, 5]]) {
    const graph = [inputNode(['N', cin, l]), mod('Conv1d', conv1d(cin, cout, k, p))], shape = [n, cin, l];
    const one = await with1d(true, graph, shape, seed);
    for (const threads of [2, 3]) {
      const many = await with1d(true, graph, shape, seed, true, threads);
      one.forEach((t, i) => assert.deepEqual(many[i], t, `${cin}→${cout} k${k} on ${shape}, ${threads} threads: result ${i}`));
    }
  }
});

test('BatchNorm, ReLU and max pooling split across 2 and 3 threads give the one-thread results bit for bit', async () => {
  // Large enough (81,920 values per activation) for the element-wise kernels to split; 5 samples and
  // 16 channels do not divide evenly by 3.
  const node = (id: number, type: string, config: Record<string, unknown>): GraphNode => ({ ...mod(type, config), id, path: `m${id}`, inputs: [id - 1] });
  const graph = [
    inputNode(['N', 3, 32, 32]),
    node(1, 'Conv2d', { in_channels: 3, out_channels: 16, kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, bias: false }),
    node(2, 'BatchNorm2d', { num_features: 16 }), node(3, 'ReLU', {}),
    node(4, 'MaxPool2d', { kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceil_mode: false }),
  ];
  for (const seed of [1, 2]) {
    const one = await onThreads(graph, [5, 3, 32, 32], seed, 1);
    for (const threads of [2, 3]) {
      const many = await onThreads(graph, [5, 3, 32, 32], seed, threads);
      one.forEach((t, i) => assert.deepEqual(many[i], t, `seed ${seed}, ${threads} threads: result ${i}`));
    }
  }
});

test('a ReLU or ReLU6 run inside the BatchNorm before it gives the bits of the two layers apart, on 1 and 2 threads', async () => {
  // BN → act runs as one (node 3); the second BatchNorm also feeds an add, so its ReLU runs alone.
  // 7×9 planes leave a tail after the vectors of 4; a tap on every node keeps each layer apart.
  const node = (id: number, type: string, config: Record<string, unknown>, inputs = [id - 1]): GraphNode =>
    ({ ...mod(type, config), id, path: `m${id}`, inputs });
  const conv = (cin: number) => ({ in_channels: cin, out_channels: 8, kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, bias: false });
  for (const act of ['ReLU', 'ReLU6']) {
  const graph = [
    inputNode(['N', 3, 7, 9]), node(1, 'Conv2d', conv(3)), node(2, 'BatchNorm2d', { num_features: 8 }), node(3, act, {}),
    node(4, 'Conv2d', conv(8)), node(5, 'BatchNorm2d', { num_features: 8 }), node(6, 'ReLU', {}),
    { id: 7, kind: 'op', type: 'add', config: {}, inputs: [6, 5], outputShape: null, line: 3 } as GraphNode,
  ];
  const run = (seed: number, apart: boolean): { out: Float32Array[]; reluCalls: number[] } => {
    const rng = new Rng(seed), net = buildNetwork({ graph, parameters: [] }), reluCalls = [0, 0];
    for (const n of net.nodes) n.needsGrad = true;
    [3, 6].forEach((id, k) => {
      const layer = net.nodes.find((n) => n.id === id)!.layer!, forward = layer.forward.bind(layer);
      layer.forward = (ins, ctx) => { reluCalls[k]++; return forward(ins, ctx); };
    });
    for (const p of net.params) p.value.set(randomArray(p.value.length, rng));
    // Scaled by 4 so that ReLU6's upper bound is reached too.
    const x = tensor([5, 3, 7, 9], randomArray(5 * 3 * 63, rng).map((v) => 4 * v));
    const y = net.forward(x, { training: true, rng }, apart ? () => {} : undefined);
    net.zeroGrad();
    const dx = net.backwardInputs(tensor(y.shape, randomArray(y.data.length, rng)))[0]!;
    return { out: [y.data.slice(), dx.data.slice(), ...net.params.map((p) => p.grad.slice()), ...net.state.map((e) => e.value.slice())], reluCalls };
  };
  for (const threads of [1, 2]) {
    await onThreads(graph.slice(0, 2), [1, 3, 7, 9], 0, threads);
    for (const seed of [1, 2]) {
      const fused = run(seed, false), apart = run(seed, true);
      assert.deepEqual(fused.reluCalls, [0, 1], `the first ${act} runs inside its BatchNorm, the second ReLU alone`);
      assert.deepEqual(apart.reluCalls, [1, 1]);
      apart.out.forEach((t, i) => assert.deepEqual(fused.out[i], t, `${act}, seed ${seed}, ${threads} thread(s): result ${i}`));
    }
  }
  await selectKernels('ts');
  const ts = run(1, false);
  assert.deepEqual(ts.reluCalls, [1, 1], 'the TypeScript kernels run every layer apart');
  }
});

test('the ReLU and ReLU6 kernels give the TypeScript layers\' bits, ReLU6\'s gradient to the sign of zero, NaN, ±0 and 6 included', async () => {
  // 1,003 values (a tail after the vectors of 4): specials first, then random ones around 0 and 6.
  const special = [NaN, -0, 0, 6, -6, 5.999999523162842, 6.000000476837158, Infinity, -Infinity, 1e-45, -1e-45];
  const rng = new Rng(4), x = Float32Array.from({ length: 1003 }, (_, i) => special[i] ?? (rng.normal() * 4 + (i % 2 ? 6 : 0)));
  const dy = Float32Array.from({ length: 1003 }, (_, i) => (i < 20 ? [-1, Infinity, NaN, -0][i % 4] : rng.normal()));
  // Bits, except that every NaN is one (their sign and payload mean nothing, and V8's Math.max sets the sign).
  const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, i) => (Number.isNaN(a[i]) ? -1 : b));
  for (const act of ['ReLU', 'ReLU6']) {
    const results: number[][][] = [];
    for (const kernels of ['ts', 'wasm'] as const) {
      await selectKernels(kernels);
      const net = buildNetwork({ graph: [inputNode(['N', 1003]), mod(act, {})], parameters: [] });
      for (const n of net.nodes) n.needsGrad = true;
      const y = net.forward(tensor([1, 1003], x.slice()), { training: true, rng: new Rng(0) });
      const dx = net.backwardInputs(tensor([1, 1003], dy.slice()))[0]!;
      results.push([bits(y.data), bits(dx.data)]);
    }
    const [ts, wasm] = results;
    assert.deepEqual(wasm[0], ts[0], `${act} forward`);
    // ReLU's kernel masks (dy or +0) where the TypeScript layer multiplies (dy·0 is −0, or NaN for ±∞ and NaN):
    // compare it where the two agree by definition; ReLU6 multiplies in both.
    if (act === 'ReLU6') assert.deepEqual(wasm[1], ts[1], `${act} backward`);
    else wasm[1].forEach((b, i) => assert.ok(x[i] > 0 ? b === ts[1][i] : b === 0, `${act} backward at ${i}: ${b}, TypeScript ${ts[1][i]}`));
  }
});

test('WebAssembly max pooling equals the TypeScript one, NaN included', async () => {
  await fc.assert(fc.asyncProperty(
    fc.record({ k: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 4, max: 19 }), w: fc.integer({ min: 4, max: 19 }), nan: fc.boolean(), seed: fc.nat() }),
    async ({ k, s, h, w, nan, seed }) => {
      const graph = [inputNode(['N', 2, h, w]), mod('MaxPool2d', { kernel_size: [k, k], stride: [s, s], padding: [0, 0], dilation: [1, 1], ceil_mode: false })];
      const results = await bothKernels(graph, [2, 2, h, w], seed);
      if (!nan) { for (const [what, got, want] of results) assert.deepEqual(got, want, `MaxPool2d k${k} s${s} on ${h}×${w}: ${what}`); return; }
      // With a NaN in the input: the same outputs, NaN in the same places.
      await selectKernels('wasm');
      const net = buildNetwork({ graph, parameters: [] }), x = tensor([1, 2, h, w], randomArray(2 * h * w, new Rng(seed)));
      x.data[seed % (2 * h * w)] = NaN;
      const yWasm = net.forward(x, { training: true, rng: new Rng(0) }).data.slice();
      await selectKernels('ts');
      const yTs = net.forward(x, { training: true, rng: new Rng(0) }).data;
      assert.deepEqual(Array.from(yWasm, String), Array.from(yTs, String));
    }), { numRuns: 60 });
});

test('WebAssembly element-wise add (residual adds, gradient sums) rounds each sum once, as float32, in place too', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 41 }), fc.nat(), fc.boolean(), (n, seed, inPlace) => {
    const rng = new Rng(seed);
    // Magnitudes far apart, so that a sum kept in f64 and rounded twice, or summed in another width, would show.
    const a = Float32Array.from({ length: n }, () => rng.normal() * 2 ** Math.round(rng.normal() * 30));
    const b = Float32Array.from({ length: n }, () => rng.normal() * 2 ** Math.round(rng.normal() * 30));
    const want = Float32Array.from(a, (v, i) => Math.fround(v + b[i]));
    const y = inPlace ? a : new Float32Array(n);
    wasm.add(a, b, y);
    assert.deepEqual(y, want);
  }));
});

test('the element-wise add split across 2 threads (large tensors) rounds each sum once, in place too', async () => {
  setWorkerHost(nodeWorkerHost);
  const two = (await loadWasmKernels(2))!;
  assert.equal(two.threadCount, 2);
  for (const [n, inPlace] of [[100_003, false], [262_147, true]] as const) {
    const rng = new Rng(n);
    const a = Float32Array.from({ length: n }, () => rng.normal() * 2 ** Math.round(rng.normal() * 30));
    const b = Float32Array.from({ length: n }, () => rng.normal());
    const want = Float32Array.from(a, (v, i) => Math.fround(v + b[i]));
    const y = inPlace ? a : new Float32Array(n);
    two.add(a, b, y);
    assert.deepEqual(y, want, `${n} values${inPlace ? ', in place' : ''}`);
  }
});

test('a net of 16- and 32-channel 3×3 layers trains as well through F(4×4, 3×3) as through F(2×2, 3×3) and the direct kernel',
  async () => {
    // Oriented bars (8 classes, chance 12.5%), 4 epochs of Adam: the same data, seed and initial weights each time.
    const conv = (id: number, cin: number, cout: number): GraphNode =>
      ({ ...mod('Conv2d', conv3x3(cin, cout, 1)), id, path: `c${id}`, inputs: [id - 1] });
    const op = (id: number, type: string, config: Record<string, unknown> = {}): GraphNode =>
      ({ id, kind: 'op', type, config, inputs: [id - 1], outputShape: null, line: id + 1 });
    const graph = [inputNode(['N', 1, 12, 12]), conv(1, 1, 16), op(2, 'relu'), conv(3, 16, 32), op(4, 'relu'), conv(5, 32, 32), op(6, 'relu'),
      op(7, 'max_pool2d', { kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], ceil_mode: false }), op(8, 'flatten', { start_dim: 1, end_dim: -1 }),
      { ...mod('Linear', { in_features: 32 * 36, out_features: 8, bias: true }), id: 9, path: 'fc', inputs: [8] }];
    const data = syntheticSplits('bars', 400, 160, [1, 12, 12], 3);
    const runs: Record<string, { acc: number; loss: number }> = {};
    await selectKernels('wasm');
    const k = wasmKernels()!;
    for (const [name, wino, four] of [['F(4×4)', true, true], ['F(2×2)', true, false], ['direct', false, false]] as const) {
      k.winograd = wino;
      k.winograd4 = four;
      try {
        const r = await train(buildNetwork({ graph, parameters: [] }), data,
          { epochs: 4, batchSize: 16, optimizer: { name: 'adam', lr: 0.003 }, init: 'he', seed: 5, valSplit: 0.2 });
        runs[name] = { acc: r.testAccuracy!, loss: r.epochs[3]!.trainLoss };
      } finally {
        k.winograd = true;
        k.winograd4 = true;
      }
    }
    for (const r of Object.values(runs)) assert.ok(r.acc > 0.8, JSON.stringify(runs));
    // Rounding apart, the three compute the same convolutions: the same accuracy within a few test images, and losses.
    assert.ok(Math.abs(runs['F(4×4)']!.acc - runs.direct!.acc) <= 0.03, JSON.stringify(runs));
    assert.ok(Math.abs(runs['F(4×4)']!.loss - runs.direct!.loss) <= 0.05 * runs.direct!.loss + 0.01, JSON.stringify(runs));
  });
