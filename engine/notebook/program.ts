// The code cells of a notebook as ONE program, in cell order, and the source map between the two:
// every place of the program is a (cell, line, column) of exactly one code cell and back. Each cell
// keeps its text (neutralised to the same length, see magics.ts) followed by a newline (also after
// a final newline: the empty last line of a cell is a line of its own), so a cell's line L,
// column C is the program's line firstLine + L - 1, column C.
import type { CellSource } from './ipynb';
import { neutraliseCell } from './magics';

export interface CellSpan {
  /** 1-based index among ALL cells of the notebook (markdown and raw included), as Jupyter numbers them. */
  cell: number;
  /** Program offsets of the cell's text: [from, to) (the added newline excluded). */
  from: number;
  to: number;
  /** 1-based program line of the cell's first line, and how many lines the cell has. */
  firstLine: number;
  lineCount: number;
}

export interface NotebookProgram {
  text: string;
  /** One span per code cell, in cell order. */
  spans: CellSpan[];
  /** Code cells whose cell magic makes them something other than Python (`%%bash`). */
  skipped: Array<{ cell: number; magic: string }>;
}

/** A place in a cell: 1-based cell and line, 0-based column (as in report ranges). */
export interface CellPosition {
  cell: number;
  line: number;
  col: number;
}

const lineCount = (text: string): number => text.split('\n').length;

export function buildProgram(cells: CellSource[]): NotebookProgram {
  let text = '';
  const spans: CellSpan[] = [];
  const skipped: NotebookProgram['skipped'] = [];
  cells.forEach((c, i) => {
    if (c.kind !== 'code') return;
    const n = neutraliseCell(c.source);
    if (n.skipped) skipped.push({ cell: i + 1, magic: n.skipped });
    const firstLine = lineCount(text);
    spans.push({ cell: i + 1, from: text.length, to: text.length + n.text.length, firstLine, lineCount: lineCount(n.text) });
    text += `${n.text}\n`;
  });
  return { text, spans, skipped };
}

/** The span holding a 1-based program line (lines past the end belong to the last cell). */
export function spanOfLine(program: NotebookProgram, line: number): CellSpan | undefined {
  const { spans } = program;
  let lo = 0, hi = spans.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (spans[mid].firstLine <= line) lo = mid; else hi = mid - 1; }
  return spans[lo];
}

/** Program line (1-based) and column → the cell position. */
export function toCell(program: NotebookProgram, line: number, col: number): CellPosition | undefined {
  const span = spanOfLine(program, line);
  return span && { cell: span.cell, line: Math.max(1, line - span.firstLine + 1), col };
}

/** Cell position → program line (1-based) and column; undefined for a cell that is not a code cell. */
export function fromCell(program: NotebookProgram, pos: CellPosition): { line: number; col: number } | undefined {
  const span = program.spans.find((s) => s.cell === pos.cell);
  return span && { line: span.firstLine + pos.line - 1, col: pos.col };
}

/** A program offset → (cell, offset within the cell's text). */
export function offsetToCell(program: NotebookProgram, offset: number): { cell: number; offset: number } | undefined {
  const span = program.spans.find((s) => offset >= s.from && offset <= s.to);
  return span && { cell: span.cell, offset: offset - span.from };
}

/** (cell, offset within the cell's text) → program offset. */
export function cellToOffset(program: NotebookProgram, cell: number, offset: number): number | undefined {
  const span = program.spans.find((s) => s.cell === cell);
  return span && offset >= 0 && offset <= span.to - span.from ? span.from + offset : undefined;
}
