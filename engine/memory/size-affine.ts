// Element counts as affine functions of the batch size: what scales with the batch (activations of
// the input's samples) and what does not (per-channel statistics, constants). Activation elements and
// int64 elements are kept apart, since only the first take the chosen dtype.

export interface Affine { fixed: number; perSample: number }

export interface Elements {
  /** In the activation dtype. */
  act: Affine;
  /** int64 (indices). */
  long: Affine;
}

export const ZERO: Elements = { act: { fixed: 0, perSample: 0 }, long: { fixed: 0, perSample: 0 } };

export function elements(count: number, scales: boolean, long = false): Elements {
  const a: Affine = scales ? { fixed: 0, perSample: count } : { fixed: count, perSample: 0 };
  return long ? { act: ZERO.act, long: a } : { act: a, long: ZERO.long };
}

const addAffine = (a: Affine, b: Affine): Affine => ({ fixed: a.fixed + b.fixed, perSample: a.perSample + b.perSample });

export const plus = (a: Elements, b: Elements): Elements => ({ act: addAffine(a.act, b.act), long: addAffine(a.long, b.long) });

export const sumElements = (xs: Elements[]): Elements => xs.reduce(plus, ZERO);

/** Bytes at batch size `batch`, `dtypeBytes` per activation element and 8 per int64 one. */
export function bytesAt(e: Elements, batch: number, dtypeBytes: number): number {
  return Math.round((e.act.fixed + e.act.perSample * batch) * dtypeBytes + (e.long.fixed + e.long.perSample * batch) * 8);
}
