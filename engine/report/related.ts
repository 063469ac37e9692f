// A Python error raised inside another file (an imported module, the bundled torchvision) is shown
// at the analysed file's line that led there, with the place it was raised as related information:
// never a line number of another file presented as the user's.
import type { Interpreter } from '../python/interpreter';
import { raisedIn, type PyRaise } from '../python/values';
import type { Diagnostic, RelatedPlace } from './types';

/** The place of another file, named as the user knows it. */
export function relatedPlace(interp: Interpreter, origin: { file: string; line: number }, message: string): RelatedPlace {
  const label = interp.importer?.describe?.(origin.file) ?? origin.file;
  const installedLibrary = interp.importer?.isInstalledLibrary?.(origin.file) === true;
  return { file: origin.file, line: origin.line, label, message, ...(installedLibrary ? { installedLibrary } : {}) };
}

/**
 * An exception raised inside an installed library's code may be the library's verdict on the user's call or
 * a Python feature ConvLens does not follow there: a warning that says both, never "this line would fail".
 */
export const LIBRARY_HEDGE = 'if the code runs in Python, ConvLens cannot follow that library here';

/** ` (raised at line 198 of torchvision/models/_utils.py …)`: the message's pointer to a related place. */
export function whereRaised(place: RelatedPlace | undefined): string {
  return place ? ` (raised at line ${place.line} of ${place.label})` : '';
}

/** The analysed file's line for an exception (0 when it never passed there), and where it was raised. */
export function placeRaise(interp: Interpreter, e: PyRaise): { line: number; related?: RelatedPlace } {
  const at = raisedIn(e, interp.mainFile);
  return { line: at.line, ...(at.origin ? { related: relatedPlace(interp, at.origin, `${e.type} raised here`) } : {}) };
}

/**
 * An exception raised after ConvLens took a condition it could not evaluate as false (`if response.url == url`
 * in a download helper): it may never happen, so an info that says so, never "would fail".
 */
export function unsureRaise(interp: Interpreter, line: number, what: string, related: RelatedPlace | undefined,
  guessAt: { file: string; line: number }): Diagnostic {
  const guess = relatedPlace(interp, guessAt, 'a condition on an unknown value, taken as false');
  const message = `${what}${whereRaised(related)} — reached only by taking a condition ConvLens cannot evaluate as false `
    + `(line ${guess.line} of ${guess.label})`;
  return { line, severity: 'info', code: 'unsure-raise', message, related: [...(related ? [related] : []), guess] };
}
