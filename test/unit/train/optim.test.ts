// Three full optimiser steps of a small CNN (residual add, a conv called twice, concatenation,
// BatchNorm) from PyTorch's initial weights: the loss before each step and every state_dict entry
// after it match PyTorch within 1e-4, with the TypeScript and with the WebAssembly kernels. frozen.json
// is the same CNN fine-tuned (a frozen stem, one frozen bias): its frozen parameters stay bit for bit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphNode, ModelReport } from '../../../engine/report/types';
import { buildNetwork } from '../../../engine/train/graph/build';
import { selectKernels } from '../../../engine/train/kernels/select';
import { CrossEntropy } from '../../../engine/train/loss/cross-entropy';
import { makeOptimizer, type OptimizerOptions } from '../../../engine/train/optim/optimizer';
import { Rng } from '../../../engine/train/tensor/rng';
import { assertClose, fixture, fromFixture, type FixtureTensor } from './helpers';

interface Optim {
  graph: GraphNode[];
  parameters: ModelReport['parameters'];
  input: FixtureTensor;
  labels: number[];
  init: Record<string, FixtureTensor>;
  runs: Array<{ name: string; optimizer: OptimizerOptions; losses: number[]; after: Array<Record<string, FixtureTensor>> }>;
}

for (const [file, what] of [['optim.json', 'a small CNN'], ['frozen.json', 'a small CNN with frozen parameters']]) {
  const fx = fixture<Optim>(file);
  for (const kernels of ['ts', 'wasm'] as const) for (const run of fx.runs) threeSteps(fx, run, what, kernels);
}

function threeSteps(fx: Optim, run: Optim['runs'][number], what: string, kernels: 'ts' | 'wasm'): void {
  test(`three ${run.name} steps of ${what} match PyTorch (${kernels} kernels)`, async () => {
    await selectKernels(kernels);
    const net = buildNetwork(fx);
    assert.deepEqual(net.state.map((e) => e.name), fx.parameters.map((p) => p.name), 'state_dict order');
    for (const e of net.state) e.value.set(fx.init[e.name].data);
    const frozen = net.params.filter((p) => !p.trainable), before = frozen.map((p) => Float32Array.from(p.value));
    assert.deepEqual(frozen.map((p) => p.name), fx.parameters.filter((p) => !p.trainable && net.params.some((q) => q.name === p.name)).map((p) => p.name));
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
