// Every layer and op against PyTorch: forward output, input gradients, parameter gradients and
// BatchNorm running statistics, over the grid in fixtures/make_fixtures.py, within 1e-4 relative; the
// convolutions against a float64 reference within the float32 dot product's error bound (CONV_C below).
// Each case goes through buildNetwork from the same graph nodes the analyzer emits, and runs with
// the TypeScript kernels and with the WebAssembly SIMD kernels on one thread and on two.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphNode } from '../../../engine/report/types';
import { buildNetwork } from '../../../engine/train/graph/build';
import { Rng } from '../../../engine/train/tensor/rng';
import { KERNEL_PATHS, assertClose, assertWithinBound, fixture, fromFixture, useKernels, type FixtureTensor } from './helpers';

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

/**
 * The convolutions' yardstick (fixtures/make_conv_reference.py): |ŷ − y| ≤ CONV_C·u·Σ|x_i||w_i| per element,
 * y and Σ|x_i||w_i| in float64. A relative tolerance per element is the wrong one for a sum of products: an
 * output that cancels to near zero has no relative accuracy in float32, in PyTorch either. Measured on these
 * cases (the largest |ŷ − y| / u·Σ|x_i||w_i| of any element): PyTorch 1.13's own float32 results 4.5 (`torchC`),
 * the TypeScript and direct WebAssembly kernels 4.6, Winograd F(2×2, 3×3) 4.6, F(4×4, 3×3) 48 (at an edge
 * padded by 2, where an output reaches a few taps but its tile's transform rounds all 6×6 inputs; 37 inside
 * CIFAR's 8×8 planes). Its transforms' entries reach 8 (Aᵀ) and 5 (Bᵀ): for all-positive terms the transformed
 * sum of |·| is 28–256 times Σ|x_i||w_i| (7 for F(2×2, 3×3)), a worst case that random signs stay far below.
 * CONV_C is twice F(4×4, 3×3)'s largest. A tap wrong by 1% in a layer of 64 channels (576 products per output)
 * is ~290·u·Σ|x||w| off, and fails (below).
 */
const CONV_C = 96;
interface ConvReference {
  exact: Record<string, FixtureTensor>;
  bound: Record<string, FixtureTensor>;
  torchC: number;
}
const convRef = fixture<{ cases: Record<string, ConvReference> }>('conv-reference.json').cases;

type Results = Record<string, ArrayLike<number>>;

/** The case run through buildNetwork: its output, input gradient and parameter gradients, by the reference's keys. */
function run(c: Case, tweak?: (params: Record<string, Float32Array>) => void): { results: Results; buffers: Results } {
  const parameters = [...Object.entries(c.params), ...Object.entries(c.buffers)].map(([name, t]) => ({ name, shape: t.shape, trainable: name in c.params }));
  const net = buildNetwork({ graph: c.graph, parameters });
  for (const e of net.state) {
    const src = c.params[e.name] ?? c.buffers[e.name];
    if (!src) throw new Error(`no fixture value for ${e.name}`);
    e.value.set(src.data);
  }
  tweak?.(Object.fromEntries(net.state.map((e) => [e.name, e.value])));
  // Input gradients are wanted too: mark the inputs as needing them.
  for (const n of net.nodes) n.needsGrad = true;
  const y = net.forward(c.inputs.map(fromFixture), { training: c.train, rng: new Rng(0) });
  assertClose(y.shape, c.output.shape, 0, 'output shape');
  const buffers = Object.fromEntries(Object.keys(c.buffersAfter).map((name) => [name, net.state.find((e) => e.name === name)!.value]));
  net.zeroGrad();
  const grads = net.backwardInputs(fromFixture(c.dy));
  const results: Results = { output: y.data };
  grads.forEach((g, i) => (results[`input ${i} gradient`] = g!.data));
  for (const p of net.params) results[`${p.name} gradient`] = p.grad;
  return { results, buffers };
}

for (const kernels of KERNEL_PATHS) for (const c of cases) {
  test(`${c.name} matches PyTorch (${kernels.name} kernels)`, async () => {
    await useKernels(kernels);
    const { results, buffers } = run(c), ref = convRef[c.name];
    if (ref) {
      for (const [key, t] of Object.entries(ref.exact)) assertWithinBound(results[key]!, t.data, ref.bound[key]!.data, CONV_C, key);
      return;
    }
    assertClose(results.output!, c.output.data, REL, 'output');
    for (const [name, t] of Object.entries(c.buffersAfter)) assertClose(buffers[name]!, t.data, REL, name);
    c.inputGrads.forEach((g, i) => assertClose(results[`input ${i} gradient`]!, g.data, REL, `input ${i} gradient`));
    for (const [name, g] of Object.entries(c.paramGrads)) assertClose(results[`${name} gradient`]!, g.data, REL, `${name} gradient`);
  });
}

test('every convolution golden has its float64 reference, and PyTorch float32 itself meets CONV_C', () => {
  const convs = cases.filter((c) => c.graph.length === 2 && c.graph[1]!.type.startsWith('Conv'));
  assert.equal(Object.keys(convRef).length, convs.length);
  for (const c of convs) assert.ok(convRef[c.name]!.torchC <= CONV_C, `${c.name}: PyTorch needs c = ${convRef[c.name]!.torchC}`);
});

// The bound can fail: one tap of the widest Winograd layer 1% off (and one tap of a small direct one) is caught.
for (const kernels of KERNEL_PATHS) for (const name of ['Winograd Conv2d 64->64 padding 1 on (2, 64, 8, 8)', 'Conv2d k=3 s=1 p=1 d=1 g=1']) {
  test(`${name}: one tap 1% off fails the bound (${kernels.name} kernels)`, async () => {
    await useKernels(kernels);
    const c = cases.find((k) => k.name === name)!, ref = convRef[name]!;
    const { results } = run(c, (p) => (p['m.weight']![4] *= 1.01));
    assert.throws(() => assertWithinBound(results.output!, ref.exact.output!.data, ref.bound.output!.data, CONV_C, 'output'), /Σ\|x\|\|w\|/);
  });
}
