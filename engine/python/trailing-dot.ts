// @lezer/python (1.1.19) does not read a float written with a trailing dot (`0.`, `1.e-3`): it
// parses `drop_prob == 0. or not training` as an attribute access and loses the rest of the line,
// and timm writes `0.` everywhere. Before parsing, such literals are rewritten without the dot,
// keeping every offset: `0.` → `0 `, `1.e-3` → `1e-3 `. Integral floats and ints are the same
// number to the interpreter, so the value does not change.

/** The literal's extent in `code` when one starts at i: digits, a dot, maybe an exponent, then no name character. */
function trailingDotAt(code: string, i: number): { dot: number; end: number } | undefined {
  if (i > 0 && /[\w.]/.test(code[i - 1])) return undefined;
  let j = i;
  while (j < code.length && /[\d_]/.test(code[j])) j++;
  if (j === i || code[j] !== '.') return undefined;
  const dot = j;
  const exp = /^[eE][+-]?\d[\d_]*/.exec(code.slice(dot + 1));
  const end = dot + 1 + (exp ? exp[0].length : 0);
  if (end < code.length && /[\w.]/.test(code[end])) return undefined;
  return { dot, end };
}

// What the scan stops at: a comment, a name (copied whole, so `layer1.` is not a number, and a
// string prefix such as f'' or rb"" stays a name), a digit, or a quote.
const TOKEN = /#[^\n]*|[A-Za-z_]\w*|\d|'|"/g;

/** The source with trailing-dot floats rewritten, strings and comments untouched. */
export function fixTrailingDotFloats(src: string): string {
  if (!/\d\.(?![\d.])/.test(src)) return src;
  const parts: string[] = [];
  let copied = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(src); m; m = TOKEN.exec(src)) {
    const i = m.index, c = m[0];
    if (c === '"' || c === "'") {
      const quote = src.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < src.length && !src.startsWith(quote, j)) {
        if (src[j] === '\\') j++;
        else if (quote.length === 1 && src[j] === '\n') break;
        j++;
      }
      TOKEN.lastIndex = Math.min(src.length, j + quote.length);
    } else if (c >= '0' && c <= '9') {
      const lit = trailingDotAt(src, i);
      if (lit) {
        parts.push(src.slice(copied, lit.dot), src.slice(lit.dot + 1, lit.end), ' ');
        copied = lit.end;
        TOKEN.lastIndex = lit.end;
      } else {
        let j = i;
        while (j < src.length && /[\w.]/.test(src[j])) j++;
        TOKEN.lastIndex = j;
      }
    }
  }
  parts.push(src.slice(copied));
  return parts.join('');
}
