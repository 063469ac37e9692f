// The side-by-side measurement of issue 15: the engine against PyTorch (Debian's python3-torch) on
// the same model files (test/bench/models/*.py), the same step (SGD momentum, cross-entropy, a random
// batch), batch 32 and 128, interleaved run by run so that load from other work on the machine hits
// both sides alike. Two comparisons per model and batch:
//   per CPU-second: the engine on one thread against PyTorch pinned to one thread;
//   wall clock:     the engine on every core against PyTorch with two threads; beside it the engine's
//                   images per CPU-second of its main thread, the rate it would reach with a free core
//                   per thread (load moves wall time, not that), and both sides' rate over the wall time
//                   less the time their main thread was ready but not running (waiting for a core that
//                   other load held; Linux's schedstat): a wall-clock figure that load moves less, but
//                   that favours a main thread that stays runnable (working, spinning) over one that
//                   sleeps while its workers run, since only a runnable thread accrues ready time.
// Each run is its own process, so the peak RSS printed is that run's. The load average is printed
// next to every figure: on a shared machine wall-clock figures are noisy.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

export interface StepFigures {
  imagesPerCpuSecond: number;
  imagesPerSecond: number;
  steps: number;
  peakRssMB: number;
  /** The engine's only: images per CPU-second of its main thread (engine-train-step.ts). */
  imagesPerMainThreadCpuSecond?: number;
  /** Share of the wall time the main thread was ready but not running (NaN where schedstat is missing). */
  mainReadyShare?: number;
}

const here = join(__dirname);
const modelsDir = join(here, 'models');
export const BENCH_MODELS = ['lenet', 'resnet20', 'vgg_bn', 'conv1d', 'mobilenetv2'];

const pinned = (threads: number, extra: NodeJS.ProcessEnv) => ({
  ...process.env, ...extra, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads),
});

/**
 * glibc's malloc hands large freed blocks (PyTorch's 1–4 MB activations) back to the system and faults them in
 * again next step: on the 1-D net a third of PyTorch's one-thread CPU is page faults (speed20, stop 33). With these
 * thresholds it keeps them: PyTorch at its best, for `--torch-malloc-kept`.
 */
export const MALLOC_KEPT: NodeJS.ProcessEnv = { MALLOC_MMAP_THRESHOLD_: String(2 ** 30), MALLOC_TRIM_THRESHOLD_: String(2 ** 30) };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): StepFigures {
  const out = execFileSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as StepFigures;
}

export function torchRun(model: string, batch: number, threads: number, seconds: number, env: NodeJS.ProcessEnv = {}): StepFigures {
  return run('/usr/bin/python3', [join(here, 'torch_train_bench.py'), join(modelsDir, `${model}.py`), '--batch', String(batch),
    '--threads', String(threads), '--seconds', String(seconds)], pinned(threads, env));
}

export function engineRun(model: string, batch: number, threads: number, seconds: number, kernels = 'auto'): StepFigures {
  return run(process.execPath, ['--import', 'tsx', join(here, 'engine-train-step.ts'), join(modelsDir, `${model}.py`), '--batch', String(batch),
    '--threads', String(threads), '--seconds', String(seconds), '--kernels', kernels], process.env);
}

/** Images per second of wall time less the main thread's time ready but not running. */
const unready = (f: StepFigures): number => f.imagesPerSecond / (1 - (f.mainReadyShare ?? NaN));

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const f0 = (v: number): string => v.toFixed(0).padStart(6);

/** Runs the comparison and prints one line per model and batch. */
export function compareWithTorch(models: string[], batches: number[], seconds: number, torchEnv: NodeJS.ProcessEnv = {}): void {
  const cores = cpus().length;
  const malloc = Object.entries(torchEnv).map(([k, v]) => `${k}=${v}`).join(' ');
  console.log(`engine vs PyTorch ${'1.13'} (Debian python3-torch${malloc && `, ${malloc}`}), SGD momentum, random batch,`
    + ` ${seconds} CPU-s per run, ${cores} cores`);
  console.log('  model        batch | img/CPU-s: engine 1T  torch 1T  ratio | load       | img/s wall: engine all  torch 2T  ratio'
    + ' (engine per main-thread CPU-s) | less main-thread ready time: engine torch ratio | load       | peak RSS MB engine torch');
  for (const m of models) for (const b of batches) {
    // Interleaved: each pair runs back to back, the engine first once and PyTorch first once.
    const e1 = engineRun(m, b, 1, seconds), l1 = load(), t1 = torchRun(m, b, 1, seconds, torchEnv);
    const t2 = torchRun(m, b, 2, seconds, torchEnv), l2 = load(), e2 = engineRun(m, b, cores, seconds);
    console.log(`  ${m.padEnd(12)} ${String(b).padStart(5)} |           ${f0(e1.imagesPerCpuSecond)}    ${f0(t1.imagesPerCpuSecond)}  ${(e1.imagesPerCpuSecond / t1.imagesPerCpuSecond).toFixed(2)}× | ${l1} |`
      + `             ${f0(e2.imagesPerSecond)}    ${f0(t2.imagesPerSecond)}  ${(e2.imagesPerSecond / t2.imagesPerSecond).toFixed(2)}×`
      + ` (${f0(e2.imagesPerMainThreadCpuSecond ?? NaN)}) | ${f0(unready(e2))} ${f0(unready(t2))}  ${(unready(e2) / unready(t2)).toFixed(2)}×`
      + ` | ${l2} | ${f0(e1.peakRssMB)} ${f0(t1.peakRssMB)}`);
  }
}
