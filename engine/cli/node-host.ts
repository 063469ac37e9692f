// worker_threads for the training kernels (nodeWorkerHost), and the V8 flag their WebAssembly needs on Node 20.
// Reading files is node-files.ts: the analysis worker needs it, and must not set this process-wide flag (its
// V8 code cache, codeCache.ts, is refused when the flags differ from when it was made).
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { WorkerHost } from '../train/kernels/worker-host';

// Relaxed SIMD (the kernels' fused multiply-add build) is behind a flag in Node 20's V8 11.3 and on by
// default from V8 11.4 (VS Code's Electron), whose later versions may not know the flag: set only
// before 11.4, before any module compiles. Where relaxed SIMD does not validate, the plain build runs
// (wasm-kernels.ts).
const [v8Major, v8Minor] = process.versions.v8.split('.').map(Number);
if (v8Major < 11 || (v8Major === 11 && v8Minor < 4)) setFlagsFromString('--experimental-wasm-relaxed-simd');

/**
 * worker_threads for the kernels' worker script, which is written for a browser-style worker
 * (`self.onmessage`): it runs with a `self` that takes its handler from the parent port. The workers
 * are unref'd, so an idle one never keeps the process alive.
 */
export const nodeWorkerHost: WorkerHost = {
  cores: availableParallelism(),
  start(source) {
    const shim = "{ set onmessage(f) { require('node:worker_threads').parentPort.on('message', (data) => f({ data })); } }";
    const w = new Worker(`(function (self) {\n${source}\n})(${shim});`, { eval: true });
    w.unref();
    return { postMessage: (m) => w.postMessage(m), terminate: () => void w.terminate() };
  },
};
