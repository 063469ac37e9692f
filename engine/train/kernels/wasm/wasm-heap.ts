// The WebAssembly module's memory as the kernels use it: a heap of resident blocks (the layers'
// reusable tensors: their outputs, gradients and working buffers, handed out through tensor/floats.ts)
// and above it a scratch area that every kernel call stacks its staged operands and temporaries on and
// that the next call starts over. A resident tensor is read and written by the kernels where it lives,
// so a call copies only what lives in JavaScript memory. Residency needs shared memory: growing a
// shared memory keeps every view made before valid, while growing an own memory detaches them all.
import { TrainError } from '../../layers/layer';

/** Bytes a block or a scratch area takes for n floats: 16-byte aligned, plus one vector a load may read past the end. */
const blockBytes = (n: number): number => ((4 * n + 15) & ~15) + 16;

/**
 * Where the first block or scratch area goes: the kernels take address 0 for "none" (no input gradient,
 * no momentum buffer, no channels-last copy), so nothing is ever handed out there. A block at 0 once
 * made a layer's input gradient silently stay zeros whenever a freed block at 0 was taken again.
 */
const FIRST = 16;

export class WasmHeap {
  private f32v = new Float32Array(0);
  private i32v = new Int32Array(0);
  /** The memory's buffer objects so far (a grown shared memory gives a new one; views keep theirs). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  /** End of the resident blocks: where the scratch area of the next call starts. */
  private heapTop = FIRST;
  /** End of the running call's scratch (heapTop between calls). */
  private top = FIRST;
  /** Everything from here up has never been handed out: still the zeros a grown memory starts with. */
  private clean = FIRST;
  /** Live resident blocks by byte address (their float count), and freed ones by float count. */
  private readonly live = new Map<number, number>();
  private readonly free = new Map<number, number[]>();
  /** A block whose view was collected without being given back (a network dropped whole) is freed then. */
  private readonly reclaim = new FinalizationRegistry<number>((at) => this.release(at));

  constructor(private readonly memory: WebAssembly.Memory, readonly resident: boolean) {
    this.refresh();
  }

  get f32(): Float32Array {
    return this.f32v;
  }

  get i32(): Int32Array {
    return this.i32v;
  }

  /** Starts a kernel call: its scratch goes above the resident blocks. */
  begin(): void {
    this.top = this.heapTop;
  }

  /** Ends the call: its scratch is free again, for the next call or a new block. */
  end(): void {
    this.top = this.heapTop;
  }

  /** Byte address of n fresh scratch floats of the current call, growing the memory when needed. */
  alloc(n: number): number {
    const at = this.top;
    this.ensure(at + blockBytes(n));
    this.top = at + blockBytes(n);
    this.clean = Math.max(this.clean, this.top);
    return at;
  }

  /**
   * A resident block of n floats, zeroed (as a new Float32Array is; memory never used is zero already,
   * and filling it would touch every page ahead of the kernels), or null when the memory is not
   * shared. A freed block of the same size is taken first. A block made while a call runs goes above
   * that call's scratch, so nothing the call staged is overwritten.
   */
  take(n: number): Float32Array | null {
    if (!this.resident || n === 0) return null;
    let at = this.free.get(n)?.pop();
    if (at === undefined) {
      at = Math.max(this.heapTop, this.top);
      this.ensure(at + blockBytes(n));
      this.heapTop = at + blockBytes(n);
      this.top = Math.max(this.top, this.heapTop);
    }
    this.live.set(at, n);
    const a = new Float32Array(this.memory.buffer, at, n);
    if (at < this.clean) a.fill(0, 0, Math.min(n, (this.clean - at) >> 2));
    this.clean = Math.max(this.clean, at + blockBytes(n));
    this.reclaim.register(a, at, a);
    return a;
  }

  /** Takes back a block `take` gave (anything else is left alone): its owner no longer reads it. */
  give(a: Float32Array): void {
    if (!this.buffers.has(a.buffer) || this.live.get(a.byteOffset) !== a.length) return;
    this.reclaim.unregister(a);
    this.release(a.byteOffset);
  }

  private release(at: number): void {
    const n = this.live.get(at);
    if (n === undefined) return;
    this.live.delete(at);
    const list = this.free.get(n);
    if (list) list.push(at);
    else this.free.set(n, [at]);
  }

  /** Byte address of a view into this memory, or −1 for one in JavaScript memory. */
  addressOf(a: Float32Array | Int32Array): number {
    return this.buffers.has(a.buffer) ? a.byteOffset : -1;
  }

  private ensure(end: number): void {
    const mem = this.memory;
    if (end > mem.buffer.byteLength) {
      try {
        mem.grow(Math.ceil((end - mem.buffer.byteLength) / 65536));
      } catch {
        throw new TrainError(`the WebAssembly kernels need ${Math.ceil(end / 2 ** 20)} MB for this batch, more than the runtime gives: use a smaller batch or the TypeScript kernels`);
      }
    }
    this.refresh();
  }

  private refresh(): void {
    const b = this.memory.buffer;
    if (this.f32v.buffer === b) return;
    this.buffers.add(b);
    this.f32v = new Float32Array(b);
    this.i32v = new Int32Array(b);
  }
}
