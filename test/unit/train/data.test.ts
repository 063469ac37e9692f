// Data: the IDX reader, the packaged MNIST subset, synthetic datasets, resizing, initialisation
// statistics, dropout scaling and the seeded generator.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { idxDataset, readIdx } from '../../../engine/train/data/idx';
import { readMnistPack } from '../../../engine/train/data/mnist-pack';
import { resizeBilinear } from '../../../engine/train/data/resize';
import { syntheticDataset } from '../../../engine/train/data/synthetic';
import { initParams } from '../../../engine/train/init/init';
import { Dropout } from '../../../engine/train/layers/dropout';
import type { Param } from '../../../engine/train/layers/layer';
import { Rng } from '../../../engine/train/tensor/rng';
import { tensor } from '../../../engine/train/tensor/tensor';
import { idxBytes } from './helpers';

test('IDX files are read with their big-endian sizes, and bad ones are refused with a message', () => {
  const images = readIdx(idxBytes(8, [2, 2, 3], [0, 51, 102, 153, 204, 255, 1, 2, 3, 4, 5, 6]));
  assert.deepEqual(images.dims, [2, 2, 3]);
  const d = idxDataset(images, readIdx(idxBytes(8, [2], [7, 1])), 'test');
  assert.deepEqual(d.shape, [1, 2, 3]);
  assert.deepEqual([...d.y], [7, 1]);
  assert.equal(d.classes, 8);
  assert.ok(Math.abs(d.x[1] - 0.2) < 1e-7 && d.x[5] === 1);
  assert.throws(() => readIdx(new Uint8Array([1, 2, 3, 4])), /not an IDX file/);
  assert.throws(() => readIdx(idxBytes(8, [5, 2], [1, 2])), /truncated/);
  assert.throws(() => idxDataset(images, readIdx(idxBytes(8, [3], [1, 2, 3])), 'x'), /2 images but 3 labels/);
});

test('the packaged MNIST subset holds 12,000 training and 2,000 test digits', (t) => {
  const file = join(__dirname, '..', '..', '..', 'dist', 'mnist-subset.bin');
  if (!existsSync(file)) { t.skip('dist/mnist-subset.bin is made by npm run build'); return; }
  const s = readMnistPack(gunzipSync(readFileSync(file)));
  assert.equal(s.train.n, 12000);
  assert.equal(s.test!.n, 2000);
  assert.deepEqual(s.train.shape, [1, 28, 28]);
  assert.equal(s.train.classes, 10);
  // The first MNIST training digit is a 5, the first test digit a 7.
  assert.equal(s.train.y[0], 5);
  assert.equal(s.test!.y[0], 7);
});

test('synthetic datasets are balanced, seeded and sized to the request', () => {
  const a = syntheticDataset('bars', 80, [3, 20, 24], 1), b = syntheticDataset('bars', 80, [3, 20, 24], 1);
  assert.deepEqual(a.x, b.x);
  assert.deepEqual(a.shape, [3, 20, 24]);
  assert.equal(a.classes, 8);
  assert.deepEqual([...a.y.slice(0, 9)], [0, 1, 2, 3, 4, 5, 6, 7, 0]);
  // A horizontal bar (class 0) has more lit pixels in its brightest row than a vertical one (class 4).
  const rowMax = (i: number) => Math.max(...Array.from({ length: 20 }, (_, h) => a.x.slice(i * 1440 + h * 24, i * 1440 + h * 24 + 24).reduce((s, v) => s + (v > 0.5 ? 1 : 0), 0)));
  assert.ok(rowMax(0) > rowMax(4));
  assert.equal(syntheticDataset('shapes', 10, [1, 16, 16], 2).classes, 5);
});

test('bilinear resizing matches PyTorch interpolate(align_corners=False) on a 2×2 → 4×4 example', () => {
  const out = new Float32Array(16);
  resizeBilinear(Float32Array.from([0, 1, 2, 3]), 1, 2, 2, 4, 4, out);
  // torch.nn.functional.interpolate(torch.tensor([[[[0., 1.], [2., 3.]]]]), size=4, mode='bilinear')
  assert.deepEqual([...out], [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
});

test('initialisation draws with the right spread: He N(0, √(2/fan_in)), Xavier U(±√(6/(in+out))), PyTorch default U(±1/√fan_in)', () => {
  const p = (): Param => ({ name: 'w', shape: [200, 500], value: new Float32Array(100000), grad: new Float32Array(100000), role: { kind: 'weight', fanIn: 500, fanOut: 200 }, trainable: true });
  const std = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
  const he = p(); initParams([he], 'he', new Rng(1));
  assert.ok(Math.abs(std(he.value) / Math.sqrt(2 / 500) - 1) < 0.02);
  const xu = p(); initParams([xu], 'xavier-uniform', new Rng(1));
  const bound = Math.sqrt(6 / 700);
  assert.ok(Math.max(...xu.value) <= bound && Math.min(...xu.value) >= -bound && Math.max(...xu.value) > 0.99 * bound);
  const d = p(); initParams([d], 'default', new Rng(1));
  assert.ok(Math.abs(std(d.value) / (1 / Math.sqrt(500) / Math.sqrt(3)) - 1) < 0.02);
  const again = p(); initParams([again], 'default', new Rng(1));
  assert.deepEqual(again.value, d.value);
});

test('dropout zeroes about p of the values, scales the rest by 1/(1−p), and is the identity in eval', () => {
  const drop = new Dropout(0.25, false), x = tensor([1, 40000]);
  x.data.fill(2);
  const y = drop.forward([x], { training: true, rng: new Rng(3) });
  const zeros = y.data.filter((v) => v === 0).length;
  assert.ok(Math.abs(zeros / 40000 - 0.25) < 0.01);
  assert.ok(y.data.every((v) => v === 0 || Math.abs(v - 2 / 0.75) < 1e-6));
  const g = drop.backward(x, [true])[0]!;
  assert.ok(g.data.every((v, i) => (y.data[i] === 0 ? v === 0 : Math.abs(v - 2 / 0.75) < 1e-6)));
  assert.equal(drop.forward([x], { training: false, rng: new Rng(3) }), x);
});
