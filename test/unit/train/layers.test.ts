// Every layer and op against PyTorch: forward output, input gradients, parameter gradients and
// BatchNorm running statistics, over the grid in fixtures/make_fixtures.py, within 1e-4 relative.
// Each case goes through buildNetwork from the same graph nodes the analyzer emits, and runs with
// the TypeScript kernels and with the WebAssembly SIMD kernels on one thread and on two.
import { test } from 'node:test';
import type { GraphNode } from '../../../engine/report/types';
import { buildNetwork } from '../../../engine/train/graph/build';
import { Rng } from '../../../engine/train/tensor/rng';
import { KERNEL_PATHS, assertClose, fixture, fromFixture, useKernels, type FixtureTensor } from './helpers';

interface Case {
  name: string;
  train: boolean;
  graph: GraphNode[];
  inputs: FixtureTensor[];
  params: Record<string, FixtureTensor>;
  buffers: Record<string, FixtureTensor>;
  output: FixtureTensor;
  dy: FixtureTensor;
  inputGrads: FixtureTensor[];
  paramGrads: Record<string, FixtureTensor>;
  buffersAfter: Record<string, FixtureTensor>;
}

// catalogue.json (make_catalogue_fixtures.py): the layers and ops added for issue 15, in the same records;
// winograd.json (make_winograd_fixtures.py): 3×3 convolutions that the WebAssembly kernels run through Winograd.
const cases = [...fixture<{ cases: Case[] }>('layers.json').cases, ...fixture<{ cases: Case[] }>('catalogue.json').cases,
  ...fixture<{ cases: Case[] }>('winograd.json').cases];
const REL = 1e-4;

for (const kernels of KERNEL_PATHS) for (const c of cases) {
  test(`${c.name} matches PyTorch (${kernels.name} kernels)`, async () => {
    await useKernels(kernels);
    const parameters = [...Object.entries(c.params), ...Object.entries(c.buffers)].map(([name, t]) => ({ name, shape: t.shape, trainable: name in c.params }));
    const net = buildNetwork({ graph: c.graph, parameters });
    for (const e of net.state) {
      const src = c.params[e.name] ?? c.buffers[e.name];
      if (!src) throw new Error(`no fixture value for ${e.name}`);
      e.value.set(src.data);
    }
    // Input gradients are wanted too: mark the inputs as needing them.
    for (const n of net.nodes) if (!n.layer) n.needsGrad = true;
    for (const n of net.nodes) if (n.layer) n.needsGrad = true;
    const y = net.forward(c.inputs.map(fromFixture), { training: c.train, rng: new Rng(0) });
    assertClose(y.shape, c.output.shape, 0, 'output shape');
    assertClose(y.data, c.output.data, REL, 'output');
    for (const [name, t] of Object.entries(c.buffersAfter)) {
      assertClose(net.state.find((e) => e.name === name)!.value, t.data, REL, name);
    }
    net.zeroGrad();
    const grads = net.backwardInputs(fromFixture(c.dy));
    c.inputGrads.forEach((g, i) => assertClose(grads[i]!.data, g.data, REL, `input ${i} gradient`));
    for (const [name, g] of Object.entries(c.paramGrads)) assertClose(net.params.find((p) => p.name === name)!.grad, g.data, REL, `${name} gradient`);
  });
}
