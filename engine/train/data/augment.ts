// Writing one image into a batch: normalisation, and the lecture's augmentation — random crop
// (zero-pad by `pad`, then crop back to H×W at a random offset) and random horizontal flip — and
// the fixed views of test-time augmentation (four corner crops and the centre, each also flipped).

export interface View {
  /** Crop offset inside the image padded by `pad` on every side (pad, pad = the image itself). */
  oy: number;
  ox: number;
  flip: boolean;
}

export interface Normalization {
  mean: number[];
  std: number[];
}

/** Copies image `src[off..]` (C, H, W) seen through `view` into `dst[dOff..]`, normalised per channel. */
export function writeView(src: Float32Array, off: number, shape: [number, number, number], pad: number, view: View,
  norm: Normalization, dst: Float32Array, dOff: number): void {
  const [C, H, W] = shape;
  for (let c = 0; c < C; c++) {
    const m = norm.mean[c], s = 1 / norm.std[c], base = off + c * H * W, zero = (0 - m) * s;
    for (let h = 0; h < H; h++) {
      const sh = h + view.oy - pad, row = dOff + (c * H + h) * W;
      if (sh < 0 || sh >= H) { dst.fill(zero, row, row + W); continue; }
      const srow = base + sh * W;
      for (let w = 0; w < W; w++) {
        const sw = (view.flip ? W - 1 - w : w) + view.ox - pad;
        dst[row + w] = sw < 0 || sw >= W ? zero : (src[srow + sw] - m) * s;
      }
    }
  }
}

/**
 * The test-time views of the augmentations a run trained with, never others (a model that never
 * saw a flipped digit must not be asked about one): with crops, the corners (0,0), (0,2p), (2p,0),
 * (2p,2p) and the centre (p,p); with flips, each view also mirrored. Without either: the centre only.
 */
export function ttaViews(pad: number, trained: { crop?: boolean; flip?: boolean }): View[] {
  const offsets: Array<[number, number]> = trained.crop ? [[0, 0], [0, 2 * pad], [2 * pad, 0], [2 * pad, 2 * pad], [pad, pad]] : [[pad, pad]];
  return offsets.flatMap(([oy, ox]) => (trained.flip ? [{ oy, ox, flip: false }, { oy, ox, flip: true }] : [{ oy, ox, flip: false }]));
}

/** Per-channel mean and standard deviation of a dataset's images. */
export function channelStats(x: Float32Array, n: number, shape: [number, number, number]): Normalization {
  const [C, H, W] = shape, L = H * W, mean: number[] = [], std: number[] = [];
  for (let c = 0; c < C; c++) {
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) for (let j = (i * C + c) * L, e = j + L; j < e; j++) { s += x[j]; s2 += x[j] * x[j]; }
    const m = s / (n * L);
    mean.push(m);
    std.push(Math.sqrt(Math.max(s2 / (n * L) - m * m, 0)) || 1);
  }
  return { mean, std };
}
