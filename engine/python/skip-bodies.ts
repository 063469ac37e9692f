// An imported package is mostly function bodies (timm: 65% of its 4.8 MB), and importing it runs none of
// them. Before lezer parses an imported module, a light scan of Python's line structure (strings, comments,
// brackets, backslash continuations, indentation) finds each block body of a `def`; lezer then reads `...`
// in its place and skips the rest (a parse over ranges), and the body is parsed from the text when the
// function is first called (`SourcePieces.def`). Long triple-quoted strings outside those bodies (docstrings:
// a quarter of what is left of timm) are skipped inside their quotes too: lezer reads an empty string, and the
// converter decodes the literal from the text. Anything the scan is not sure of (a tab in an indentation, a
// lone carriage return, an unterminated string or bracket, a stray closing bracket, an unexpected indent or
// an inconsistent dedent) means no skeleton: the whole text is parsed as before.
import { isTriple, stringStop } from './string-stop';

export interface Skeleton {
  /** The text with `...` written at the start of each skipped body (same length). */
  src: string;
  /** What lezer reads: the text without the skipped bodies and long strings' insides. */
  ranges: Array<{ from: number; to: number }>;
  /** Per skipped def: the offset of its `def` keyword → the end of its last body line (where `\n` is). */
  bodies: Map<number, number>;
}

const NL = 10, CR = 13, HASH = 35, BACKSLASH = 92, SPACE = 32, TAB = 9, FF = 12;

const isName = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c > 127;

/** Triple-quoted strings longer than this are skipped inside their quotes. */
const LONG_STRING = 64;

/**
 * What a line's scan passes over whole (not a line break, a comment, a quote, a backslash, a bracket or a colon):
 * a regular expression runs through it natively, where a loop over char codes ran cold in V8's interpreter for the
 * first few MB (the scans of timm's ~100 model modules, 3.3 MB, at every first analysis).
 */
const PLAIN = /[^\n#"'\\()[\]{}:]+/y;
class LineScanner {
  /** Set when the text is not plain enough to be sure of (see the file's comment). */
  unsure = false;
  /** Whether to note long strings' insides in `gaps` (not inside a body that is skipped whole). */
  noting = false;

  constructor(private readonly src: string, private readonly end: number, private readonly gaps: Array<{ from: number; to: number }>) {}

  /**
   * Scans one logical line from i: where its ending `\n` is (or the end), its first `:` outside brackets and
   * its last character of code.
   */
  line(i: number): { eol: number; colon: number; last: number } {
    const { src, end } = this;
    let depth = 0;
    let colon = -1;
    /** The last character of the line's code (not a comment, a space or a continuation). */
    let last = 0;
    while (i < end) {
      const c = src.charCodeAt(i);
      if (c !== NL && c !== HASH && c !== SPACE && c !== CR && c !== BACKSLASH && c !== FF) last = c;
      if (c === NL) {
        if (depth === 0) return { eol: i, colon, last };
        i++;
      } else if (c === HASH) {
        while (i < end && src.charCodeAt(i) !== NL) i++;
      } else if (c === 34 || c === 39) {
        i = this.string(i);
      } else if (c === BACKSLASH) {
        i += src.charCodeAt(i + 1) === CR && src.charCodeAt(i + 2) === NL ? 3 : 2;
      } else if (c === 40 || c === 91 || c === 123) {
        depth++;
        i++;
      } else if (c === 41 || c === 93 || c === 125) {
        if (depth === 0) this.unsure = true;
        else depth--;
        i++;
      } else if (c === 58) {
        if (depth === 0 && colon < 0 && src.charCodeAt(i + 1) !== 61) colon = i;
        i++;
      } else {
        // a name is passed whole, so a string's prefix (rb'', f"") reaches the quote as one
        const from = i;
        PLAIN.lastIndex = i;
        PLAIN.test(src);
        i = Math.min(PLAIN.lastIndex, end);
        let k = i - 1;
        while (k > from && (src.charCodeAt(k) === SPACE || src.charCodeAt(k) === CR || src.charCodeAt(k) === FF)) k--;
        if ((c !== SPACE && c !== CR && c !== FF) || k > from) last = src.charCodeAt(k);
      }
    }
    if (depth > 0) this.unsure = true;
    return { eol: end, colon, last };
  }

  /** Whether the string whose quote is at i has an f prefix (lezer reads the fields inside it). */
  private formatted(i: number): boolean {
    for (let k = i - 1; k >= 0 && isName(this.src.charCodeAt(k)); k--) if ((this.src.charCodeAt(k) | 32) === 102) return true;
    return false;
  }

  /** The end of the string literal whose quote is at i. */
  private string(i: number): number {
    const { src, end } = this;
    const triple = isTriple(src, i);
    const j = stringStop(src, i, end);
    if (j < end && src.charCodeAt(j) === src.charCodeAt(i)) {
      if (triple && this.noting && j - i - 3 > LONG_STRING && !this.formatted(i)) this.gaps.push({ from: i + 3, to: j });
      return j + (triple ? 3 : 1);
    }
    this.unsure = true;
    return Math.min(j, end);
  }
}

/**
 * The top-level statements of src, each from its first character to the end of its last line (a compound
 * statement with its indented block); undefined when the scan is not sure of the text.
 */
export function topLevelStatements(src: string): Array<{ from: number; to: number }> | undefined {
  const scan = new LineScanner(src, src.length, []);
  const out: Array<{ from: number; to: number }> = [];
  let i = 0;
  while (i < src.length) {
    let j = i;
    while (src.charCodeAt(j) === SPACE || src.charCodeAt(j) === TAB || src.charCodeAt(j) === FF) j++;
    const c = src.charCodeAt(j);
    if (j >= src.length) break;
    if (c === NL || c === CR || c === HASH) {
      const eol = src.indexOf('\n', j);
      i = eol < 0 ? src.length : eol + 1;
      continue;
    }
    const { eol } = scan.line(j);
    if (scan.unsure) return undefined;
    if (j === i) out.push({ from: j, to: eol });
    else if (out.length) out[out.length - 1].to = eol;
    else return undefined;
    i = eol + 1;
  }
  return out;
}

/** Whether `def` (or `async def`) starts at i, followed by something that is not a name character. */
function defAt(src: string, i: number): number {
  if (src.startsWith('async', i) && !isName(src.charCodeAt(i + 5))) {
    let j = i + 5;
    while (src.charCodeAt(j) === SPACE) j++;
    if (j > i + 5) i = j;
    else return -1;
  }
  return src.startsWith('def', i) && !isName(src.charCodeAt(i + 3)) ? i : -1;
}

/**
 * The skeleton of src[start, end) (a stretch of whole top-level statements) without its functions' block
 * bodies; undefined when there is nothing to skip or the scan is not sure of the text.
 */
export function skeleton(src: string, start = 0, end = src.length): Skeleton | undefined {
  for (let i = src.indexOf('\r', start); i >= 0 && i < end; i = src.indexOf('\r', i + 1)) {
    if (src.charCodeAt(i + 1) !== NL) return undefined;
  }
  /** What lezer skips, in order: bodies (after their `...`) and long strings' insides. */
  const gaps: Array<{ from: number; to: number }> = [];
  const scan = new LineScanner(src, end, gaps);
  const skipped: Array<{ def: number; body: number; eol: number }> = [];
  /** The def whose body is being skipped (or awaited: body < 0), with its indentation. */
  let open: { def: number; indent: number; body: number; eol: number } | undefined;
  const close = () => {
    if (open && open.body >= 0 && open.eol - open.body > 3 && open.eol < end) {
      skipped.push({ def: open.def, body: open.body, eol: open.eol });
      // lezer reads the line break as the whole text has it (`\r\n` ends a node before its `\n`)
      gaps.push({ from: open.body + 3, to: src.charCodeAt(open.eol - 1) === CR ? open.eol - 1 : open.eol });
    }
    open = undefined;
  };
  /** The indentation of the enclosing blocks, as CPython's tokenizer keeps it. */
  const indents = [0];
  let opener = false;
  let i = start;
  while (i < end) {
    // a logical line: its indentation first
    let col = 0, j = i;
    for (;; j++) {
      const c = src.charCodeAt(j);
      if (c === SPACE) col++;
      else if (c === TAB) return undefined;
      else if (c !== FF) break;
    }
    const c = src.charCodeAt(j);
    if (j >= end) break;
    if (c === NL || c === CR || c === HASH) {
      // blank or comment only: no part of the indentation
      const eol = src.indexOf('\n', j);
      i = eol < 0 || eol >= end ? end : eol + 1;
      continue;
    }
    // an unexpected indent or an inconsistent dedent: lezer recovers from it in its own way
    if (col > indents[indents.length - 1]) {
      if (!opener) return undefined;
      indents.push(col);
    } else {
      while (col < indents[indents.length - 1]) indents.pop();
      if (col !== indents[indents.length - 1]) return undefined;
    }
    if (open && col <= open.indent) close();
    scan.noting = !open;
    const { eol, colon, last } = scan.line(j);
    if (scan.unsure) return undefined;
    opener = last === 58;
    if (open) {
      if (open.body < 0) open.body = j;
      open.eol = eol;
    } else {
      const def = defAt(src, j);
      if (def >= 0 && colon >= 0) {
        // a block body when nothing but a comment follows the header's colon
        let k = colon + 1;
        while (k < eol && (src.charCodeAt(k) === SPACE || src.charCodeAt(k) === CR)) k++;
        if (k === eol || src.charCodeAt(k) === HASH) open = { def, indent: col, body: -1, eol: -1 };
      }
    }
    i = eol + 1;
  }
  close();
  if (!gaps.length) return undefined;
  const parts: string[] = [];
  const bodies = new Map<number, number>();
  let copied = 0;
  for (const s of skipped) {
    parts.push(src.slice(copied, s.body), '...');
    copied = s.body + 3;
    bodies.set(s.def, s.eol);
  }
  parts.push(src.slice(copied));
  const ranges: Skeleton['ranges'] = [];
  let from = start;
  for (const g of gaps) {
    ranges.push({ from, to: g.from });
    from = g.to;
  }
  if (from < end) ranges.push({ from, to: end });
  return { src: parts.join(''), ranges, bodies };
}
