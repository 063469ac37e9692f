// Property tests: on random inputs, kernels, strides, paddings and dilations the step model agrees
// with a straightforward reference convolution (./reference.ts) and with the training engine's
// Conv layer (forward and backward), img2col agrees with the sweep, and every step is
// self-consistent (its terms give its value, its field holds those values).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { explain, explainBackward, explainImg2col } from '../../../engine/explain/index';
import type { PaddingSpec, SlidingRequest } from '../../../engine/explain/types';
import { Conv } from '../../../engine/train/layers/conv';
import type { Param, ParamFactory } from '../../../engine/train/layers/layer';
import { tensor } from '../../../engine/train/tensor/tensor';
import { padPlane, referenceConv, type Plane } from './reference';

const value = fc.integer({ min: -9, max: 9 });
const paddingSpec: fc.Arbitrary<PaddingSpec> = fc.oneof(
  fc.constant<PaddingSpec>({ mode: 'valid' }),
  fc.constant<PaddingSpec>({ mode: 'full' }),
  fc.constantFrom<PaddingSpec>({ mode: 'same', rule: 'pytorch' }, { mode: 'same', rule: 'tensorflow' }),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))
    .map(([t, b, l, r]): PaddingSpec => ({ mode: 'manual', split: [[t, b], [l, r]] })),
);

/** The split each rule asks for, computed here from the rules as PRODUCT.md states them. */
function split(spec: PaddingSpec, axis: number, l: number, k: number, s: number, d: number): [number, number] {
  const span = d * (k - 1);
  if (spec.mode === 'valid') return [0, 0];
  if (spec.mode === 'full') return [span, span];
  if (spec.mode === 'manual') return spec.split[axis];
  const total = spec.rule === 'pytorch' ? span : Math.max((Math.ceil(l / s) - 1) * s + span + 1 - l, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

const convCase = fc
  .record({
    dims: fc.constantFrom<1 | 2>(1, 2),
    c: fc.integer({ min: 1, max: 3 }),
    f: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 7 }),
    w: fc.integer({ min: 1, max: 8 }),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    d: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    padding: paddingSpec,
    values: fc.array(value, { minLength: 64, maxLength: 64 }),
  })
  .map((r) => {
    let n = 0;
    const next = () => r.values[n++ % r.values.length];
    const h = r.dims === 1 ? 1 : r.h;
    const kh = r.dims === 1 ? 1 : r.kh;
    const plane = (rows: number, cols: number): Plane => Array.from({ length: rows }, () => Array.from({ length: cols }, next));
    const input = Array.from({ length: r.c }, () => plane(h, r.w));
    const kernel = Array.from({ length: r.f }, () => Array.from({ length: r.c }, () => plane(kh, r.kw)));
    const spec: PaddingSpec = r.padding.mode === 'manual' && r.dims === 1 ? { mode: 'manual', split: [r.padding.split[1]] } : r.padding;
    const stride: [number, number] = r.dims === 1 ? [1, r.s[1]] : r.s;
    const dil: [number, number] = r.dims === 1 ? [1, r.d[1]] : r.d;
    const pad: Array<[number, number]> = r.dims === 1
      ? [[0, 0], split(spec, 0, r.w, r.kw, stride[1], dil[1])]
      : [split(spec, 0, h, kh, stride[0], dil[0]), split(spec, 1, r.w, r.kw, stride[1], dil[1])];
    const unwrap = (p: Plane) => (r.dims === 1 ? p[0] : p);
    const req: SlidingRequest = {
      op: 'conv',
      dims: r.dims,
      input: input.map(unwrap),
      kernel: kernel.map((fl) => fl.map(unwrap)),
      stride: r.dims === 1 ? [stride[1]] : stride,
      dilation: r.dims === 1 ? [dil[1]] : dil,
      padding: spec,
    };
    const fits = [0, 1].every((a) => input[0].length * (1 - a) + input[0][0].length * a + pad[a][0] + pad[a][1] >= dil[a] * ((a ? r.kw : kh) - 1) + 1);
    return { req, input, kernel, stride, dil, pad, fits, unwrap };
  });

test('convolution steps equal the reference convolution (random sizes, strides, paddings, dilations)', () => {
  fc.assert(
    fc.property(convCase, ({ req, input, kernel, stride, dil, pad, fits, unwrap }) => {
      if (!fits) {
        assert.throws(() => explain(req), /larger than the padded input/);
        return;
      }
      const e = explain(req);
      assert.deepEqual(e.outputMaps, referenceConv(input, kernel, stride, pad, dil).map(unwrap));
      assert.deepEqual(e.padding.split, req.dims === 1 ? [pad[1]] : pad);
      assert.equal(e.steps.length, e.outputShape.reduce((a, b) => a * b, 1));
    }),
    { numRuns: 400, seed: 42 },
  );
});

/** Parameters as plain zero-filled arrays: the test sets the weights itself. */
const params: ParamFactory = {
  param: (suffix, shape, role): Param => {
    const n = shape.reduce((a, b) => a * b, 1);
    return { name: suffix, shape, value: new Float32Array(n), grad: new Float32Array(n), role, trainable: true };
  },
  buffer: () => {
    throw new Error('a convolution has no buffers');
  },
};

test('the step model computes what the training engine computes: Conv forward, dX and dW (what the panel animates is what training runs)', () => {
  fc.assert(
    fc.property(convCase, ({ req, input, kernel, stride, dil, pad, fits }) => {
      if (!fits) return;
      const axes = req.dims === 1 ? [1] : [0, 1];
      const spatial = axes.map((a) => (a ? input[0][0].length : input[0].length));
      const layer = new Conv({
        dims: req.dims, inChannels: input.length, outChannels: kernel.length, groups: 1, bias: false, outputPadding: [],
        kernel: axes.map((a) => (a ? kernel[0][0][0].length : kernel[0][0].length)),
        stride: axes.map((a) => stride[a]), dilation: axes.map((a) => dil[a]),
        padBefore: axes.map((a) => pad[a][0]), padTotal: axes.map((a) => pad[a][0] + pad[a][1]),
      }, req.dims === 1 ? 'Conv1d' : 'Conv2d', params);
      const weight = (layer as unknown as { weight: Param }).weight;
      weight.value.set(kernel.flat(3));
      const y = layer.forward([tensor([1, input.length, ...spatial], Float32Array.from(input.flat(2)))]);
      const e = explain(req);
      assert.deepEqual(y.shape, [1, kernel.length, ...e.axes.map((a) => a.outputLength)]);
      assert.deepEqual(Array.from(y.data), (e.outputMaps as Array<number[] | number[][]>).flat(2));

      // A dY that is not all ones, so each column's share is visible in dX and dW.
      const dY = e.outputMaps.map((m, f) => (req.dims === 1 ? (m as number[]).map((_, j) => ((f * 7 + j) % 5) - 2) : (m as number[][]).map((r, i) => r.map((_, j) => ((f * 7 + i * 3 + j) % 5) - 2))));
      const b = explainBackward({ ...req, dY });
      const [dx] = layer.backward(tensor(y.shape, Float32Array.from((dY as Array<number[] | number[][]>).flat(2))), [true]);
      assert.deepEqual(Array.from(dx!.data), (b.dX as Array<number[] | number[][]>).flat(2));
      assert.deepEqual(Array.from(weight.grad), b.dW.flat());
    }),
    { numRuns: 300, seed: 46 },
  );
});

test('every step is self-contained: its terms give its value and its field holds the x values', () => {
  fc.assert(
    fc.property(convCase, ({ req, input, pad, fits }) => {
      if (!fits) return;
      const e = explain(req);
      const padded = input.map((p) => padPlane(p, pad));
      for (const s of e.steps) {
        assert.equal(s.value, s.terms.reduce((acc, [w, x]) => acc + w * x, 0));
        s.field.forEach((cell, t) => {
          const [i, j] = req.dims === 1 ? [0, cell.at[0]] : cell.at;
          assert.equal(s.terms[t][1], padded[cell.channel][i][j]);
        });
        assert.match(s.arithmetic, new RegExp(`^y\\[${s.output.join(', ')}\\] = .* = ${s.value}$`));
      }
    }),
    { numRuns: 200, seed: 43 },
  );
});

test('img2col: Y = W·X̂ equals the sweep, one column per output position', () => {
  fc.assert(
    fc.property(convCase, ({ req, fits }) => {
      if (!fits) return;
      const e = explainImg2col(req);
      assert.deepEqual(e.y, (e.conv.outputMaps as Array<number[] | number[][]>).map((m) => m.flat()));
      assert.equal(e.xHat[0].length, e.steps.length);
      e.steps.forEach((s, t) => assert.deepEqual(s.values, e.xHat.map((row) => row[t])));
    }),
    { numRuns: 200, seed: 44 },
  );
});

test('pooling equals a reference max/average over the window (PyTorch padding, floor mode)', () => {
  fc.assert(
    fc.property(
      fc.record({ l: fc.integer({ min: 1, max: 9 }), k: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 0, max: 2 }), x: fc.array(value, { minLength: 9, maxLength: 9 }), op: fc.constantFrom<'maxpool' | 'avgpool'>('maxpool', 'avgpool') }),
      ({ l, k, s, p, x, op }) => {
        const input = x.slice(0, l);
        if (l + 2 * p < k || p > Math.floor(k / 2)) return;
        const e = explain({ op, dims: 1, input: [input], kernelSize: [k], stride: [s], padding: { mode: 'manual', split: [[p, p]] } });
        const o = Math.floor((l + 2 * p - k) / s) + 1;
        const expected = Array.from({ length: o }, (_, t) => {
          const cells = Array.from({ length: k }, (_, i) => t * s + i - p);
          const real = cells.filter((c) => c >= 0 && c < l).map((c) => input[c]);
          return op === 'maxpool' ? Math.max(...real) : real.reduce((a, b) => a + b, 0) / k;
        });
        (e.output as number[]).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `${v} vs ${expected[i]}`));
      },
    ),
    { numRuns: 300, seed: 45 },
  );
});
