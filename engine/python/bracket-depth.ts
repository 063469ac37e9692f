// CPython's tokenizer refuses more than 200 nested brackets ("too many nested parentheses"), and
// @lezer/python overflows JavaScript's stack on a few thousand. Before parsing, every bracketed
// region that nests deeper than CPython allows is blanked (spaces; newlines and every offset
// kept) and reported, so the parser never sees it and the rest of the file is still analysed.

export const MAX_BRACKETS = 200;

export interface TooDeep {
  from: number;
  to: number;
}

/** The end of the string literal whose quote starts at i (escapes skipped, triple quotes handled). */
function stringEnd(src: string, i: number): number {
  const q = src.charCodeAt(i);
  const triple = src.charCodeAt(i + 1) === q && src.charCodeAt(i + 2) === q;
  let j = i + (triple ? 3 : 1);
  while (j < src.length) {
    const c = src.charCodeAt(j);
    if (c === 92) { j += 2; continue; }
    if (!triple && c === 10) return j;
    if (c === q && (!triple || (src.charCodeAt(j + 1) === q && src.charCodeAt(j + 2) === q))) return j + (triple ? 3 : 1);
    j++;
  }
  return j;
}

/** The source with too deeply nested bracketed regions blanked, and where they were. */
export function blankTooDeep(src: string): { src: string; regions: TooDeep[] } {
  if (src.length < 2 * MAX_BRACKETS) return { src, regions: [] };
  const regions: TooDeep[] = [];
  let depth = 0;
  let outerStart = 0;
  let blanking = false;
  // char codes, not one-character strings: this runs over every imported file (timm: 4.8 MB)
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 35) { while (i < src.length && src.charCodeAt(i) !== 10) i++; continue; }
    if (c === 34 || c === 39) { i = stringEnd(src, i) - 1; continue; }
    if (c === 40 || c === 91 || c === 123) {
      if (depth === 0) outerStart = i;
      depth++;
      if (depth > MAX_BRACKETS) blanking = true;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) {
      depth--;
      if (depth === 0 && blanking) { regions.push({ from: outerStart, to: i + 1 }); blanking = false; }
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
