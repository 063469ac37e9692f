// Worker threads that run the WebAssembly kernels on the same shared memory as the calling thread.
// A call is a job of items (ranges of samples, slices, channels…) that write disjoint memory. Each
// thread, the caller included, first claims the items of its own share (thread t of T starts at item
// ⌊t·count/T⌋, so it mostly meets the samples it had in the layer before, still in its cache) and then
// whatever another thread has not begun: a thread the system deschedules (the machine is shared) or a
// slower range never leaves the others waiting on a fixed share. Which thread runs an item never
// changes its result: the split is bit for bit one thread's.
// The job lives in one shared Int32Array:
//   [sequence, finished, error, function, pre count, item width, post width, count, pre…, items…, post per thread…]
// and a claim word per item: job s claims item i by a compare-and-exchange of its word from 2s to
// 2s + 1, so a thread late from an earlier job can never claim an item of a later one, and it reads the
// job's fields only after a claim, while the job cannot change (the caller waits for every item).
// Each worker sleeps on its own wake word until the caller bumps it.
import type { HostWorker, WorkerHost } from '../worker-host';

const SEQ = 0, FINISHED = 1, ERROR = 2, FN = 3, PRE = 4, WIDTH = 5, POST = 6, COUNT = 7, HEAD = 8;
const MAX_ITEMS = 1024, JOB_SLOTS = 1 << 14, SEQ_MASK = (1 << 29) - 1;

/**
 * Claims and runs items of the current job until none is left: the same code on the caller and in
 * the workers (its source is inlined into the worker's script, hence the layout's numbers written
 * out). `kernel` gives the export of a function index; thread `t` of `T` starts at its own share.
 * An item that throws marks the job failed and still counts as finished, so the job always ends.
 */
function work(job: Int32Array, claims: Int32Array, kernel: (fn: number) => (...a: number[]) => void, t: number, T: number): void {
  const open = 2 * Atomics.load(job, 0), count = Math.min(job[7], 1024), home = Math.floor((t * count) / T);
  for (let k = 0; k < count; k++) {
    const i = home + k < count ? home + k : home + k - count;
    if (Atomics.compareExchange(claims, i, open, open + 1) !== open) continue;
    const pre = job[4], width = job[5], post = job[6], items = 8 + pre, posts = items + count * width;
    // A fixed arity (the kernels take at most 12 arguments; extra ones are ignored, missing ones are 0):
    // a call with spread arguments into WebAssembly costs microseconds, as much as a small item.
    const a = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let n = 0;
    for (let j = 0; j < pre; j++) a[n++] = job[8 + j];
    for (let j = 0; j < width; j++) a[n++] = job[items + i * width + j];
    for (let j = 0; j < post; j++) a[n++] = job[posts + t * post + j];
    try { kernel(job[3])(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]); } catch { job[2] = 1; }
    if (Atomics.add(job, 1, 1) + 1 === count) Atomics.notify(job, 1);
  }
}

/** The worker's script: plain JavaScript, nothing imported, so that any host can start it from text. */
const WORKER_SOURCE = `
const work = ${work.toString()};
self.onmessage = (event) => {
  const { module, memory, job, claims, wake, index, threads, names } = event.data;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const fns = names.map((n) => exports[n]);
  const jobs = new Int32Array(job), items = new Int32Array(claims), ctl = new Int32Array(wake);
  let seq = 0;
  for (;;) {
    Atomics.wait(ctl, 0, seq);
    seq = Atomics.load(ctl, 0);
    if (seq < 0) return;
    work(jobs, items, (fn) => fns[fn], index, threads);
  }
};
`;

export class KernelThreads {
  private readonly job = new Int32Array(new SharedArrayBuffer(4 * JOB_SLOTS));
  private readonly claims = new Int32Array(new SharedArrayBuffer(4 * MAX_ITEMS));
  private readonly wakes: Int32Array[];
  private readonly workers: HostWorker[];
  private seq = 0;

  /** Starts `count` workers on `memory` running `module`; `names` are the exports `run` may call. */
  constructor(host: WorkerHost, count: number, module: WebAssembly.Module, memory: WebAssembly.Memory, private readonly names: string[]) {
    this.wakes = Array.from({ length: count }, () => new Int32Array(new SharedArrayBuffer(4)));
    this.workers = this.wakes.map((wake, t) => {
      const w = host.start(WORKER_SOURCE);
      w.postMessage({ module, memory, job: this.job.buffer, claims: this.claims.buffer, wake: wake.buffer, index: t + 1, threads: count + 1, names });
      return w;
    });
  }

  /** Threads including the calling one. */
  get size(): number {
    return this.workers.length + 1;
  }

  /**
   * Runs export `name` once per item, as own(...pre, ...item, ...post[t]) on whichever thread t (0 the
   * caller) claims it, and returns when every item is done. Items must write disjoint memory.
   */
  run(name: string, pre: number[], items: number[][], post: number[][], own: (...a: number[]) => void): void {
    const fn = this.names.indexOf(name), width = items[0]?.length ?? 0, postWidth = post[0]?.length ?? 0;
    if (fn < 0) throw new Error(`kernel ${name} is not shared with the worker threads`);
    if (items.length > MAX_ITEMS || pre.length + width + postWidth > 12 || HEAD + pre.length + items.length * width + this.size * postWidth > JOB_SLOTS) {
      throw new Error(`kernel ${name}: too many items for one job`);
    }
    const job = this.job;
    job[FINISHED] = 0; job[ERROR] = 0; job[FN] = fn; job[PRE] = pre.length; job[WIDTH] = width; job[POST] = postWidth;
    job[COUNT] = items.length;
    job.set(pre, HEAD);
    let at = HEAD + pre.length;
    for (const item of items) { job.set(item, at); at += width; }
    for (let t = 0; t < this.size; t++) { job.set(post[t] ?? [], at); at += postWidth; }
    this.seq = (this.seq + 1) & SEQ_MASK;
    this.claims.fill(2 * this.seq, 0, items.length);
    // The sequence is published last (a sequentially consistent store): a claim sees the fields above.
    Atomics.store(job, SEQ, this.seq);
    for (const wake of this.wakes) { Atomics.add(wake, 0, 1); Atomics.notify(wake, 0); }
    work(job, this.claims, () => own, 0, this.size);
    for (let f = Atomics.load(job, FINISHED); f !== items.length; f = Atomics.load(job, FINISHED)) Atomics.wait(job, FINISHED, f);
    if (job[ERROR]) throw new Error(`kernel ${name} failed`);
  }

  terminate(): void {
    for (const wake of this.wakes) { Atomics.store(wake, 0, -1); Atomics.notify(wake, 0); }
    for (const w of this.workers) w.terminate();
  }
}
