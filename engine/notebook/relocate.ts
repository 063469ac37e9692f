// A report computed on the notebook program, moved to the cells: every line (of models, rows,
// module and graph nodes, diagnostics, fixes, unmodelled things) becomes a line within its cell
// and gets that cell's number; texts that name a program line ("the call on line 40") name the
// cell and line instead. Ranges in other files (imported modules) and line 0 (no line) stay.
import type { FileReport } from '../report/types';
import { placeText } from '../report/format';
import { spanOfLine, toCell, type NotebookProgram } from './program';

/** The texts the engine writes with a line number in them. */
const TEXT_FIELDS = new Set(['message', 'inputShapeOrigin', 'reason']);

/** Moves the report in place (it is fresh from the engine) and returns it. */
export function relocateReport(report: FileReport, program: NotebookProgram): FileReport {
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const n = node as Record<string, unknown>;
    if (typeof n.file === 'string' && typeof n.endLine === 'number') return; // a range in another file
    if (typeof n.line === 'number' && n.line >= 1) {
      const span = spanOfLine(program, n.line);
      if (span) {
        const at = toCell(program, n.line, 0)!;
        if (typeof n.endLine === 'number') n.endLine = Math.max(at.line, Math.min(n.endLine - span.firstLine + 1, span.lineCount));
        n.line = at.line;
        n.cell = at.cell;
      }
    }
    // a model's class, when the model is built elsewhere: its own line and cell
    const def = typeof n.definitionLine === 'number' ? toCell(program, n.definitionLine, 0) : undefined;
    if (def) {
      n.definitionLine = def.line;
      n.definitionCell = def.cell;
    }
    for (const [k, v] of Object.entries(n)) {
      if (typeof v === 'string' && TEXT_FIELDS.has(k)) n[k] = relocateText(v, program);
      else if (k !== 'config') visit(v);
    }
  };
  visit(report);
  return report;
}

/** "on line 40" → "in cell 3, line 4". */
export function relocateText(text: string, program: NotebookProgram): string {
  return text.replace(/\bon line (\d+)/g, (all, n: string) => {
    const at = toCell(program, Number(n), 0);
    return at ? `in ${placeText(at)}` : all;
  });
}
