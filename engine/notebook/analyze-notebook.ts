// Notebooks through the engine: the code cells run as one program in cell order, and the report
// comes back in cell coordinates (`cell` + the line within it). Also the front door the CLI and
// the editor share: a notebook's cells, a `.ipynb` file's text, or a script (`# %%` cells too).
import { analyzeSource, type AnalyzeOptions } from '../analyze';
import type { FileReport } from '../report/types';
import { freeNames } from './free-names';
import { parseIpynb, type CellSource } from './ipynb';
import { isPercentScript, neutralisePercentScript } from './magics';
import { parseProgram } from './parse-cells';
import { buildProgram } from './program';
import { relocateReport } from './relocate';

// the editor's status bar imports it from its own file, without the engine
export { emptyReason } from './empty-reason';

/** At most this many undefined names are reported: more means the notebook is not the whole story. */
const MAX_FREE_NAMES = 10;

export function analyzeNotebook(file: string, cells: CellSource[], options: AnalyzeOptions = {}): FileReport {
  const program = buildProgram(cells);
  const ast = parseProgram(program);
  const report = analyzeSource(file, program.text, { ...options, ast, cellsRunApart: true });
  for (const u of freeNames(ast).slice(0, MAX_FREE_NAMES)) {
    const col = u.from - ast.lineStarts[u.line - 1];
    report.diagnostics.push({
      line: u.line, severity: 'warning', code: 'undefined-name',
      message: `\`${u.name}\` is defined in no cell: Python would raise NameError here, and what depends on it is unknown`,
      range: { line: u.line, col, endLine: u.line, endCol: col + u.to - u.from },
    });
  }
  relocateReport(report, program);
  for (const s of program.skipped) {
    report.diagnostics.push({ line: 1, cell: s.cell, severity: 'info', code: 'cell-not-python', message: `cell ${s.cell} is a ${s.magic} cell, not Python: ConvLens does not analyse it` });
  }
  return report;
}

/** A `.ipynb` file's text: its problems (corrupt JSON, unreadable cells) come first in the report. */
export function analyzeIpynb(file: string, text: string, options: AnalyzeOptions = {}): FileReport {
  const nb = parseIpynb(text);
  const report = analyzeNotebook(file, nb.cells, options);
  report.diagnostics.unshift(...nb.problems);
  return report;
}

export const isNotebookPath = (file: string): boolean => /\.ipynb$/i.test(file);

/** What a document holds: the cells of a notebook, or the text of a file (`.ipynb` JSON or Python). */
export function analyzeDocument(file: string, content: string | CellSource[], options: AnalyzeOptions = {}): FileReport {
  if (typeof content !== 'string') return analyzeNotebook(file, content, options);
  if (isNotebookPath(file)) return analyzeIpynb(file, content, options);
  // `# %%` cells of a script: magics made Python of the same length, so every line keeps its number
  if (isPercentScript(content)) return analyzeSource(file, neutralisePercentScript(content), { ...options, cellsRunApart: true });
  return analyzeSource(file, content, options);
}
