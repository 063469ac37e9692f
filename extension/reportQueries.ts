// Questions the editor asks of a file report: which model is at a line, which layer rows are under
// the cursor, where each layer's hint goes. Pure (no vscode import), with 1-based lines as in the report.
import type { FileReport, LayerRow, ModelReport, SourceRange, StatementRecord } from '../engine/report/types';

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

/** The innermost statement of forward()/call() whose range holds the position, with its model. */
export function statementAt(report: FileReport, line: number, col: number): { model: ModelReport; statement: StatementRecord } | undefined {
  let best: { model: ModelReport; statement: StatementRecord } | undefined;
  for (const model of report.models) {
    for (const statement of model.statements) {
      if (!local(statement.range) || !contains(statement.range, line, col)) continue;
      if (!best || size(statement.range) < size(best.statement.range)) best = { model, statement };
    }
  }
  return best;
}

/** One inlay hint: a statement's value, or the layer rows it sums up; where it goes (1-based line, 0-based column, or line end). */
export interface HintPlace {
  model: ModelReport;
  rows: LayerRow[];
  statement?: StatementRecord;
  line: number;
  /** Undefined: at the end of the line. */
  col?: number;
}

const within = (inner: SourceRange, outer: SourceRange): boolean =>
  contains(outer, inner.line, inner.col) && contains(outer, inner.endLine, inner.endCol);

const keyOf = (r: SourceRange): string => `${r.line}:${r.col}:${r.endLine}:${r.endCol}`;

/**
 * Where hints go — the one rule (README, "In the editor"):
 * - each statement of forward()/call() that produced a tensor gets ONE hint at the end of its last
 *   line, describing the value it binds or returns (never an inner call's output);
 * - a layer call inside such a statement gets no hint of its own (the statement's hover lists it);
 * - a layer construction gets a hint, unless it is part of its own call (Keras's
 *   `layers.Conv2D(…)(x)`: one hint, after the call) or of a statement that has one;
 * - a layer call nested in another's (Keras's `layers.Dense(10)(layers.Dropout(0.5)(x))`) shares the
 *   outer call's hint: the value the outermost call produces, with the sums of both;
 * - rows that share a range (a module called twice, layers built in a loop) share one hint; when one
 *   line holds several layers (`nn.Sequential(nn.Conv2d(…), nn.ReLU())`) each hint sits right after
 *   its layer, otherwise at the end of the line, out of the way of the code.
 */
/**
 * Moves the rows of a call nested in another call into the outer call's group (inner rows first).
 * Groups are indexed by each line they span, so that a large file's groups are not compared pairwise;
 * the outer one is the first such group in insertion order, as it was when they were.
 */
function foldNestedCalls(groups: Map<string, { rows: LayerRow[]; range: SourceRange }>): void {
  const isCall = (g: { rows: LayerRow[]; range: SourceRange }) => g.rows.some((r) => r.callRange && keyOf(r.callRange) === keyOf(g.range));
  const byLine = new Map<number, string[]>();
  for (const [key, g] of groups) {
    for (let l = g.range.line; l <= g.range.endLine; l++) {
      const keys = byLine.get(l);
      if (keys) keys.push(key); else byLine.set(l, [key]);
    }
  }
  for (const [key, g] of [...groups]) {
    const outerKey = byLine.get(g.range.line)?.find((k) => {
      const h = groups.get(k);
      return k !== key && h !== undefined && isCall(h) && within(g.range, h.range);
    });
    const outer = outerKey === undefined ? undefined : groups.get(outerKey);
    if (!outer) continue;
    outer.rows.unshift(...g.rows.filter((r) => !outer.rows.includes(r)));
    groups.delete(key);
  }
}

export function hintPlaces(report: FileReport): HintPlace[] {
  const statements = new Map<string, HintPlace>();
  for (const model of report.models) {
    for (const st of model.statements) {
      const key = keyOf(st.range);
      if (local(st.range) && !statements.has(key)) statements.set(key, { model, rows: [], statement: st, line: st.range.endLine });
    }
  }
  // statements by each line they span, so that a large file's hints are not quadratic in its statements
  const byLine = new Map<number, HintPlace[]>();
  for (const p of statements.values()) {
    for (let l = p.statement!.range.line; l <= p.statement!.range.endLine; l++) byLine.set(l, [...(byLine.get(l) ?? []), p]);
  }
  const covered = (r: SourceRange): boolean => !!byLine.get(r.line)?.some((p) => within(r, p.statement!.range));
  const groups = new Map<string, HintPlace & { range: SourceRange }>();
  for (const model of report.models) {
    for (const row of model.layers) {
      for (const range of [row.range, row.callRange]) {
        if (!local(range) || covered(range)) continue;
        if (range === row.range && local(row.callRange) && within(range, row.callRange)) continue;
        const key = keyOf(range);
        const g = groups.get(key);
        if (g) {
          if (!g.rows.includes(row)) g.rows.push(row);
        } else {
          groups.set(key, { model, rows: [row], line: range.endLine, range });
        }
      }
    }
  }
  foldNestedCalls(groups);
  const perLine = new Map<number, number>();
  for (const g of groups.values()) perLine.set(g.line, (perLine.get(g.line) ?? 0) + 1);
  const layers = [...groups.values()].map(({ model, rows, line, range }) => ({ model, rows, line, col: (perLine.get(line) ?? 0) > 1 ? range.endCol : undefined }));
  return [...layers, ...statements.values()];
}
