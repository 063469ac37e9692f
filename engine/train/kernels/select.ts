// Which kernels the layers run: the WebAssembly SIMD ones when the runtime has them (the default),
// else the TypeScript ones, which stay the reference. The choice is made once per training run
// (train() awaits it, since WebAssembly compiles asynchronously) and holds for the whole thread.
// The WebAssembly kernels may split a convolution across threads (kernels/wasm/kernel-threads.ts).
import * as ts from './matmul';
import { setFloatHeap } from '../tensor/floats';
import { loadWasmKernels, type WasmKernels } from './wasm/wasm-kernels';

export type KernelChoice = 'auto' | 'wasm' | 'ts';
export type KernelName = 'wasm-simd' | 'typescript';

let wasm: WasmKernels | null = null;

/**
 * Switches kernels; 'auto' takes WebAssembly when it loads. `threads` > 1 splits the convolutions
 * across that many threads where the host gives workers (worker-host.ts); the results are the same
 * bit for bit. `fused` false keeps the plain-SIMD build where relaxed SIMD exists, `resident` false
 * keeps the layers' buffers in JavaScript memory (both for comparisons). The layers' buffers made from
 * now on live in the module's memory where it can hold them (tensor/floats.ts). Returns what now runs.
 */
export async function selectKernels(choice: KernelChoice, threads = 1, fused = true, resident = true): Promise<KernelName> {
  wasm = choice === 'ts' ? null : await loadWasmKernels(threads, fused, resident);
  if (!wasm && choice === 'wasm') throw new Error('WebAssembly SIMD kernels are not available in this runtime');
  setFloatHeap(wasm?.heap.resident ? wasm.heap : null);
  return activeKernels();
}

export const activeKernels = (): KernelName => (wasm ? 'wasm-simd' : 'typescript');

/** Threads the selected kernels run on (1 for the TypeScript ones). */
export const kernelThreads = (): number => wasm?.threadCount ?? 1;

/** The WebAssembly kernels when they are selected (layers with a batch-level path use them directly). */
export const wasmKernels = (): WasmKernels | null => wasm;

export function matmulNN(M: number, N: number, K: number, A: ts.Mat, B: ts.Mat, C: ts.Mat, accumulate: boolean): void {
  if (wasm) wasm.matmul('NN', M, N, K, A, B, C, accumulate);
  else ts.matmulNN(M, N, K, A, B, C, accumulate);
}

export function matmulNT(M: number, N: number, K: number, A: ts.Mat, B: ts.Mat, C: ts.Mat, accumulate: boolean): void {
  if (wasm) wasm.matmul('NT', M, N, K, A, B, C, accumulate);
  else ts.matmulNT(M, N, K, A, B, C, accumulate);
}

export function matmulTN(M: number, N: number, K: number, A: ts.Mat, B: ts.Mat, C: ts.Mat, accumulate: boolean): void {
  if (wasm) wasm.matmul('TN', M, N, K, A, B, C, accumulate);
  else ts.matmulTN(M, N, K, A, B, C, accumulate);
}

/** y = a + b element-wise, all of one length (y may be a): bit for bit the same on both kernels. */
export function addArrays(a: Float32Array, b: Float32Array, y: Float32Array): void {
  if (wasm) wasm.add(a, b, y);
  else for (let i = 0; i < y.length; i++) y[i] = a[i] + b[i];
}
