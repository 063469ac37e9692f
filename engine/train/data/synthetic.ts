// Synthetic datasets made in code, for instant demos, at whatever size the model's input has:
//   bars   — a bar through the image at one of 8 orientations (0°, 22.5°, …, 157.5°), 8 classes;
//   shapes — a filled disc, square, triangle or cross, or a ring, 5 classes;
// each with a random position, size, thickness and a little noise, drawn from the seeded generator.
import { Rng } from '../tensor/rng';
import type { DataSplits, Dataset } from './dataset';

export type SyntheticKind = 'bars' | 'shapes';

export const SYNTHETIC_CLASSES: Record<SyntheticKind, string[]> = {
  bars: ['0°', '22.5°', '45°', '67.5°', '90°', '112.5°', '135°', '157.5°'],
  shapes: ['disc', 'square', 'triangle', 'cross', 'ring'],
};

/** Whether pixel (u, v), in coordinates relative to the centre scaled by the size, belongs to the shape. */
function inside(kind: SyntheticKind, cls: number, u: number, v: number, thick: number): boolean {
  if (kind === 'bars') {
    const a = (cls * Math.PI) / 8;
    const across = -u * Math.sin(a) + v * Math.cos(a), along = u * Math.cos(a) + v * Math.sin(a);
    return Math.abs(across) < thick && Math.abs(along) < 1;
  }
  const r = Math.hypot(u, v);
  switch (cls) {
    case 0: return r < 0.8;
    case 1: return Math.abs(u) < 0.7 && Math.abs(v) < 0.7;
    case 2: return v < 0.6 && v > -0.8 + 2 * Math.abs(u);
    case 3: return (Math.abs(u) < thick && Math.abs(v) < 0.9) || (Math.abs(v) < thick && Math.abs(u) < 0.9);
    default: return r < 0.85 && r > 0.85 - 2 * thick;
  }
}

export function syntheticDataset(kind: SyntheticKind, n: number, shape: [number, number, number], seed: number): Dataset {
  const [C, H, W] = shape, rng = new Rng(seed), names = SYNTHETIC_CLASSES[kind], K = names.length;
  const x = new Float32Array(n * C * H * W), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % K;
    y[i] = cls;
    const size = (0.25 + 0.15 * rng.uniform()) * Math.min(H, W);
    const cy = H / 2 + (rng.uniform() - 0.5) * (H - 2 * size) * 0.8, cx = W / 2 + (rng.uniform() - 0.5) * (W - 2 * size) * 0.8;
    const thick = 0.12 + 0.1 * rng.uniform(), level = 0.7 + 0.3 * rng.uniform();
    for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) {
      const on = inside(kind, cls, (w + 0.5 - cx) / size, (h + 0.5 - cy) / size, thick);
      const noise = 0.1 * rng.uniform();
      for (let c = 0; c < C; c++) x[((i * C + c) * H + h) * W + w] = Math.min(1, (on ? level : 0) + noise);
    }
  }
  return { x, y, n, shape, classes: K, classNames: names };
}

/** Train and test sets of a synthetic dataset (the test set from a different seed). */
export function syntheticSplits(kind: SyntheticKind, nTrain: number, nTest: number, shape: [number, number, number], seed: number): DataSplits {
  return {
    name: `synthetic ${kind}`,
    train: syntheticDataset(kind, nTrain, shape, seed),
    test: syntheticDataset(kind, nTest, shape, seed + 7919),
  };
}
