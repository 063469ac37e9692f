// @lezer/python (1.1.19) does not read a float written with a trailing dot (`0.`, `1.e-3`): it
// parses `drop_prob == 0. or not training` as an attribute access and loses the rest of the line,
// and timm writes `0.` everywhere. Before parsing, such literals are rewritten without the dot,
// keeping every offset: `0.` → `0 `, `1.e-3` → `1e-3 `. Integral floats and ints are the same
// number to the interpreter, so the value does not change.
import { isTriple, stringStop } from './string-stop';

const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isDigitOr_ = (c: number): boolean => isDigit(c) || c === 95;

/** The literal's extent in `code` when one starts at i: digits, a dot, maybe an exponent, then no name character. */
function trailingDotAt(code: string, i: number): { dot: number; end: number } | undefined {
  if (i > 0 && (isWord(code.charCodeAt(i - 1)) || code.charCodeAt(i - 1) === 46)) return undefined;
  let j = i;
  while (j < code.length && isDigitOr_(code.charCodeAt(j))) j++;
  if (j === i || code.charCodeAt(j) !== 46) return undefined;
  const dot = j;
  let end = dot + 1;
  // an exponent: e or E, a sign, a digit, then digits and underscores
  const e = code.charCodeAt(end);
  if (e === 101 || e === 69) {
    let k = end + 1;
    if (code.charCodeAt(k) === 43 || code.charCodeAt(k) === 45) k++;
    if (isDigit(code.charCodeAt(k))) {
      while (k < code.length && isDigitOr_(code.charCodeAt(k))) k++;
      end = k;
    }
  }
  if (end < code.length && (isWord(code.charCodeAt(end)) || code.charCodeAt(end) === 46)) return undefined;
  return { dot, end };
}

/**
 * What the scan passes over whole: characters that start nothing (not a comment, a quote, a digit or a name) and
 * names (so `layer1.` is not a number, and a string prefix such as f'' or rb"" stays a name). A regular expression
 * runs through them natively, where a loop over char codes ran cold in V8's interpreter over every imported module.
 */
const PASSED = /(?:[^#"'0-9A-Za-z_]+|[A-Za-z_][0-9A-Za-z_]*)+/y;
/**
 * The source with trailing-dot floats rewritten, strings and comments untouched. The scan stops at a comment,
 * a digit or a quote; what lies between is passed natively (`PASSED`).
 */
export function fixTrailingDotFloats(src: string): string {
  if (!/\d\.(?![\d.])/.test(src)) return src;
  const parts: string[] = [];
  let copied = 0;
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 35) {
      const eol = src.indexOf('\n', i);
      i = eol < 0 ? n : eol;
    } else if (c === 34 || c === 39) {
      // after the closing quote, or after the line break that cut it
      i = Math.min(n, stringStop(src, i, n) + (isTriple(src, i) ? 3 : 1));
    } else if (isDigit(c)) {
      const lit = trailingDotAt(src, i);
      if (lit) {
        parts.push(src.slice(copied, lit.dot), src.slice(lit.dot + 1, lit.end), ' ');
        copied = lit.end;
        i = lit.end;
      } else {
        while (i < n && (isWord(src.charCodeAt(i)) || src.charCodeAt(i) === 46)) i++;
      }
    } else {
      PASSED.lastIndex = i;
      PASSED.test(src);
      i = PASSED.lastIndex;
    }
  }
  parts.push(src.slice(copied));
  return parts.join('');
}
