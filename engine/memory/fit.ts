// The largest batch size whose training peak fits a memory budget. The peak is affine in the batch
// for the parts that scale with it (saved activations, the transients' candidates), and the largest
// transient is a maximum of such lines: so solve the line through batch 1 and 2, then step to the
// exact answer, checked at the answer and the answer + 1.
import { memoryAt, type MemoryModel, type MemoryOptions } from './estimate';

const LIMIT = 2 ** 31;

export function largestBatch(model: MemoryModel, o: Omit<MemoryOptions, 'batchSize'>, budget: number): number {
  const peak = (batch: number) => memoryAt(model, { ...o, batchSize: batch }).memory.trainingPeakBytes;
  if (peak(1) > budget) return 0;
  const slope = peak(2) - peak(1);
  if (slope <= 0) return LIMIT; // nothing grows with the batch (a model whose activations are unknown)
  let b = Math.max(1, Math.min(LIMIT, Math.floor((budget - peak(1)) / slope) + 1));
  // the peak is convex in the batch, so the line from 1 and 2 can only overshoot: step down, then up
  while (b > 1 && peak(b) > budget) b = Math.max(1, Math.floor(b * 0.99));
  let step = 1;
  while (b + step <= LIMIT && peak(b + step) <= budget) { b += step; step *= 2; }
  for (; step >= 1; step = Math.floor(step / 2)) if (b + step <= LIMIT && peak(b + step) <= budget) b += step;
  return b;
}
