// A labelled image dataset in memory: n images of (C, H, W), values scaled to [0, 1].

export interface Dataset {
  /** n·C·H·W values, image after image, NCHW. */
  x: Float32Array;
  y: Int32Array;
  n: number;
  /** (C, H, W). */
  shape: [number, number, number];
  classes: number;
  classNames?: string[];
}

export interface DataSplits {
  /** What the data is, for messages and the metrics file (`MNIST subset`, `synthetic bars`, a folder). */
  name: string;
  train: Dataset;
  test: Dataset | null;
  /** What the loader changed without being asked, e.g. images resized to the first one's size. */
  warnings?: string[];
}

export const imageSize = (d: Dataset): number => d.shape[0] * d.shape[1] * d.shape[2];

/** The first `limit` images of a dataset (all when limit is undefined or larger). */
export function take(d: Dataset, limit: number | undefined): Dataset {
  if (limit === undefined || limit >= d.n) return d;
  const sz = imageSize(d);
  return { ...d, n: limit, x: d.x.subarray(0, limit * sz), y: d.y.subarray(0, limit) };
}

/** A dataset made of the listed images of another. */
export function subset(d: Dataset, idx: ArrayLike<number>): Dataset {
  const sz = imageSize(d), x = new Float32Array(idx.length * sz), y = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    x.set(d.x.subarray(idx[i] * sz, (idx[i] + 1) * sz), i * sz);
    y[i] = d.y[idx[i]];
  }
  return { ...d, n: idx.length, x, y };
}
