// The layers' buffers resident in the WebAssembly module's memory (kernels/wasm/wasm-heap.ts,
// tensor/floats.ts): what the heap hands out never overlaps a kernel call's scratch, a block given
// back serves the next request of its size, an own (unshared) memory hands out nothing, and training a
// real model (ResNet-20-type, residual adds, stride-2 and 1×1 shortcuts, BatchNorm, pooling, a linear
// head; its parameters and the optimiser's momentum too) gives the same bits with its buffers resident,
// in JavaScript memory, and on 2 threads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeHost } from '../../../engine/cli/node-files';
import { nodeWorkerHost } from '../../../engine/cli/node-host';
import type { GraphNode } from '../../../engine/report/types';
import { analyzeDocument } from '../../../engine/notebook/analyze-notebook';
import { buildNetwork } from '../../../engine/train/graph/build';
import { initParams } from '../../../engine/train/init/init';
import { selectKernels, wasmKernels } from '../../../engine/train/kernels/select';
import { WasmHeap } from '../../../engine/train/kernels/wasm/wasm-heap';
import { setWorkerHost } from '../../../engine/train/kernels/worker-host';
import { CrossEntropy } from '../../../engine/train/loss/cross-entropy';
import { makeOptimizer } from '../../../engine/train/optim/optimizer';
import { floats } from '../../../engine/train/tensor/floats';
import { Rng } from '../../../engine/train/tensor/rng';
import { tensor } from '../../../engine/train/tensor/tensor';

const sharedMemory = (): WebAssembly.Memory => new WebAssembly.Memory({ initial: 1, maximum: 1024, shared: true });

test('a resident block made while a call runs lies above that call\'s scratch, and the next call\'s scratch above every block', () => {
  const heap = new WasmHeap(sharedMemory(), true);
  heap.begin();
  const scratch = heap.alloc(100_000);
  heap.f32.fill(7, scratch >> 2, (scratch >> 2) + 100_000);
  const a = heap.take(50_000)!;
  assert.ok(a.byteOffset >= scratch + 4 * 100_000, `block at ${a.byteOffset}, scratch ends at ${scratch + 4 * 100_000}`);
  assert.ok(a.every((v) => v === 0), 'a new block is zeroed');
  assert.ok(heap.f32.subarray(scratch >> 2, (scratch >> 2) + 100_000).every((v) => v === 7), 'the call\'s staged values are intact');
  a.fill(3);
  heap.alloc(10_000);
  heap.end();
  const b = heap.take(1000)!;
  assert.equal(b.byteOffset, a.byteOffset + 4 * 50_000 + 16, 'between calls a block follows the last one');
  heap.begin();
  const next = heap.alloc(200_000);
  assert.ok(next >= b.byteOffset + 4 * b.length, 'the next call stages above the blocks');
  heap.f32.fill(-1, next >> 2, (next >> 2) + 200_000);
  assert.ok(a.every((v) => v === 3), 'the block keeps its values');
  assert.equal(heap.addressOf(a), a.byteOffset);
  assert.equal(heap.addressOf(new Float32Array(4)), -1, 'a JavaScript array is not in the module');
});

test('a block given back serves the next request of its size, zeroed; other arrays are not taken', () => {
  const heap = new WasmHeap(sharedMemory(), true);
  const a = heap.take(1000)!, b = heap.take(1000)!;
  a.fill(5);
  heap.give(a);
  heap.give(new Float32Array(1000));
  heap.give(b.subarray(0, 500));
  const c = heap.take(1000)!;
  assert.equal(c.byteOffset, a.byteOffset);
  assert.ok(c.every((v) => v === 0));
  assert.notEqual(heap.take(1000)!.byteOffset, b.byteOffset, 'b was never given back (only a view of part of it)');
});

test('a block over memory an earlier call staged in is zeroed, also where it reaches past it into memory never used', () => {
  const heap = new WasmHeap(sharedMemory(), true);
  heap.begin();
  const at = heap.alloc(1000);
  heap.f32.fill(9, at >> 2, (at >> 2) + 1000);
  heap.end();
  const a = heap.take(3000)!;
  assert.equal(a.byteOffset, at, 'the block takes the place of the ended call\'s scratch');
  assert.ok(a.every((v) => v === 0));
});

test('an own (unshared) memory hands out no resident blocks: its views would detach when it grows', () => {
  const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1 }), false);
  assert.equal(heap.take(10), null);
});

test('nothing is handed out at address 0, which the kernels take for "none", in a shared memory or an own one', () => {
  const heap = new WasmHeap(sharedMemory(), true);
  assert.notEqual(heap.take(10)!.byteOffset, 0);
  const own = new WasmHeap(new WebAssembly.Memory({ initial: 1 }), false);
  own.begin();
  assert.notEqual(own.alloc(10), 0);
});

test('a convolution\'s input gradient in the heap\'s first block is computed (at address 0 it stayed zeros)', async () => {
  // A fresh kernel set (no other test of this file asks for the plain build): its first block, given
  // back, is the next of its size, which only the input gradient (2·2·6·6 values) has here.
  await selectKernels('wasm', 1, false);
  const heap = wasmKernels()!.heap, first = heap.take(144)!;
  heap.give(first);
  const cfg = { in_channels: 2, out_channels: 3, kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, bias: true };
  const graph: GraphNode[] = [
    { id: 0, kind: 'input', type: 'input', config: {}, inputs: [], outputShape: ['N', 2, 6, 6], line: 1 },
    { id: 1, kind: 'module', type: 'Conv2d', path: 'conv', config: cfg, inputs: [0], outputShape: null, line: 2 },
  ];
  const inputGrad = (): { dx: Float32Array; at: number } => {
    const rng = new Rng(23), net = buildNetwork({ graph, parameters: [] });
    for (const n of net.nodes) n.needsGrad = true;
    for (const p of net.params) p.value.set(Float32Array.from(p.value, () => rng.normal()));
    const x = tensor([2, 2, 6, 6], Float32Array.from({ length: 144 }, () => rng.normal()));
    const y = net.forward(x, { training: true, rng });
    const dx = net.backwardInputs(tensor(y.shape, Float32Array.from(y.data, () => rng.normal())))[0]!.data;
    return { dx: dx.slice(), at: wasmKernels()?.heap.addressOf(dx) ?? -1 };
  };
  const got = inputGrad();
  assert.equal(got.at, first.byteOffset, 'the input gradient took the heap\'s first block');
  await selectKernels('ts');
  const want = inputGrad().dx;
  assert.ok(want.some((v) => v !== 0));
  got.dx.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-4, `dx[${i}]: WebAssembly ${v}, TypeScript ${want[i]}`));
});

/** Parameters after 3 SGD-momentum steps of the ResNet-20-type bench model on a batch of 6, and whether its output and parameters were resident. */
async function trainResNet(threads: number, resident: boolean): Promise<{ params: Float32Array[]; resident: boolean; pool: number }> {
  setWorkerHost(nodeWorkerHost);
  await selectKernels('wasm', threads, true, resident);
  const file = join(__dirname, '../../bench/models/resnet20.py');
  const net = buildNetwork(analyzeDocument(file, readFileSync(file, 'utf8'), { host: nodeHost }).models[0]);
  net.placeParams();
  const rng = new Rng(3);
  initParams(net.params, 'default', rng);
  const x = tensor([6, 3, 32, 32], Float32Array.from({ length: 6 * 3 * 32 * 32 }, () => rng.normal()));
  const labels = Int32Array.from({ length: 6 }, () => rng.int(10));
  const opt = makeOptimizer(net.trained, { name: 'sgd', lr: 0.05, momentum: 0.9 }), ce = new CrossEntropy();
  let out = x;
  for (let i = 0; i < 3; i++) {
    net.zeroGrad();
    out = net.forward(x, { training: true, rng });
    net.backward(ce.compute(out, labels).grad);
    opt.step();
  }
  const heap = wasmKernels()!.heap;
  return {
    params: net.params.map((p) => p.value.slice()), pool: net.pool.made,
    resident: heap.addressOf(out.data) >= 0 && net.params.every((p) => heap.addressOf(p.value) >= 0),
  };
}

test('training with the layers\' buffers resident gives the bits of training with them in JavaScript memory, on 1 and 2 threads', async () => {
  const plain = await trainResNet(1, false);
  assert.equal(plain.resident, false);
  for (const threads of [1, 2]) {
    const run = await trainResNet(threads, true);
    assert.equal(run.resident, true, `${threads} thread(s): the layers' outputs and the parameters live in the module's memory`);
    run.params.forEach((p, i) => assert.deepEqual(p, plain.params[i], `${threads} thread(s): parameter ${i}`));
    // Resident buffers are views of one memory: the backward gave none back to its pool when it compared
    // their ArrayBuffers (1,344,000 floats made at batch 8 against 918,016 in JavaScript memory).
    assert.equal(run.pool, plain.pool, `${threads} thread(s): gradient buffers made during backward`);
  }
  // Outside the WebAssembly kernels the buffers are plain arrays again.
  await selectKernels('ts');
  assert.equal(floats(8).buffer instanceof ArrayBuffer, true);
});
