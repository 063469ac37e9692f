// CPython's tokenizer refuses more than 200 nested brackets ("too many nested parentheses"), and
// @lezer/python overflows JavaScript's stack on a few thousand. Before parsing, every bracketed
// region that nests deeper than CPython allows is blanked (spaces; newlines and every offset
// kept) and reported, so the parser never sees it and the rest of the file is still analysed.

import { isTriple, stringStop } from './string-stop';

export const MAX_BRACKETS = 200;

export interface TooDeep {
  from: number;
  to: number;
}

/** What the scan passes over whole: anything but a comment, a quote or a bracket. */
const PLAIN = /[^#"'()[\]{}]+/y;

/** The end of the string literal whose quote starts at i: after its closing quote, else where it was cut off. */
function stringEnd(src: string, i: number): number {
  const j = stringStop(src, i);
  return src.charCodeAt(j) === src.charCodeAt(i) ? j + (isTriple(src, i) ? 3 : 1) : j;
}

/** The source with too deeply nested bracketed regions blanked, and where they were. */
export function blankTooDeep(src: string): { src: string; regions: TooDeep[] } {
  if (src.length < 2 * MAX_BRACKETS) return { src, regions: [] };
  const regions: TooDeep[] = [];
  let depth = 0;
  let outerStart = 0;
  let blanking = false;
  // comments, strings and brackets by char code, the rest passed natively: this runs over every imported file
  for (let i = 0; i < src.length;) {
    const c = src.charCodeAt(i);
    if (c === 35) {
      const eol = src.indexOf('\n', i);
      i = eol < 0 ? src.length : eol;
    } else if (c === 34 || c === 39) {
      i = stringEnd(src, i);
    } else if (c === 40 || c === 91 || c === 123) {
      if (depth === 0) outerStart = i;
      depth++;
      if (depth > MAX_BRACKETS) blanking = true;
      i++;
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth > 0) {
        depth--;
        if (depth === 0 && blanking) { regions.push({ from: outerStart, to: i + 1 }); blanking = false; }
      }
      i++;
    } else {
      PLAIN.lastIndex = i;
      PLAIN.test(src);
      i = PLAIN.lastIndex;
    }
  }
  if (blanking) regions.push({ from: outerStart, to: src.length });
  if (!regions.length) return { src, regions };
  let out = '';
  let copied = 0;
  for (const r of regions) {
    out += src.slice(copied, r.from) + src.slice(r.from, r.to).replace(/[^\n]/g, ' ');
    copied = r.to;
  }
  return { src: out + src.slice(copied), regions };
}
