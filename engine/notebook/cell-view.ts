// One cell's view of a notebook report, for an editor that shows each cell as its own document:
// the report as the cell's document sees it. Lines and ranges of this cell stay as they are (they
// already count within the cell); a range in another cell is marked as in another file (as ranges in
// imported modules are), a line in another cell becomes 0 ("not in this document"); diagnostics are
// this cell's only (the home cell, the first code cell, also gets those of no cell: "the analysis
// failed"). Every model stays, so a hover on a layer call in this cell still finds a model
// defined in another.
import type { FileReport } from '../report/types';

export function cellView(report: FileReport, cell: number, home: boolean): FileReport {
  const view = structuredClone(report);
  const here = (d: { cell?: number }) => d.cell === cell || (home && d.cell === undefined);
  view.diagnostics = view.diagnostics.filter(here);
  for (const m of view.models) m.diagnostics = m.diagnostics.filter(here);
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n.definitionCell === 'number' && n.definitionCell !== cell) delete n.definitionLine;
    if (typeof n.cell === 'number' && n.cell !== cell && typeof n.line === 'number') {
      if (typeof n.endLine === 'number') n.file = `${report.file}#cell${n.cell}`;
      else n.line = 0;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'config') visit(v);
  };
  visit(view);
  return view;
}
