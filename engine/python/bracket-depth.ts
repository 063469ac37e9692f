// CPython's tokenizer refuses more than 200 nested brackets ("too many nested parentheses"), and
// @lezer/python overflows JavaScript's stack on a few thousand. Before parsing, every bracketed
// region that nests deeper than CPython allows is blanked (spaces; newlines and every offset
// kept) and reported, so the parser never sees it and the rest of the file is still analysed.

export const MAX_BRACKETS = 200;

export interface TooDeep {
  from: number;
  to: number;
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/** The end of the string literal whose quote starts at i (escapes skipped, triple quotes handled). */
function stringEnd(src: string, i: number): number {
  const q = src[i];
  const triple = src.startsWith(q.repeat(3), i);
  const quote = triple ? q.repeat(3) : q;
  let j = i + quote.length;
  while (j < src.length) {
    if (src[j] === '\\') { j += 2; continue; }
    if (!triple && src[j] === '\n') return j;
    if (src.startsWith(quote, j)) return j + quote.length;
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
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '"' || c === "'") { i = stringEnd(src, i) - 1; continue; }
    if (OPEN.has(c)) {
      if (depth === 0) outerStart = i;
      depth++;
      if (depth > MAX_BRACKETS) blanking = true;
    } else if (CLOSE.has(c) && depth > 0) {
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
