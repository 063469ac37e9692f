// Finite-difference gradient checks as property tests: for random layer settings and random inputs,
// the analytic ∂(Σ y·r)/∂x and ∂/∂W agree with central differences (in float64 sums over float32
// forward passes, so the tolerance is loose but catches any wrong index or missing term). Only
// functions with a continuous derivative are probed (ELU with alpha 1; no ReLU kinks).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { GraphNode } from '../../../engine/report/types';
import { buildNetwork } from '../../../engine/train/graph/build';
import { Rng } from '../../../engine/train/tensor/rng';
import { tensor } from '../../../engine/train/tensor/tensor';
import { inputNode } from './helpers';

function check(graph: GraphNode[], inShape: number[], seed: number, training = true): void {
  const net = buildNetwork({ graph, parameters: [] });
  for (const n of net.nodes) n.needsGrad = true;
  const rng = new Rng(seed);
  for (const p of net.params) for (let i = 0; i < p.value.length; i++) p.value[i] = rng.normal() * 0.5;
  const x = tensor(inShape);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  const ctx = () => ({ training, rng: new Rng(seed) });
  const y0 = net.forward(x, ctx());
  const r = Float32Array.from(y0.data, () => rng.normal());
  const objective = (): number => { const y = net.forward(x, ctx()); let s = 0; for (let i = 0; i < y.data.length; i++) s += y.data[i] * r[i]; return s; };
  net.forward(x, ctx());
  net.zeroGrad();
  const dx = Float32Array.from(net.backwardInputs(tensor(y0.shape, r.slice()))[0]!.data);
  const grads = net.params.map((p) => Float32Array.from(p.grad));
  const probe = (v: Float32Array, i: number): number => {
    const h = 1e-2, old = v[i];
    v[i] = old + h; const up = objective();
    v[i] = old - h; const down = objective();
    v[i] = old;
    return (up - down) / (2 * h);
  };
  const compare = (numeric: number, analytic: number, what: string) =>
    assert.ok(Math.abs(numeric - analytic) <= 2e-2 * Math.max(1, Math.abs(numeric)), `${what}: finite difference ${numeric}, backward ${analytic}`);
  for (let k = 0; k < 6; k++) { const i = rng.int(x.data.length); compare(probe(x.data, i), dx[i], `∂x[${i}]`); }
  net.params.forEach((p, j) => { for (let k = 0; k < 4; k++) { const i = rng.int(p.value.length); compare(probe(p.value, i), grads[j][i], `∂${p.name}[${i}]`); } });
}

const mod = (type: string, config: Record<string, unknown>, path = 'm'): GraphNode => ({ id: 1, kind: 'module', type, path, config, inputs: [0], outputShape: null, line: 2 });

test('Conv2d gradients match finite differences for random settings', () => {
  fc.assert(fc.property(
    fc.record({ k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 2 }), d: fc.integer({ min: 1, max: 2 }), g: fc.constantFrom(1, 2), seed: fc.nat() }),
    ({ k, s, p, d, g, seed }) => {
      const cfg = { in_channels: 2, out_channels: 4, kernel_size: [k, k], stride: [s, s], padding: [p, p], dilation: [d, d], groups: g, bias: true };
      check([inputNode(['N', 2, 6, 6]), mod('Conv2d', cfg)], [2, 2, 6, 6], seed);
    }), { numRuns: 25 });
});

test('ConvTranspose2d gradients match finite differences', () => {
  fc.assert(fc.property(
    fc.record({ k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 1 }), seed: fc.nat() }),
    ({ k, s, p, seed }) => {
      if (p >= k) return;
      const cfg = { in_channels: 2, out_channels: 3, kernel_size: [k, k], stride: [s, s], padding: [p, p], dilation: [1, 1], groups: 1, bias: true, output_padding: [0, 0] };
      check([inputNode(['N', 2, 4, 4]), mod('ConvTranspose2d', cfg)], [2, 2, 4, 4], seed);
    }), { numRuns: 15 });
});

test('pooling, BatchNorm, Linear and activations match finite differences', () => {
  const cases: Array<[string, Record<string, unknown>, number[]]> = [
    ['AvgPool2d', { kernel_size: [3, 3], stride: [2, 2], padding: [1, 1], ceil_mode: true, count_include_pad: false }, [2, 2, 7, 7]],
    ['AdaptiveAvgPool2d', { output_size: [3, 2] }, [2, 2, 7, 5]],
    ['BatchNorm2d', { num_features: 3 }, [3, 3, 4, 4]],
    ['Linear', { in_features: 5, out_features: 3 }, [4, 5]],
    ['GELU', {}, [3, 6]], ['SiLU', {}, [3, 6]], ['Tanh', {}, [3, 6]], ['Sigmoid', {}, [3, 6]], ['ELU', { alpha: 1 }, [3, 6]],
  ];
  fc.assert(fc.property(fc.constantFrom(...cases), fc.nat(), ([type, cfg, shape], seed) => check([inputNode(null), mod(type, cfg)], shape, seed)), { numRuns: 30 });
});

test('softmax, mean and a residual graph match finite differences', () => {
  fc.assert(fc.property(fc.nat(), (seed) => {
    check([inputNode(null), { id: 1, kind: 'op', type: 'log_softmax', config: { dim: 1 }, inputs: [0], outputShape: null, line: 2 }], [3, 5], seed);
    check([inputNode(null), { id: 1, kind: 'op', type: 'mean', config: { dim: [2, 3], keepdim: true }, inputs: [0], outputShape: null, line: 2 }], [2, 3, 4, 4], seed);
    const conv = { in_channels: 2, out_channels: 2, kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, bias: false };
    check([
      inputNode(null),
      { id: 1, kind: 'module', type: 'Conv2d', path: 'c', config: conv, inputs: [0], outputShape: null, line: 2 },
      { id: 2, kind: 'op', type: 'tanh', config: {}, inputs: [1], outputShape: null, line: 3 },
      { id: 3, kind: 'module', type: 'Conv2d', path: 'c', config: conv, inputs: [2], outputShape: null, line: 4 },
      { id: 4, kind: 'op', type: 'add', config: {}, inputs: [0, 3], outputShape: null, line: 5 },
      { id: 5, kind: 'op', type: 'cat', config: { dim: 1 }, inputs: [4, 1], outputShape: null, line: 6 },
    ], [2, 2, 4, 4], seed);
  }), { numRuns: 10 });
});
