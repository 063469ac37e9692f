// Times the engine's training steps on a benchmark model file, the same work as torch_train_bench.py
// (SGD momentum 0.9, lr 0.01, cross-entropy, a fixed random batch, forward + backward + step), and
// prints the same JSON line. Run in its own process by train.bench.ts so that its peak RSS is the
// run's own: tsx test/bench/engine-train-step.ts MODEL.py --batch 32 --threads 1|2 --seconds 3 [--fused 0] [--resident 0]
// [--spin 0]
import { readFileSync } from 'node:fs';
import { nodeHost } from '../../engine/cli/node-files';
import { nodeWorkerHost } from '../../engine/cli/node-host';
import { analyzeDocument } from '../../engine/notebook/analyze-notebook';
import { buildNetwork } from '../../engine/train/graph/build';
import { kernelThreads, selectKernels, wasmKernels } from '../../engine/train/kernels/select';
import { setWorkerHost } from '../../engine/train/kernels/worker-host';
import { benchStep } from './bench-step';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

/**
 * The calling (main) thread's CPU seconds and seconds spent ready but not running (waiting for a core
 * the machine's other load holds), from Linux's schedstat (NaN elsewhere). With kernel threads, the
 * main thread runs everything that is not split plus its own share of what is, so images per
 * main-thread CPU-second is the wall-clock rate a machine with a free core per thread would give if the
 * main thread never waited for a worker; the rest of the wall time (neither running nor ready) is the
 * time it slept waiting for the workers' items.
 */
function mainThreadSched(): { cpu: number; ready: number } {
  try {
    const [cpu, ready] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { cpu: cpu / 1e9, ready: ready / 1e9 };
  } catch {
    return { cpu: NaN, ready: NaN };
  }
}

async function main(): Promise<void> {
  const file = process.argv[2], batch = Number(arg('--batch', '32')), seconds = Number(arg('--seconds', '3'));
  const threads = Number(arg('--threads', '1'));
  const report = analyzeDocument(file, readFileSync(file, 'utf8'), { host: nodeHost });
  const model = report.models[0];
  if (!model) throw new Error(`${file}: no model`);
  const net = buildNetwork(model);
  setWorkerHost(nodeWorkerHost);
  const kernels = await selectKernels(arg('--kernels', 'auto') as 'auto' | 'ts' | 'wasm', threads, arg('--fused', '1') === '1', arg('--resident', '1') === '1');
  const wasm = wasmKernels();
  if (wasm) wasm.spin = arg('--spin', '1') === '1';
  const step = benchStep(net, batch);
  for (let i = 0; i < 3; i++) step();
  const m0 = mainThreadSched(), c0 = process.cpuUsage(), w0 = performance.now();
  const cpu = () => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1e6; };
  let steps = 0;
  while (cpu() < seconds || steps < 3) { step(); steps++; }
  const c = cpu(), w = (performance.now() - w0) / 1000, m1 = mainThreadSched(), m = m1.cpu - m0.cpu, ready = m1.ready - m0.ready;
  console.log(JSON.stringify({
    imagesPerCpuSecond: (steps * batch) / c, imagesPerSecond: (steps * batch) / w, steps,
    imagesPerMainThreadCpuSecond: (steps * batch) / m,
    /** Shares of the wall time the main thread was ready but not running, and asleep waiting for workers. */
    mainReadyShare: ready / w, mainWaitShare: (w - m - ready) / w,
    peakRssMB: process.resourceUsage().maxRSS / 1024, threads: kernelThreads(), kernels, fused: wasmKernels()?.fused ?? false,
    resident: wasmKernels()?.heap.resident ?? false,
  }));
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
