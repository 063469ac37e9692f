// Where the layers' reusable buffers come from (Scratch, FloatPool, the gradient pool): by default
// plain Float32Arrays; with the WebAssembly kernels on a shared memory, blocks of that memory
// (kernels/wasm/wasm-heap.ts), which the kernels read and write in place instead of copying them in
// and out on every call. Either way a buffer is an ordinary Float32Array to every other piece of code.

export interface FloatHeap {
  /** n zeroed floats, or null when the heap cannot give them (then a plain array serves). */
  take(n: number): Float32Array | null;
  /** Takes back a buffer of `take` that its owner no longer reads (any other array is ignored). */
  give(a: Float32Array): void;
  /** Byte address of a buffer the heap holds, else −1. */
  addressOf(a: Float32Array): number;
}

let heap: FloatHeap | null = null;

/** Makes `h` the source of the layers' buffers from now on (null: plain arrays). */
export function setFloatHeap(h: FloatHeap | null): void {
  heap = h;
}

export const floats = (n: number): Float32Array => heap?.take(n) ?? new Float32Array(n);

/** The values of `a` in a buffer of the heap (a copy; `a` itself when the heap holds it or cannot give one). */
export function rehome(a: Float32Array): Float32Array {
  if (!heap || heap.addressOf(a) >= 0) return a;
  const b = heap.take(a.length);
  b?.set(a);
  return b ?? a;
}

/** Hands a buffer of `floats` back for reuse: its owner must never read or write it again. */
export function releaseFloats(a: Float32Array): void {
  heap?.give(a);
}
