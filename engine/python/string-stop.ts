// Where a Python string literal stops, for the scans that read imported modules' text before lezer does
// (trailing-dot floats, bracket depth, skipped bodies): its insides are passed by a regular expression, which
// runs natively, where a loop over char codes ran cold in V8's interpreter over every imported module.

/** A string's insides up to its next quote, backslash or (single-quoted) line break, by quote character. */
const INSIDE: Record<number, RegExp> = { 34: /[^"\\\n]*/y, 39: /[^'\\\n]*/y };
const INSIDE_TRIPLE: Record<number, RegExp> = { 34: /[^"\\]*/y, 39: /[^'\\]*/y };

/** Whether the quote at i opens a triple-quoted string. */
export const isTriple = (src: string, i: number): boolean => {
  const q = src.charCodeAt(i);
  return src.charCodeAt(i + 1) === q && src.charCodeAt(i + 2) === q;
};

/**
 * Where the string literal whose quote is at i stops, escapes skipped: the offset of its closing quote (the first
 * of three for a triple-quoted one), else of the line break that cuts a one-quote string, else `end` or beyond
 * (a backslash as the last character). It is closed when the character there is its quote.
 */
export function stringStop(src: string, i: number, end = src.length): number {
  const q = src.charCodeAt(i);
  const triple = isTriple(src, i);
  const inside = (triple ? INSIDE_TRIPLE : INSIDE)[q];
  let j = i + (triple ? 3 : 1);
  // a sticky expression's lastIndex past the end of the text would start again at 0
  while (j < end) {
    inside.lastIndex = j;
    inside.test(src);
    j = inside.lastIndex;
    if (j >= end) break;
    const c = src.charCodeAt(j);
    if (c === 92) j += 2;
    else if (c !== q || !triple || (src.charCodeAt(j + 1) === q && src.charCodeAt(j + 2) === q)) return j;
    else j++;
  }
  return j;
}
