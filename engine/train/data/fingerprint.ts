// A fingerprint of the data a run trains on (every image's values, the labels, the sizes, of the
// training and the test images), so that resuming a run can tell that its data changed: two 32-bit
// multiply-xor hashes over the raw words, 16 hex digits. Not cryptographic: it guards against
// mistakes, not attacks.
import type { DataSplits, Dataset } from './dataset';

export function dataFingerprint(d: DataSplits): string {
  let h1 = 0x811c9dc5, h2 = 0x9747b28c;
  const mix = (w: number): void => {
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul((h2 ^ w) + 0x6d2b79f5, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  };
  const add = (s: Dataset | null): void => {
    if (!s) { mix(-1); return; }
    for (const v of [s.n, s.classes, ...s.shape]) mix(v);
    const x = new Int32Array(s.x.buffer, s.x.byteOffset, s.x.length);
    for (let i = 0; i < x.length; i++) mix(x[i]);
    for (let i = 0; i < s.n; i++) mix(s.y[i]);
  };
  add(d.train);
  add(d.test);
  const hex = (h: number): string => (h >>> 0).toString(16).padStart(8, '0');
  return hex(h1) + hex(h2);
}
