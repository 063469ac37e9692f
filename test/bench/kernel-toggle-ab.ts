// In-process A/B of a switch of the WebAssembly kernels (a boolean field of WasmKernels, e.g. `winograd4`):
// one network, one batch, the same memory; blocks of training steps alternate the switch off and on (the
// order of each pair alternating too), so the machine's other load falls on both sides alike. Prints, per
// side, the median over blocks of the process's CPU ms per step (all threads), the wall ms and the main
// thread's CPU ms per step, and the median of the pairs' ratios on / off:
//   tsx test/bench/kernel-toggle-ab.ts MODEL.py --toggle winograd4 --batch 32 --threads 1 --pairs 8 --steps 4
import { readFileSync } from 'node:fs';
import { nodeHost } from '../../engine/cli/node-files';
import { nodeWorkerHost } from '../../engine/cli/node-host';
import { analyzeDocument } from '../../engine/notebook/analyze-notebook';
import { buildNetwork } from '../../engine/train/graph/build';
import { selectKernels, wasmKernels } from '../../engine/train/kernels/select';
import { setWorkerHost } from '../../engine/train/kernels/worker-host';
import { benchStep } from './bench-step';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

/** The main thread's CPU seconds (Linux's schedstat; NaN elsewhere). */
const mainCpu = (): number => {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return NaN;
  }
};

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const file = process.argv[2], batch = Number(arg('--batch', '32')), threads = Number(arg('--threads', '1'));
  const toggle = arg('--toggle', 'winograd4'), pairs = Number(arg('--pairs', '8')), steps = Number(arg('--steps', '4'));
  const model = analyzeDocument(file, readFileSync(file, 'utf8'), { host: nodeHost }).models[0];
  if (!model) throw new Error(`${file}: no model`);
  const net = buildNetwork(model);
  setWorkerHost(nodeWorkerHost);
  await selectKernels('wasm', threads);
  const k = wasmKernels() as unknown as Record<string, boolean>;
  if (typeof k[toggle] !== 'boolean') throw new Error(`WasmKernels has no switch ${toggle}`);
  const step = benchStep(net, batch);
  /** CPU, wall and main-thread CPU ms per step of one block with the switch set to `on`. */
  const block = (on: boolean): number[] => {
    k[toggle] = on;
    step();
    const c0 = process.cpuUsage(), w0 = performance.now(), m0 = mainCpu();
    for (let i = 0; i < steps; i++) step();
    const c = process.cpuUsage(c0);
    return [(c.user + c.system) / 1e3 / steps, (performance.now() - w0) / steps, ((mainCpu() - m0) * 1e3) / steps];
  };
  for (const on of [false, true]) block(on);
  const off: number[][] = [], on: number[][] = [];
  for (let p = 0; p < pairs; p++) {
    if (p % 2) { on.push(block(true)); off.push(block(false)); } else { off.push(block(false)); on.push(block(true)); }
  }
  const col = (rows: number[][], i: number) => rows.map((r) => r[i]!);
  const ratios = (i: number) => on.map((r, p) => r[i]! / off[p]![i]!);
  const fmt = (v: number) => v.toFixed(1);
  console.log(JSON.stringify({
    model: file, batch, threads, toggle, pairs, steps,
    cpuMs: [fmt(median(col(off, 0))), fmt(median(col(on, 0)))], cpuRatio: median(ratios(0)).toFixed(3),
    wallMs: [fmt(median(col(off, 1))), fmt(median(col(on, 1)))], wallRatio: median(ratios(1)).toFixed(3),
    mainCpuMs: [fmt(median(col(off, 2))), fmt(median(col(on, 2)))], mainCpuRatio: median(ratios(2)).toFixed(3),
    cpuRatios: ratios(0).map((r) => r.toFixed(3)),
  }));
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
