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

/** The source with trailing-dot floats rewritten, strings and comments untouched. */
export function fixTrailingDotFloats(src: string): string {
  if (!/\d\.(?![\d.])/.test(src)) return src;
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#') {
      const nl = src.indexOf('\n', i);
      const end = nl < 0 ? src.length : nl;
      out += src.slice(i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      const quote = src.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < src.length && !src.startsWith(quote, j)) {
        if (src[j] === '\\') j++;
        else if (quote.length === 1 && src[j] === '\n') break;
        j++;
      }
      const end = Math.min(src.length, j + quote.length);
      out += src.slice(i, end);
      i = end;
    } else if (/\d/.test(c)) {
      const lit = trailingDotAt(src, i);
      if (lit) {
        out += src.slice(i, lit.dot) + src.slice(lit.dot + 1, lit.end) + ' ';
        i = lit.end;
      } else {
        let j = i;
        while (j < src.length && /[\w.]/.test(src[j])) j++;
        out += src.slice(i, j);
        i = j;
      }
    } else if (/[A-Za-z_]/.test(c)) {
      // a name (with a possible string prefix such as f'' or rb""), copied whole so `layer1.` is not a number
      let j = i;
      while (j < src.length && /\w/.test(src[j])) j++;
      out += src.slice(i, j);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
