// Gradient buffers shared by the layers of a network. A gradient lives from the backward call that
// makes it to the one that consumes it, unlike an activation, which lives from the forward pass to
// the backward pass; so instead of every layer keeping its own ∂input buffer for the whole run (as
// many as the activations), the network lends them from a pool and takes each back once consumed.
// Network.backwardInputs makes its pool the active one while it runs; a layer asks for a buffer
// through GradScratch, which falls back to a buffer of its own outside a network's backward pass.
import { floats } from './floats';
import { Scratch, numel, type Tensor } from './tensor';

export class GradPool {
  /** The pool of the backward pass running now, if any. */
  static active: GradPool | null = null;
  private readonly free = new Map<number, Float32Array[]>();
  private readonly lent = new Set<Float32Array>();
  /** Floats of every buffer this pool has made: its footprint, which buffers given back keep down. */
  made = 0;

  take(shape: number[]): Tensor {
    const n = numel(shape);
    let data = this.free.get(n)?.pop();
    if (!data) { data = floats(n); this.made += n; }
    this.lent.add(data);
    return { shape: [...shape], data };
  }

  owns(data: Float32Array): boolean {
    return this.lent.has(data);
  }

  /** Takes a buffer back (the caller checked that nothing refers to it any more). */
  give(data: Float32Array): void {
    if (!this.lent.delete(data)) return;
    const list = this.free.get(data.length);
    if (list) list.push(data);
    else this.free.set(data.length, [data]);
  }
}

/** A layer's ∂input buffer: lent by the active pool, else its own (as Scratch). */
export class GradScratch {
  private readonly own = new Scratch();

  get(shape: number[]): Tensor {
    return GradPool.active ? GradPool.active.take(shape) : this.own.get(shape);
  }

  /** Same as get, with every value set to zero. */
  zeros(shape: number[]): Tensor {
    const t = this.get(shape);
    t.data.fill(0);
    return t;
  }
}
