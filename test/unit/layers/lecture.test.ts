// The lecture's worked output sizes (l = 6, k = 3): valid, same, full, stride exact and inexact.
// The lecture's p is the TOTAL padding, PyTorch's `padding` is per side; both conventions are checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TORCH_LAYERS } from '../../../engine/frameworks/pytorch/layers/index';
import { paddingInfo, slidingAxis, type AxisWindow } from '../../../engine/shapes/window';
import { bind } from './bind';

/** The lecture's o = ⌊(l + p − k)/s⌋ + 1 with total padding p, split left ⌊p/2⌋, right the rest. */
function lecture(l: number, k: number, p: number, s: number): { o: number; window: AxisWindow } {
  return { o: Math.floor((l + p - k) / s) + 1, window: { k, s, d: 1, before: Math.floor(p / 2), after: p - Math.floor(p / 2) } };
}

function conv1d(kwargs: Record<string, unknown>, l = 6) {
  const spec = TORCH_LAYERS.Conv1d;
  return spec.apply(bind(spec, { in_channels: 1, out_channels: 1, kernel_size: 3, ...kwargs }), [[1, 1, l]]);
}

test('valid: o = l − k + 1 = 6 − 3 + 1 = 4', () => {
  const { o, window } = lecture(6, 3, 0, 1);
  assert.equal(o, 4);
  assert.equal(slidingAxis(6, window, 'L').out, 4);
  assert.equal(paddingInfo([window]).kind, 'valid');
  const r = conv1d({});
  assert.deepEqual(r.output, [1, 1, 4]);
  assert.equal(r.padding?.kind, 'valid');
});

test('same: p = k − 1 = 2 in total, one each side, keeps l = 6', () => {
  const { o, window } = lecture(6, 3, 2, 1);
  assert.equal(o, 6);
  assert.equal(slidingAxis(6, window, 'L').out, 6);
  assert.deepEqual(paddingInfo([window]), { kind: 'same', split: [[1, 1]] });
  for (const padding of [1, 'same']) {
    const r = conv1d({ padding });
    assert.deepEqual(r.output, [1, 1, 6]);
    assert.deepEqual(r.padding, { kind: 'same', split: [[1, 1]] });
  }
});

test('full: p = k − 1 on each side gives l + k − 1 = 8', () => {
  const { o, window } = lecture(6, 3, 4, 1);
  assert.equal(o, 8);
  assert.equal(slidingAxis(6, window, 'L').out, 8);
  const r = conv1d({ padding: 2 });
  assert.deepEqual(r.output, [1, 1, 8]);
  assert.deepEqual(r.padding, { kind: 'full', split: [[2, 2]] });
});

test('stride, exact matching: p = 1 (total), s = 2 → (6 + 1 − 3)/2 + 1 = 3, every row read', () => {
  const { o } = lecture(6, 3, 1, 2);
  assert.equal(o, 3);
  // The lecture pads one zero on the right: x = 1 0 2 2 3 1 0.
  const axis = slidingAxis(6, { k: 3, s: 2, d: 1, before: 0, after: 1 }, 'L');
  assert.equal(axis.out, 3);
  assert.equal(axis.unread, 0);
  // In PyTorch: ConstantPad1d((0, 1)) then Conv1d(k=3, s=2) on 6 → 7 → 3, no tiling note.
  const pad = TORCH_LAYERS.ConstantPad1d;
  const padded = pad.apply(bind(pad, { padding: [0, 1], value: 0 }), [[1, 1, 6]]).output;
  assert.deepEqual(padded, [1, 1, 7]);
  const r = TORCH_LAYERS.Conv1d.apply(bind(TORCH_LAYERS.Conv1d, { in_channels: 1, out_channels: 1, kernel_size: 3, stride: 2 }), [padded!]);
  assert.deepEqual(r.output, [1, 1, 3]);
  assert.equal(r.diagnostics.length, 0);
});

test('stride, not exact matching: p = 2 (total), s = 2 → ⌊(6 + 2 − 3)/2⌋ + 1 = 3, one row never read', () => {
  const { o, window } = lecture(6, 3, 2, 2);
  assert.equal(o, 3);
  const axis = slidingAxis(6, window, 'L');
  assert.equal(axis.out, 3);
  assert.equal(axis.unread, 1);
  // PyTorch's padding=1 is the lecture's p = 2.
  const r = conv1d({ stride: 2, padding: 1 });
  assert.deepEqual(r.output, [1, 1, 3]);
  assert.deepEqual(r.diagnostics, [{
    severity: 'info',
    code: 'inexact-tiling',
    message: 'stride 2 does not tile the padded input: the last 1 element(s) are never read (only padding)',
    quiet: true,
  }]);
});

test('without padding the stride-2 remainder is real input', () => {
  const r = TORCH_LAYERS.Conv2d.apply(bind(TORCH_LAYERS.Conv2d, { in_channels: 1, out_channels: 1, kernel_size: 3, stride: 2 }), [[1, 1, 8, 8]]);
  assert.deepEqual(r.output, [1, 1, 3, 3]);
  assert.equal(r.diagnostics[0].message, 'stride 2 does not tile the padded input: the last 1 row(s) and 1 column(s) are never read');
});
