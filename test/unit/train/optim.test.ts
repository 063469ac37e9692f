// Three full optimiser steps of a small CNN (residual add, a conv called twice, concatenation,
// BatchNorm) from PyTorch's initial weights: the loss before each step and every state_dict entry
// after it match PyTorch within 1e-4, with the TypeScript and with the WebAssembly kernels. frozen.json
// is the same CNN fine-tuned by small_cnn_finetune.py (a frozen stem, one frozen bias), trained from
// what ConvLens's analyser reports for that file: its frozen parameters stay bit for bit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyzeSource } from '../../../engine/analyze';
import type { GraphNode, ModelReport } from '../../../engine/report/types';
import { buildNetwork } from '../../../engine/train/graph/build';
import { CrossEntropy } from '../../../engine/train/loss/cross-entropy';
import { makeOptimizer, type OptimizerOptions } from '../../../engine/train/optim/optimizer';
import { Rng } from '../../../engine/train/tensor/rng';
import { KERNEL_PATHS, assertClose, fixture, fromFixture, useKernels, type FixtureTensor, type KernelPath } from './helpers';

interface Optim {
  graph: GraphNode[];
  parameters: ModelReport['parameters'];
  input: FixtureTensor;
  labels: number[];
  init: Record<string, FixtureTensor>;
  runs: Array<{ name: string; optimizer: OptimizerOptions; losses: number[]; after: Array<Record<string, FixtureTensor>> }>;
}

type Model = Pick<ModelReport, 'graph' | 'parameters'>;
const plain = fixture<Optim>('optim.json'), frozen = fixture<Optim>('frozen.json');
const finetune = join(__dirname, 'fixtures', 'small_cnn_finetune.py');
const analysed: Model = analyzeSource(finetune, readFileSync(finetune, 'utf8')).models[0];

for (const kernels of KERNEL_PATHS) {
  for (const run of plain.runs) threeSteps(plain, plain, run, 'a small CNN', kernels);
  for (const run of frozen.runs) threeSteps(frozen, analysed, run, 'the small CNN fine-tuned by small_cnn_finetune.py', kernels);
}

function threeSteps(fx: Optim, model: Model, run: Optim['runs'][number], what: string, kernels: KernelPath): void {
  test(`three ${run.name} steps of ${what} match PyTorch (${kernels.name} kernels)`, async () => {
    await useKernels(kernels);
    const net = buildNetwork(model);
    const names = net.state.map((e) => e.name), torch = fx.parameters.map((p) => p.name);
    // the analyser lists parameters only, so BatchNorm's buffers come after them (load_state_dict goes by name)
    if (model === fx) assert.deepEqual(names, torch, 'state_dict order');
    else assert.deepEqual([...names].sort(), [...torch].sort(), 'state_dict entries');
    for (const e of net.state) e.value.set(fx.init[e.name].data);
    const frozen = net.params.filter((p) => !p.trainable), before = frozen.map((p) => Float32Array.from(p.value));
    const params = new Set(net.params.map((p) => p.name));
    assert.deepEqual(frozen.map((p) => p.name), fx.parameters.filter((p) => params.has(p.name) && !p.trainable).map((p) => p.name), 'requires_grad False in PyTorch');
    const opt = makeOptimizer(net.trained, run.optimizer), ce = new CrossEntropy(), x = fromFixture(fx.input);
    for (let step = 0; step < 3; step++) {
      net.zeroGrad();
      const r = ce.compute(net.forward(x, { training: true, rng: new Rng(0) }), fx.labels);
      assertClose([r.loss], [run.losses[step]], 1e-4, `loss before step ${step + 1}`);
      net.backward(r.grad);
      opt.step();
      for (const e of net.state) assertClose(e.value, run.after[step][e.name].data, 1e-4, `${e.name} after step ${step + 1}`);
    }
    frozen.forEach((p, i) => assert.deepEqual(p.value, before[i], `${p.name} is frozen`));
  });
}

test('SGD in the WebAssembly module (1 and 2 threads) gives the TypeScript optimiser\'s bits: momentum, dampening, Nesterov, weight decay', async () => {
  await fc.assert(fc.asyncProperty(
    fc.record({
      sizes: fc.array(fc.integer({ min: 1, max: 41 }), { minLength: 1, maxLength: 4 }), big: fc.boolean(),
      momentum: fc.constantFrom(0, 0.9), dampening: fc.constantFrom(0, 0.3), nesterov: fc.boolean(),
      weightDecay: fc.constantFrom(0, 5e-4), lr: fc.constantFrom(0.1, 0.013), seed: fc.nat(),
    }),
    async ({ sizes, big, momentum, dampening, nesterov, weightDecay, lr, seed }) => {
      if (nesterov && (momentum === 0 || dampening !== 0)) return;
      // 70,001 values split across the threads (not a multiple of the vector width).
      const lengths = big ? [...sizes, 70_001] : sizes, results: Float32Array[][] = [];
      for (const path of KERNEL_PATHS) {
        await useKernels(path);
        const rng = new Rng(seed);
        const params = lengths.map((n, i) => ({
          name: `p${i}`, shape: [n], role: { kind: 'const' as const, value: 0 }, trainable: true,
          value: Float32Array.from({ length: n }, () => rng.normal() * 2 ** Math.round(rng.normal() * 8)),
          grad: new Float32Array(n),
        }));
        const opt = makeOptimizer(params, { name: 'sgd', lr, momentum, dampening, nesterov, weightDecay });
        for (let step = 0; step < 3; step++) {
          for (const p of params) p.grad.set(Float32Array.from(p.grad, () => rng.normal()));
          opt.step();
        }
        results.push([...params.map((p) => p.value), ...opt.exportState().slots.momentum_buffer.map((b) => b ?? new Float32Array(0))]);
      }
      for (let k = 1; k < results.length; k++) results[k].forEach((t, i) => assert.deepEqual(t, results[0][i], `${KERNEL_PATHS[k].name}: array ${i}`));
    }), { numRuns: 40 });
});
