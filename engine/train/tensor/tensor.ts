// A dense float32 tensor in row-major (NCHW) order. Shapes are plain numbers: the training engine
// works on concrete batches, never symbolic sizes.
import { floats, releaseFloats } from './floats';

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function tensor(shape: number[], data?: Float32Array): Tensor {
  const n = numel(shape);
  if (data && data.length !== n) throw new Error(`tensor data has ${data.length} values, shape (${shape.join(', ')}) needs ${n}`);
  return { shape: [...shape], data: data ?? new Float32Array(n) };
}

/** A tensor buffer that is reused while the shape stays the same (layers keep one per output). */
export class Scratch {
  private t: Tensor | null = null;

  get(shape: number[]): Tensor {
    const t = this.t;
    if (t && t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
    // The old buffer is given back: a layer's output is read only until its next call.
    if (t) releaseFloats(t.data);
    this.t = { shape: [...shape], data: floats(numel(shape)) };
    return this.t;
  }

  /** Same as get, with every value set to zero. */
  zeros(shape: number[]): Tensor {
    const t = this.get(shape);
    t.data.fill(0);
    return t;
  }
}

/** A reusable typed array of at least n elements (views are cut to exactly n). */
export class FloatPool {
  private buf: Float32Array = new Float32Array(0);

  get(n: number): Float32Array {
    if (this.buf.length < n) {
      releaseFloats(this.buf);
      this.buf = floats(n);
    }
    return this.buf.length === n ? this.buf : this.buf.subarray(0, n);
  }
}

export const shapeText = (shape: readonly number[]): string => `(${shape.join(', ')})`;
