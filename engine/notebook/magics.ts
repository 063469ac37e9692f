// IPython syntax in a cell (magics, shell lines, help lines) made into Python of exactly the same
// length, line by line, so that every offset of the cell still means the same place:
//   %matplotlib inline     → `...` padded with spaces (a statement that does nothing)
//   !pip install torch     → the same; `files = !ls` → `files = ...`
//   model?  /  ??Net       → the same
//   %time y = model(x)     → `if 1: y = model(x)` (the statement still runs, as under %time)
//   %%time / %%capture     → the magic line blank, the body analysed as Python
//   %%bash / %%writefile … → the whole cell blank: it is not Python
// A line is only read as IPython syntax where a Python statement starts (not inside brackets,
// strings or after a backslash), which is also where IPython looks for it.

/** Cell magics whose body is Python run in the notebook's namespace. */
const PYTHON_BODY = new Set(['time', 'timeit', 'capture', 'prun', 'debug']);
/** Line magics that run the rest of the line as a statement in the notebook's namespace. */
const RUNS_STATEMENT = /^%(time|timeit|prun)[ \t]+(?=[^\s-])/;

export interface NeutralisedCell {
  text: string;
  /** The cell magic that kept the whole cell from being analysed (`%%bash`), if any. */
  skipped?: string;
}

/** Python that does nothing, exactly `n` characters long (n ≥ 1). */
const filler = (n: number): string => (n >= 3 ? `...${' '.repeat(n - 3)}` : `0${' '.repeat(n - 1)}`);

const blank = (text: string): string => text.replace(/[^\r\n]/g, ' ');

/** Bracket depth, open triple-quoted string and backslash continuation carried from line to line. */
interface ScanState {
  depth: number;
  inString: string | null;
  continued: boolean;
}

/** Advances the state over one line of Python; returns the offset of the line's last code character (-1: none). */
function scanLine(line: string, st: ScanState): number {
  let last = -1;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (st.inString) {
      if (c === '\\') i += 2;
      else if (line.startsWith(st.inString, i)) { i += st.inString.length; st.inString = null; last = i - 1; }
      else i++;
      continue;
    }
    if (c === '#') break;
    if (c === '"' || c === "'") {
      if (line.startsWith(c.repeat(3), i)) { st.inString = c.repeat(3); i += 3; continue; }
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === '\\' ? 2 : 1;
      i = j + 1;
      last = Math.min(j, line.length - 1);
      continue;
    }
    if ('([{'.includes(c)) st.depth++;
    else if (')]}'.includes(c)) st.depth = Math.max(0, st.depth - 1);
    if (!/\s/.test(c)) last = i;
    i++;
  }
  st.continued = !st.inString && /\\\s*$/.test(line.replace(/#.*$/, ''));
  return last;
}

/** The line as Python of the same length, or undefined when it is Python already. */
function neutraliseLine(line: string): string | undefined {
  const indent = /^[ \t]*/.exec(line)![0].length;
  const rest = line.slice(indent).replace(/\s+$/, '');
  if (!rest) return undefined;
  const end = indent + rest.length;
  const run = RUNS_STATEMENT.exec(rest);
  if (run && run[0].length >= 6) return line.slice(0, indent) + 'if 1:'.padEnd(run[0].length) + line.slice(indent + run[0].length);
  if (/^[%!?]/.test(rest)) return line.slice(0, indent) + filler(rest.length) + line.slice(end);
  // `files = !ls`, `env = %env`: the value is unknown, the name is still bound
  const assigned = /^[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*(?=[%!])/.exec(rest);
  if (assigned) return line.slice(0, indent + assigned[0].length) + filler(rest.length - assigned[0].length) + line.slice(end);
  return undefined;
}

/** A code cell (or a `# %%` cell of a script) as plain Python of the same length. */
export function neutraliseCell(source: string): NeutralisedCell {
  const lines = source.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  const cellMagic = first >= 0 ? /^%%(\w+)/.exec(lines[first]) : null;
  if (cellMagic && !PYTHON_BODY.has(cellMagic[1])) {
    return { text: blank(source), skipped: `%%${cellMagic[1]}` };
  }
  const st: ScanState = { depth: 0, inString: null, continued: false };
  const out = lines.map((line, i) => {
    if (cellMagic && i === first) return blank(line);
    const atStatement = st.depth === 0 && !st.inString && !st.continued;
    const python = atStatement ? neutraliseLine(line) : undefined;
    if (python !== undefined) return python;
    const last = scanLine(line, st);
    // `obj?` / `obj??`: no Python line ends with a question mark outside a string or comment
    if (atStatement && last >= 0 && line[last] === '?' && st.depth === 0) {
      const indent = /^[ \t]*/.exec(line)![0].length;
      return line.slice(0, indent) + filler(last + 1 - indent) + line.slice(last + 1);
    }
    return line;
  });
  return { text: out.join('\n') };
}

/** A `# %%` cell marker of a script (Jupytext's percent format, VS Code's Python cells). */
const PERCENT_MARKER = /^#\s*%%/;

export const isPercentScript = (text: string): boolean => /^#\s*%%/m.test(text);

/** A `.py` with `# %%` cells, each neutralised as a notebook cell; same length, so every line keeps its number. */
export function neutralisePercentScript(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let cell: string[] = [];
  const flush = () => { if (cell.length) out.push(neutraliseCell(cell.join('\n')).text); cell = []; };
  for (const line of lines) {
    if (PERCENT_MARKER.test(line)) { flush(); out.push(line); } else cell.push(line);
  }
  flush();
  return out.join('\n');
}
