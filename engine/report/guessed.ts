// A model built or run past a condition ConvLens could not evaluate (`if len(sys.argv) > 1:` before the model, a
// branch on an unknown config value in __init__ or forward) is what that condition's `false` branch gives: the
// interpreter takes it as false and goes on. Its counts then assume so, and are never given as exact.
import type { Interpreter } from '../python/interpreter';
import { relatedPlace } from './related';
import type { Diagnostic, ModelReport } from './types';

export const GUESSED = 'guessed-condition';
const ASSUMED = ': this model\'s counts assume so';

/** The totals' footer for such a model's warning. */
export const guessedFooter = (d: Diagnostic): string => `≥: ${d.message.slice(0, -ASSUMED.length)}, so the counts are not exact`;

/** Marks the report as resting on the guess at `at`: not exact, with a warning that names the condition's line. */
export function markGuessed(interp: Interpreter, m: ModelReport, at: { file: string; line: number }, when: string): void {
  if (m.diagnostics.some((d) => d.code === GUESSED)) return;
  m.complete = false; m.paramsComplete = false; m.macsComplete = false;
  const inFile = at.file === interp.mainFile;
  const place = inFile ? undefined : relatedPlace(interp, at, 'a condition on an unknown value, taken as false');
  const where = inFile ? `line ${at.line}` : `line ${at.line} of ${place?.label}`;
  m.diagnostics.push({
    line: m.line, severity: 'warning', code: GUESSED,
    message: `ConvLens cannot evaluate the condition on ${where} ${when} and went on as if it were false${ASSUMED}`,
    ...(place ? { related: [place] } : {}),
  });
}
