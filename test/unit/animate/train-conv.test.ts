// Property test: the step model the panel animates computes what the training engine computes.
// On random inputs, kernels, channels, filters, strides, paddings (asymmetric splits included) and
// dilations, explain()'s output maps equal engine/train's Conv forward (img2col + matmul), and
// the backward pass's dX and dW equal the training engine's gradients for the same dY.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { explain, explainBackward } from '../../../engine/explain/index';
import type { Grid, PaddingSpec } from '../../../engine/explain/types';
import { Conv, type ConvConfig } from '../../../engine/train/layers/conv';
import type { Param, ParamFactory } from '../../../engine/train/layers/layer';
import { tensor } from '../../../engine/train/tensor/tensor';

const factory: ParamFactory = {
  param: (suffix, shape, role): Param => {
    const n = shape.reduce((a, b) => a * b, 1);
    return { name: suffix, shape, value: new Float32Array(n), grad: new Float32Array(n), role };
  },
  buffer: () => {
    throw new Error('a convolution has no buffers');
  },
};

const flat = (g: Grid): number[] => (g as Array<number | number[]>).flat();

const convCase = fc
  .record({
    dims: fc.constantFrom<1 | 2>(1, 2),
    c: fc.integer({ min: 1, max: 3 }),
    f: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 7 }),
    w: fc.integer({ min: 1, max: 8 }),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 4 }),
    s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    pad: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    values: fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 97, maxLength: 97 }),
  })
  .map((r) => {
    let n = 0;
    const next = () => r.values[n++ % r.values.length];
    const h = r.dims === 1 ? 1 : r.h;
    const kh = r.dims === 1 ? 1 : r.kh;
    const plane = (rows: number, cols: number): Grid => {
      const p = Array.from({ length: rows }, () => Array.from({ length: cols }, next));
      return r.dims === 1 ? p[0] : p;
    };
    const input = Array.from({ length: r.c }, () => plane(h, r.w));
    const kernel = Array.from({ length: r.f }, () => Array.from({ length: r.c }, () => plane(kh, r.kw)));
    const split: Array<[number, number]> = r.dims === 1 ? [[r.pad[2], r.pad[3]]] : [[r.pad[0], r.pad[1]], [r.pad[2], r.pad[3]]];
    const padding: PaddingSpec = { mode: 'manual', split };
    const spatial = r.dims === 1 ? [r.w] : [h, r.w];
    const k = r.dims === 1 ? [r.kw] : [kh, r.kw];
    const stride = r.dims === 1 ? [r.s[1]] : r.s;
    const dilation = r.dims === 1 ? [r.d[1]] : r.d;
    const fits = spatial.every((l, a) => l + split[a][0] + split[a][1] >= dilation[a] * (k[a] - 1) + 1);
    const config: ConvConfig = {
      dims: r.dims, inChannels: r.c, outChannels: r.f, kernel: k, stride, dilation, groups: 1, bias: false, outputPadding: [],
      padBefore: split.map((p) => p[0]), padTotal: split.map((p) => p[0] + p[1]),
    };
    return { req: { op: 'conv' as const, dims: r.dims, input, kernel, stride, dilation, padding }, config, spatial, fits, dySeed: r.values };
  });

test('the step model\'s convolution equals the training engine\'s Conv forward and backward (random cases)', () => {
  fc.assert(
    fc.property(convCase, ({ req, config, spatial, fits, dySeed }) => {
      fc.pre(fits);
      const e = explain(req);
      const layer = new Conv(config, config.dims === 1 ? 'Conv1d' : 'Conv2d', factory);
      const weight = (layer as unknown as { weight: Param }).weight;
      weight.value.set(req.kernel.flatMap((f) => f.flatMap(flat)));
      const x = tensor([1, config.inChannels, ...spatial], Float32Array.from(req.input.flatMap(flat)));
      const y = layer.forward([x]);
      assert.deepEqual(y.shape, [1, config.outChannels, ...e.axes.map((a) => a.outputLength)]);
      assert.deepEqual(Array.from(y.data), e.outputMaps.flatMap(flat));

      // Backward with a random dY: the panel's col2im accumulation is the training engine's.
      const dY = e.outputMaps.map((m, f) => {
        const rows = Array.isArray(m[0]) ? (m as number[][]) : [m as number[]];
        const g = rows.map((r, i) => r.map((_, j) => dySeed[(f * 13 + i * 5 + j) % dySeed.length]));
        return config.dims === 1 ? g[0] : g;
      });
      const b = explainBackward({ ...req, dY });
      const [dx] = layer.backward(tensor(y.shape, Float32Array.from(dY.flatMap(flat))), [true]);
      assert.deepEqual(Array.from(dx!.data), b.dX.flatMap(flat));
      assert.deepEqual(Array.from(weight.grad), b.dW.flat());
    }),
    { numRuns: 300 },
  );
});
