// Property tests: the window arithmetic against brute-force enumeration of window positions,
// transposed convolution as the inverse of convolution, and every layer's robustness to
// random arguments (UNKNOWN, None, zero, negative, huge, wrong types) and random inputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TORCH_LAYERS } from '../../../engine/frameworks/pytorch/layers/index';
import { REQUIRED, UNKNOWN, type Cfg } from '../../../engine/frameworks/pytorch/layers/spec';
import { slidingAxis, transposedAxis } from '../../../engine/shapes/window';
import type { Dim } from '../../../engine/shapes/dim';

const windowArb = fc.record({
  l: fc.integer({ min: 1, max: 60 }),
  k: fc.integer({ min: 1, max: 9 }),
  s: fc.integer({ min: 1, max: 6 }),
  d: fc.integer({ min: 1, max: 4 }),
  before: fc.integer({ min: 0, max: 6 }),
  after: fc.integer({ min: 0, max: 6 }),
});

test('output size = number of window positions that fit in the padded input; unread = what is left', () => {
  fc.assert(fc.property(windowArb, ({ l, k, s, d, before, after }) => {
    const padded = l + before + after;
    const span = d * (k - 1) + 1;
    const starts: number[] = [];
    for (let start = 0; start + span <= padded; start += s) starts.push(start);
    const axis = slidingAxis(l, { k, s, d, before, after }, 'L');
    if (starts.length === 0) {
      assert.ok((axis.out as number) <= 0);
    } else {
      assert.equal(axis.out, starts.length);
      assert.equal(axis.unread, padded - (starts[starts.length - 1] + span));
    }
  }), { numRuns: 2000 });
});

test('ceil_mode: one more window when the floor leaves input or left padding unread, never one that starts past it', () => {
  // PyTorch's domain for pooling: symmetric padding of at most half the kernel.
  fc.assert(fc.property(windowArb, ({ l, k, s, d, before }) => {
    const p = Math.min(before, Math.floor(k / 2));
    const [after, span] = [p, d * (k - 1) + 1];
    before = p;
    fc.pre(l + before + after >= span);
    const floor = slidingAxis(l, { k, s, d, before, after }, 'L').out as number;
    const ceil = slidingAxis(l, { k, s, d, before, after }, 'L', true).out as number;
    // PyTorch: ⌈⌉ instead of ⌊⌋, and the last window must start inside the input or the left padding.
    const extra = (l + before + after - span) % s !== 0 && floor * s < l + before ? 1 : 0;
    assert.equal(ceil, floor + extra);
  }), { numRuns: 2000 });
});

test('a transposed convolution inverts the size change of the matching convolution', () => {
  fc.assert(fc.property(windowArb, fc.integer({ min: 0, max: 5 }), ({ l, k, s, d, before }, op) => {
    // output_padding < stride: the extra rows are what the forward convolution's stride skips.
    fc.pre(op < s);
    const w = { k, s, d, before, after: before, outputPadding: op };
    const up = transposedAxis(l, w, 'L').out as number;
    fc.pre(up >= 1);
    assert.equal(slidingAxis(up, w, 'L').out, l);
  }), { numRuns: 2000 });
});

const scalar = fc.oneof(
  fc.constant(UNKNOWN),
  fc.constant(null),
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(0, 1, 2, 2 ** 40, Number.MAX_SAFE_INTEGER, -(2 ** 40)),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constantFrom('same', 'valid', 'zeros', 'reflect', 'bilinear', 'nearest', 'none', ''),
);
const value = fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 7 }) });
const dim: fc.Arbitrary<Dim> = fc.oneof(
  fc.integer({ min: 0, max: 70 }),
  fc.constantFrom('N', 'H', 'W', 'C', '2*H', '⌊(H-1)/2⌋+1', -1, 2 ** 40, Number.MAX_SAFE_INTEGER),
  fc.constant(null),
);
const inputs = fc.array(fc.array(dim, { maxLength: 6 }), { maxLength: 2 });
const names = Object.keys(TORCH_LAYERS);

test('apply, parameters and normalize never throw, and an unknown output always says why', () => {
  fc.assert(fc.property(fc.constantFrom(...names), fc.dictionary(fc.string(), value, { maxKeys: 2 }), fc.array(value, { minLength: 12, maxLength: 12 }), inputs, (name, extra, values, xs) => {
    const spec = TORCH_LAYERS[name];
    const cfg: Cfg = { ...extra };
    spec.signature.forEach(([arg], i) => { cfg[arg] = values[i]; });
    const norm = spec.normalize ? spec.normalize(cfg) : cfg;
    const params = spec.parameters(norm);
    assert.ok(params === null || params.every((p) => p.shape.every(Number.isFinite)));
    const r = spec.apply(norm, xs);
    assert.ok(r.output === null || Array.isArray(r.output));
    if (r.output === null) assert.ok(r.diagnostics.length > 0, `${name}: output unknown without a diagnostic`);
    for (const f of r.formulas) assert.equal(typeof f.substituted, 'string');
  }), { numRuns: 20000 });
});

test('plausible configurations: never throw; known outputs are positive wherever no error is reported', () => {
  const small = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) },
    { weight: 1, arbitrary: fc.constant(UNKNOWN) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })) },
  );
  // Each argument keeps its default half of the time (required ones then get 3).
  const arg = fc.option(small, { nil: undefined, freq: 2 });
  let known = 0;
  fc.assert(fc.property(fc.constantFrom(...names), fc.array(arg, { minLength: 12, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 5 }), (name, values, shape) => {
    const spec = TORCH_LAYERS[name];
    const cfg: Cfg = {};
    spec.signature.forEach(([a, dflt], i) => {
      const numeric = typeof dflt === 'number' || dflt === null || dflt === REQUIRED;
      cfg[a] = numeric && values[i] !== undefined ? values[i] : dflt === REQUIRED ? 3 : dflt;
    });
    const r = spec.apply(spec.normalize ? spec.normalize(cfg) : cfg, [shape]);
    if (r.output && !r.diagnostics.some((d) => d.severity === 'error')) {
      known += 1;
      assert.ok(r.output.every((x) => typeof x !== 'number' || x >= 1), `${name} ${JSON.stringify(r.output)}`);
    }
  }), { numRuns: 20000 });
  // The generator must reach the arithmetic, not only the argument checks.
  assert.ok(known > 5000, `only ${known} runs produced an output`);
});
