// How long training should take, from the model's MACs per image: forward + backward cost about
// three forward passes, and the engine sustains about 5·10⁸ multiply-accumulates per second on one
// laptop core (npm run bench:train measures it).
export const ENGINE_MACS_PER_SECOND = 5e8;
export const TRAIN_PASSES = 3;

/** Seconds for `epochs` over `trainImages`, plus evaluating `testImages` once and on `ttaViews` more views (tta.ts). */
export function estimateSeconds(macs: number, trainImages: number, testImages: number, epochs: number, ttaViews: number): number {
  return (epochs * trainImages * TRAIN_PASSES * macs + testImages * macs * (1 + ttaViews)) / ENGINE_MACS_PER_SECOND;
}
