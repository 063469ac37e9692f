// 8-bit pixels for the panel's pictures: a value range mapped onto 0…255.

/** Writes src[from..from+n) mapped linearly from [lo, hi] onto 0…255 (clamped) into dst at dOff. */
export function toBytes(src: Float32Array, from: number, n: number, lo: number, hi: number, dst: Uint8Array, dOff: number): void {
  const k = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0; i < n; i++) {
    const v = k ? (src[from + i] - lo) * k : 128;
    dst[dOff + i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
}

/** Smallest and largest of src[from..from+n). */
export function range(src: Float32Array, from: number, n: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = from; i < from + n; i++) { if (src[i] < lo) lo = src[i]; if (src[i] > hi) hi = src[i]; }
  return [lo, hi];
}

/** Images (n, C, H, W) with values in [0, 1] as bytes. */
export function imagesToBytes(x: Float32Array, from: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  toBytes(x, from, n, 0, 1, out, 0);
  return out;
}
