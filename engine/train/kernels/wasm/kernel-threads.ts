// Worker threads that run the WebAssembly kernels on the same shared memory as the calling thread.
// Each worker instantiates the shared-memory build of the module and then waits on its own control
// block (an Int32Array on a SharedArrayBuffer): [sequence, done, function, argument count, error,
// arguments…]. `run` writes each worker's call, wakes it, makes its own call, and waits until every
// worker has marked the sequence done. Only calls whose ranges write disjoint memory are split this
// way (wasm-kernels.ts), so the result never depends on which thread finishes first.
import type { HostWorker, WorkerHost } from '../worker-host';

const SEQ = 0, DONE = 1, FN = 2, ARGC = 3, ERROR = 4, ARGS = 5, SLOTS = 32;

/** The worker's script: plain JavaScript, nothing imported, so that any host can start it from text. */
const WORKER_SOURCE = `
self.onmessage = (event) => {
  const { module, memory, control, names } = event.data;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const fns = names.map((n) => exports[n]);
  const ctl = new Int32Array(control);
  let seq = 0;
  for (;;) {
    Atomics.wait(ctl, ${SEQ}, seq);
    seq = Atomics.load(ctl, ${SEQ});
    if (seq < 0) return;
    const args = [];
    for (let i = 0; i < ctl[${ARGC}]; i++) args.push(ctl[${ARGS} + i]);
    try { fns[ctl[${FN}]](...args); } catch (e) { ctl[${ERROR}] = 1; }
    Atomics.store(ctl, ${DONE}, seq);
    Atomics.notify(ctl, ${DONE});
  }
};
`;

export class KernelThreads {
  private readonly controls: Int32Array[];
  private readonly workers: HostWorker[];

  /** Starts `count` workers on `memory` running `module`; `names` are the exports `run` may call. */
  constructor(host: WorkerHost, count: number, module: WebAssembly.Module, memory: WebAssembly.Memory, private readonly names: string[]) {
    this.controls = Array.from({ length: count }, () => new Int32Array(new SharedArrayBuffer(4 * SLOTS)));
    this.workers = this.controls.map((ctl) => {
      const w = host.start(WORKER_SOURCE);
      w.postMessage({ module, memory, control: ctl.buffer, names });
      return w;
    });
  }

  /** Threads including the calling one. */
  get size(): number {
    return this.workers.length + 1;
  }

  /** Calls `own(args[0])` on this thread and export `name` with args[t] on worker t − 1, and returns when all are done. */
  run(name: string, args: number[][], own: (...a: number[]) => void): void {
    const fn = this.names.indexOf(name);
    if (fn < 0) throw new Error(`kernel ${name} is not shared with the worker threads`);
    const busy: Array<[Int32Array, number]> = [];
    for (let t = 1; t < args.length; t++) {
      const ctl = this.controls[t - 1], a = args[t];
      if (a.length > SLOTS - ARGS) throw new Error(`kernel ${name}: too many arguments`);
      ctl[FN] = fn; ctl[ARGC] = a.length; ctl[ERROR] = 0;
      ctl.set(a, ARGS);
      const seq = ctl[SEQ] + 1;
      Atomics.store(ctl, SEQ, seq);
      Atomics.notify(ctl, SEQ);
      busy.push([ctl, seq]);
    }
    own(...args[0]);
    for (const [ctl, seq] of busy) {
      for (let d = Atomics.load(ctl, DONE); d !== seq; d = Atomics.load(ctl, DONE)) Atomics.wait(ctl, DONE, d);
      if (ctl[ERROR]) throw new Error(`kernel ${name} failed in a worker thread`);
    }
  }

  terminate(): void {
    for (const ctl of this.controls) { Atomics.store(ctl, SEQ, -1); Atomics.notify(ctl, SEQ); }
    for (const w of this.workers) w.terminate();
  }
}
