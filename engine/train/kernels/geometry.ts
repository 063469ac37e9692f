// Sliding-window geometry shared by convolution and pooling. Every op is run as a 3-D window over
// (D, H, W); 1-D and 2-D inputs get leading spatial sizes of 1, so one set of kernels serves
// Conv1d/2d/3d and the pools.

export interface Window {
  /** Input spatial size, output spatial size, kernel, stride, padding before, dilation: (D, H, W). */
  inSize: number[];
  outSize: number[];
  k: number[];
  s: number[];
  p: number[];
  d: number[];
}

/** Pads a per-dimension list to 3 entries with `fill` in front. */
export const to3 = (v: readonly number[], fill: number): number[] => [...Array(3 - v.length).fill(fill), ...v];

/** Output length of a window op: ⌊(l + pTotal − d(k−1) − 1)/s⌋ + 1, or the ceil_mode variant. */
export function windowOut(l: number, k: number, s: number, pBefore: number, pTotal: number, d: number, ceil: boolean): number {
  const span = l + pTotal - d * (k - 1) - 1;
  if (!ceil) return Math.floor(span / s) + 1;
  let o = Math.ceil(span / s) + 1;
  // PyTorch: the last window must start inside the input or the left padding.
  if ((o - 1) * s >= l + pBefore) o--;
  return o;
}

/** A per-dimension integer list from a config value (an int, or a list of n ints). */
export function perDim(v: unknown, n: number, what: string): number[] {
  if (typeof v === 'number' && Number.isInteger(v)) return Array(n).fill(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    if (v.length === n) return v as number[];
    if (v.length === 1) return Array(n).fill(v[0]);
  }
  throw new Error(`${what} must be an int or ${n} ints, got ${JSON.stringify(v)}`);
}
