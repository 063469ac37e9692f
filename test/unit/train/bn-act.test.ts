// A ReLU6 and a ReLU each run inside the BatchNorm before them (graph/network.ts) against PyTorch 1.13:
// Conv2d → BatchNorm2d → ReLU6 → Conv2d → BatchNorm2d → ReLU in training, on every kernel path (the
// TypeScript one keeps the layers apart). Golden: fixtures/make_bn_act_fixture.py (ReLU6's bound of 6
// is reached by some values).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphNode } from '../../../engine/report/types';
import { buildNetwork } from '../../../engine/train/graph/build';
import { Rng } from '../../../engine/train/tensor/rng';
import { KERNEL_PATHS, assertClose, fixture, fromFixture, inputNode, useKernels, type FixtureTensor } from './helpers';

interface Golden {
  input: FixtureTensor;
  params: Record<string, FixtureTensor>;
  output: FixtureTensor;
  dy: FixtureTensor;
  inputGrad: FixtureTensor;
  paramGrads: Record<string, FixtureTensor>;
  buffersAfter: Record<string, FixtureTensor>;
  clampedAt6: number;
}

const golden = fixture<Golden>('bn-act.json');
const conv = (cin: number) => ({ in_channels: cin, out_channels: 8, kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, bias: false });
const bn = { num_features: 8, eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true };
const layer = (id: number, type: string, config: Record<string, unknown>): GraphNode =>
  ({ id, kind: 'module', type, path: String(id - 1), config, inputs: [id - 1], outputShape: null, line: id + 1 });
const graph = [inputNode(['N', 3, 7, 9]), layer(1, 'Conv2d', conv(3)), layer(2, 'BatchNorm2d', bn), layer(3, 'ReLU6', {}),
  layer(4, 'Conv2d', conv(8)), layer(5, 'BatchNorm2d', bn), layer(6, 'ReLU', {})];

test('the golden reaches ReLU6\'s bound', () => assert.ok(golden.clampedAt6 > 0));

for (const kernels of KERNEL_PATHS) {
  test(`BatchNorm → ReLU6 and BatchNorm → ReLU, each run as one, match PyTorch (${kernels.name} kernels)`, async () => {
    await useKernels(kernels);
    const parameters = [...Object.entries(golden.params).map(([name, t]) => ({ name, shape: t.shape, trainable: true })),
      ...Object.entries(golden.buffersAfter).map(([name, t]) => ({ name, shape: t.shape, trainable: false }))];
    const net = buildNetwork({ graph, parameters });
    for (const [name, t] of Object.entries(golden.params)) net.params.find((p) => p.name === name)!.value.set(t.data);
    for (const n of net.nodes) n.needsGrad = true;
    const y = net.forward(fromFixture(golden.input), { training: true, rng: new Rng(0) });
    assertClose(y.data, golden.output.data, 1e-4, 'output');
    for (const [name, t] of Object.entries(golden.buffersAfter)) assertClose(net.state.find((e) => e.name === name)!.value, t.data, 1e-4, name);
    net.zeroGrad();
    const [dx] = net.backwardInputs(fromFixture(golden.dy));
    assertClose(dx!.data, golden.inputGrad.data, 1e-4, 'input gradient');
    for (const [name, g] of Object.entries(golden.paramGrads)) assertClose(net.params.find((p) => p.name === name)!.grad, g.data, 1e-4, `${name} gradient`);
  });
}
