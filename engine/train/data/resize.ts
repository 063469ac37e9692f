// Fitting images to a model's input: bilinear resampling (align_corners=False, like
// torch.nn.functional.interpolate) and channel conversion (grey ↔ RGB by luminance/replication).
import type { DataSplits, Dataset } from './dataset';

/** Resamples one (C, H, W) plane set to (C, h, w). */
export function resizeBilinear(src: Float32Array, C: number, H: number, W: number, h: number, w: number, dst: Float32Array, dOff = 0): void {
  const sy = H / h, sx = W / w;
  for (let c = 0; c < C; c++) for (let i = 0; i < h; i++) {
    const fy = Math.max(0, (i + 0.5) * sy - 0.5), y0 = Math.min(H - 1, Math.floor(fy)), y1 = Math.min(H - 1, y0 + 1), ty = fy - y0;
    for (let j = 0; j < w; j++) {
      const fx = Math.max(0, (j + 0.5) * sx - 0.5), x0 = Math.min(W - 1, Math.floor(fx)), x1 = Math.min(W - 1, x0 + 1), tx = fx - x0;
      const p = c * H * W;
      const top = src[p + y0 * W + x0] * (1 - tx) + src[p + y0 * W + x1] * tx;
      const bot = src[p + y1 * W + x0] * (1 - tx) + src[p + y1 * W + x1] * tx;
      dst[dOff + (c * h + i) * w + j] = top * (1 - ty) + bot * ty;
    }
  }
}

/** Converts (C, H·W) pixels to `c` channels: RGB(A) → grey by luminance, grey → RGB by replication. */
export function convertChannels(src: Float32Array, C: number, L: number, c: number): Float32Array {
  if (C === c) return src;
  const out = new Float32Array(c * L);
  for (let i = 0; i < L; i++) {
    const grey = C >= 3 ? 0.299 * src[i] + 0.587 * src[L + i] + 0.114 * src[2 * L + i] : src[i];
    for (let k = 0; k < c; k++) out[k * L + i] = c === 1 || C < 3 ? grey : src[Math.min(k, C - 1) * L + i];
  }
  return out;
}

export function resizeDataset(d: Dataset, shape: [number, number, number]): Dataset {
  const [C, H, W] = d.shape, [c, h, w] = shape;
  if (C === c && H === h && W === w) return d;
  const x = new Float32Array(d.n * c * h * w), tmp = new Float32Array(C * h * w);
  for (let i = 0; i < d.n; i++) {
    resizeBilinear(d.x.subarray(i * C * H * W, (i + 1) * C * H * W), C, H, W, h, w, tmp);
    x.set(convertChannels(tmp, C, h * w, c), i * c * h * w);
  }
  return { ...d, x, shape: [c, h, w] };
}


/** Zero-pads (or centre-crops) each image to (h, w), converting channels as resizeDataset does. */
export function padDataset(d: Dataset, shape: [number, number, number]): Dataset {
  const [C, H, W] = d.shape, [c, h, w] = shape;
  if (C === c && H === h && W === w) return d;
  const top = Math.floor((h - H) / 2), left = Math.floor((w - W) / 2);
  const x = new Float32Array(d.n * c * h * w), tmp = new Float32Array(C * h * w);
  for (let i = 0; i < d.n; i++) {
    tmp.fill(0);
    for (let ch = 0; ch < C; ch++) for (let y = 0; y < h; y++) {
      const sy = y - top;
      if (sy < 0 || sy >= H) continue;
      for (let xx = 0; xx < w; xx++) {
        const sx = xx - left;
        if (sx >= 0 && sx < W) tmp[(ch * h + y) * w + xx] = d.x[((i * C + ch) * H + sy) * W + sx];
      }
    }
    x.set(convertChannels(tmp, C, h * w, c), i * c * h * w);
  }
  return { ...d, x, shape: [c, h, w] };
}

export type FitMode = 'resize' | 'pad';

/** Both splits brought to the model's input by resampling or by zero-padding/cropping. */
export function fitSplits(s: DataSplits, shape: [number, number, number], mode: FitMode = 'resize'): DataSplits {
  const f = mode === 'pad' ? padDataset : resizeDataset;
  return { ...s, train: f(s.train, shape), test: s.test && f(s.test, shape) };
}
