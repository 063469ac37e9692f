// When test-time augmentation runs and what it averages. It replays only the augmentations a run
// trained with (a model that never saw a flipped digit must not be asked about one), so it is off
// for a run without any; the panel's TTA box follows the augmentation boxes and says why in a line.
import { ttaViews } from '../data/augment';

export interface Augmentation { crop: boolean; flip: boolean }

const augmented = (a: Augmentation): boolean => a.crop || a.flip;

/** How many views TTA averages per test image: 0 when it does not run (off, or nothing to replay). */
export function ttaViewCount(tta: boolean, trained: Augmentation): number {
  return tta && augmented(trained) ? ttaViews(1, trained).length : 0;
}

/**
 * The TTA box after an augmentation box changed: on when the run starts augmenting, off when it
 * stops, the user's own choice otherwise (a run with crops may still be tested without TTA).
 */
export function ttaAfter(before: Augmentation & { tta: boolean }, after: Augmentation): boolean {
  if (!augmented(after)) return false;
  return augmented(before) ? before.tta : true;
}

/** One line that explains the choice. */
export function ttaNote(s: Augmentation & { tta: boolean }): string {
  if (!augmented(s)) return 'Test-time augmentation is off: it replays the crops and flips a run trains with, and this one trains with none.';
  const views = ttaViews(1, s).length;
  const what = s.crop && s.flip ? 'the 4 corner crops and the centre, each also mirrored' : s.crop ? 'the 4 corner crops and the centre' : 'each image and its mirror image';
  if (!s.tta) return `Test-time augmentation is off (on, it would average ${views} views: ${what}).`;
  return `Test-time augmentation averages ${views} views, ${what}: only what this run trains with.`;
}
