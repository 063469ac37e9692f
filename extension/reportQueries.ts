// Questions the editor asks of a file report: which model is at a line, which layer rows are under
// the cursor, where each layer's hint goes. Pure (no vscode import), with 1-based lines as in the report.
import type { FileReport, LayerRow, ModelReport, SourceRange } from '../engine/report/types';

/** A range in the analysed file itself (ranges inside imported modules carry `file`). */
const local = (r: SourceRange | undefined): r is SourceRange => !!r && !r.file;

/** The model whose range holds the line, else the last one defined above it, else the first. */
export function modelAt(report: FileReport, line: number): ModelReport | undefined {
  const inside = report.models.filter((m) => local(m.range) && m.range.line <= line && line <= m.range.endLine);
  if (inside.length) return inside.reduce((a, b) => (b.range!.line >= a.range!.line ? b : a));
  const above = report.models.filter((m) => m.line <= line);
  return above.length ? above.reduce((a, b) => (b.line >= a.line ? b : a)) : report.models[0];
}

function contains(r: SourceRange, line: number, col: number): boolean {
  if (line < r.line || line > r.endLine) return false;
  if (line === r.line && col < r.col) return false;
  return !(line === r.endLine && col > r.endCol);
}

const size = (r: SourceRange): number => (r.endLine - r.line) * 10000 + (r.endCol - r.col);

/** The rows whose construction or call range holds the position: the tightest range wins. */
export function layersAt(report: FileReport, line: number, col: number): Array<{ model: ModelReport; row: LayerRow; range: SourceRange }> {
  const hits: Array<{ model: ModelReport; row: LayerRow; range: SourceRange }> = [];
  for (const model of report.models) {
    for (const row of model.layers) {
      for (const range of [row.range, row.callRange]) {
        if (local(range) && contains(range, line, col)) hits.push({ model, row, range });
      }
    }
  }
  if (!hits.length) return [];
  const best = hits.reduce((a, b) => (size(b.range) < size(a.range) ? b : a)).range;
  return hits.filter((h) => sameRange(h.range, best));
}

const sameRange = (a: SourceRange, b: SourceRange): boolean => a.line === b.line && a.col === b.col && a.endLine === b.endLine && a.endCol === b.endCol;

/** One inlay hint: the rows it sums up and where it goes (1-based line, 0-based column, or line end). */
export interface HintPlace {
  model: ModelReport;
  rows: LayerRow[];
  line: number;
  /** Undefined: at the end of the line. */
  col?: number;
}

/**
 * Where hints go: after each layer's construction and after each call in forward()/call().
 * Rows that share a range (a module called twice, layers built in a loop) share one hint. When one
 * line holds several layers (`nn.Sequential(nn.Conv2d(…), nn.ReLU())`) each hint sits right after
 * its layer; otherwise at the end of the line, out of the way of the code.
 */
export function hintPlaces(report: FileReport): HintPlace[] {
  const groups = new Map<string, HintPlace & { range: SourceRange }>();
  for (const model of report.models) {
    for (const row of model.layers) {
      const ranges = [row.range, row.callRange].filter(local);
      for (const range of ranges) {
        const key = `${range.line}:${range.col}:${range.endLine}:${range.endCol}`;
        const g = groups.get(key);
        if (g) {
          if (!g.rows.includes(row)) g.rows.push(row);
        } else {
          groups.set(key, { model, rows: [row], line: range.endLine, range });
        }
      }
    }
  }
  const perLine = new Map<number, number>();
  for (const g of groups.values()) perLine.set(g.line, (perLine.get(g.line) ?? 0) + 1);
  return [...groups.values()].map(({ model, rows, line, range }) => ({ model, rows, line, col: (perLine.get(line) ?? 0) > 1 ? range.endCol : undefined }));
}
