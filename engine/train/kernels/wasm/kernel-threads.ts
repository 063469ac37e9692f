// Worker threads that run the WebAssembly kernels on the same shared memory as the calling thread.
// A call is a job of items (ranges of samples, slices, channels…) that write disjoint memory; a job may
// hold the items of several calls that do not depend on each other (one hand-off fewer each). Call by
// call, each thread, the caller included, first claims the items of its own share (thread t of T starts
// at the call's item ⌊t·count/T⌋, so it mostly meets the samples it had in the layer before, still in its
// cache) and then whatever another thread has not begun: a thread the system deschedules (the machine is
// shared) or a slower range never leaves the others waiting on a fixed share. Which thread runs an item never
// changes its result: the split is bit for bit one thread's.
// The job lives in one shared Int32Array:
//   [sequence, finished, error, count, spin, calls, (first item, items) per call…, item records…,
//    post arguments per call and thread…]
// (spin: the longest spin in µs, 0 none; MAX_CALLS pairs), an item's record [function, call, argument count,
// post at, post width, arguments (its call's leading ones, then its own)…] in RECORD words.
// and a claim word per item: job s claims item i by a compare-and-exchange of its word from 2s to
// 2s + 1, so a thread late from an earlier job can never claim an item of a later one, and it reads the
// job's fields only after a claim, while the job cannot change (the caller waits for every item).
// Each worker waits on its own wake word until the caller bumps it, and the caller waits on `finished`
// for the items of other threads: both spin a little first (waitFor), since most gaps between a
// training step's few hundred jobs last a few tens of µs and a wake from sleep costs about as much again.
import type { HostWorker, WorkerHost } from '../worker-host';

const SEQ = 0, FINISHED = 1, ERROR = 2, COUNT = 3, SPIN = 4, CALLS = 5, MAX_CALLS = 8, HEAD = 6 + 2 * MAX_CALLS;
const RECORD = 17, MAX_ARGS = 12;
const MAX_ITEMS = 1024, JOB_SLOTS = 1 << 15, SEQ_MASK = (1 << 29) - 1;
/** The longest spin in µs before a thread sleeps (a sleeping thread wakes some tens of µs late). */
const SPIN_US = 100;

/**
 * Waits until `word[at]` is `until` (or, `until` < 0, no longer ~`until`): spins up to `budget` µs, then
 * sleeps, and returns the next budget, which adapts to this thread's gaps: halved when the spin ran out,
 * doubled when it ended in time, within [2, max]. When the machine's other load keeps the thread that would
 * change the word off the cores, the spins run out and shrink, so a spinning thread does not keep holding a
 * core the other one needs. Inlined into the worker's script too (so no inner functions: a bundler's helpers
 * for their names do not exist there).
 */
function waitFor(word: Int32Array, at: number, until: number, budget: number, max: number): number {
  let v = Atomics.load(word, at);
  if (until >= 0 ? v === until : v !== ~until) return budget;
  if (max > 0) {
    const end = performance.now() + Math.min(budget, max) / 1000;
    for (let i = 1; until >= 0 ? v !== until : v === ~until; i++) {
      if ((i & 63) === 0 && performance.now() > end) break;
      v = Atomics.load(word, at);
    }
    const ok = until >= 0 ? v === until : v !== ~until;
    budget = ok ? Math.min(max, 2 * budget) : Math.max(2, budget / 2);
  }
  for (v = Atomics.load(word, at); until >= 0 ? v !== until : v === ~until; v = Atomics.load(word, at)) {
    Atomics.wait(word, at, v);
  }
  return budget;
}

/**
 * Claims and runs items of the current job until none is left: the same code on the caller and in
 * the workers (its source is inlined into the worker's script, hence the layout's numbers written
 * out). `kernel` gives the export of an item's function index and call; thread `t` of `T` starts at its
 * own share. An item that throws marks the job failed and still counts as finished, so the job always ends.
 */
function work(job: Int32Array, claims: Int32Array, kernel: (fn: number, call: number) => (...a: number[]) => void,
  t: number, T: number): void {
  const open = 2 * Atomics.load(job, 0), count = Math.min(job[3], 1024), calls = Math.min(job[5], 8);
  for (let c = 0; c < calls; c++) {
    const first = job[6 + 2 * c], m = job[7 + 2 * c], home = Math.floor((t * m) / T);
    for (let k = 0; k < m; k++) {
      const i = first + (home + k < m ? home + k : home + k - m);
      // (a thread late from an earlier job may read a later job's table: its claims then all fail)
      if (i >= 1024 || Atomics.compareExchange(claims, i, open, open + 1) !== open) continue;
      const r = 22 + 17 * i, n = job[r + 2], postAt = job[r + 3], post = job[r + 4];
      // A fixed arity (the kernels take at most 12 arguments; extra ones are ignored, missing ones are 0):
      // a call with spread arguments into WebAssembly costs microseconds, as much as a small item.
      const a = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
      for (let j = 0; j < n; j++) a[j] = job[r + 5 + j];
      for (let j = 0; j < post; j++) a[n + j] = job[postAt + t * post + j];
      try {
        kernel(job[r], job[r + 1])(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
      } catch { job[2] = 1; }
      if (Atomics.add(job, 1, 1) + 1 === count) Atomics.notify(job, 1);
    }
  }
}

/** The worker's script: plain JavaScript, nothing imported, so that any host can start it from text. */
const WORKER_SOURCE = `
const work = ${work.toString()};
const waitFor = ${waitFor.toString()};
self.onmessage = (event) => {
  const { module, memory, job, claims, wake, index, threads, names } = event.data;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const fns = names.map((n) => exports[n]);
  const jobs = new Int32Array(job), items = new Int32Array(claims), ctl = new Int32Array(wake);
  let seq = 0, budget = ${SPIN_US};
  for (;;) {
    budget = waitFor(ctl, 0, ~seq, budget, Atomics.load(jobs, 4));
    seq = Atomics.load(ctl, 0);
    if (seq < 0) return;
    work(jobs, items, (fn) => fns[fn], index, threads);
  }
};
`;

/** One call of a job: export `name` once per item, as own(...pre, ...item, ...post[t]) on thread t. */
export interface ThreadCall {
  name: string;
  pre: number[];
  items: number[][];
  post: number[][];
  own: (...a: number[]) => void;
}

export class KernelThreads {
  private readonly job = new Int32Array(new SharedArrayBuffer(4 * JOB_SLOTS));
  private readonly claims = new Int32Array(new SharedArrayBuffer(4 * MAX_ITEMS));
  private readonly wakes: Int32Array[];
  private readonly workers: HostWorker[];
  private seq = 0;
  private budget = SPIN_US;
  /** Whether the threads spin before they sleep (false: they sleep at once, for comparisons). */
  spin = true;

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
    this.runAll([{ name, pre, items, post, own }]);
  }

  /**
   * Runs the items of several calls as one job (each as `run` would): the calls must not read what
   * another of them writes, since their items run in any order, at the same time.
   */
  runAll(calls: ThreadCall[]): void {
    const job = this.job, names = calls.map((c) => c.name).join(' + ');
    let count = 0, at = HEAD;
    for (const c of calls) { count += c.items.length; at += this.size * (c.post[0]?.length ?? 0); }
    if (calls.length > MAX_CALLS || count > MAX_ITEMS || at + count * RECORD > JOB_SLOTS) {
      throw new Error(`kernel ${names}: too many items for one job`);
    }
    at += count * RECORD;
    let r = HEAD;
    calls.forEach((c, call) => {
      const fn = this.names.indexOf(c.name), width = c.post[0]?.length ?? 0, postAt = at;
      if (fn < 0) throw new Error(`kernel ${c.name} is not shared with the worker threads`);
      job[CALLS + 1 + 2 * call] = (r - HEAD) / RECORD; job[CALLS + 2 + 2 * call] = c.items.length;
      for (let t = 0; t < this.size; t++) { job.set(c.post[t] ?? [], at); at += width; }
      for (const item of c.items) {
        const n = c.pre.length + item.length;
        if (n + width > MAX_ARGS) throw new Error(`kernel ${c.name}: more than ${MAX_ARGS} arguments`);
        job[r] = fn; job[r + 1] = call; job[r + 2] = n; job[r + 3] = postAt; job[r + 4] = width;
        job.set(c.pre, r + 5); job.set(item, r + 5 + c.pre.length);
        r += RECORD;
      }
    });
    job[FINISHED] = 0; job[ERROR] = 0; job[COUNT] = count; job[CALLS] = calls.length;
    job[SPIN] = this.spin ? SPIN_US : 0;
    this.seq = (this.seq + 1) & SEQ_MASK;
    this.claims.fill(2 * this.seq, 0, count);
    // The sequence is published last (a sequentially consistent store): a claim sees the fields above.
    Atomics.store(job, SEQ, this.seq);
    for (const wake of this.wakes) { Atomics.add(wake, 0, 1); Atomics.notify(wake, 0); }
    work(job, this.claims, (_, call) => calls[call]!.own, 0, this.size);
    this.budget = waitFor(job, FINISHED, count, this.budget, job[SPIN]!);
    if (job[ERROR]) throw new Error(`kernel ${names} failed`);
  }

  terminate(): void {
    for (const wake of this.wakes) { Atomics.store(wake, 0, -1); Atomics.notify(wake, 0); }
    for (const w of this.workers) w.terminate();
  }
}
