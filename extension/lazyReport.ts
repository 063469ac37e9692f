// The report crosses from the analysis worker to the extension host in two parts: what the
// diagnostics, status bar and CodeLens read on every edit (totals, diagnostics, input shape), as
// objects, and the rest (each model's layer rows, forward statements, graph, module tree and
// state-dict entries: ~95% of a report) as bytes the host decodes only when a view first reads one
// of them (hover, summary, training). The inlay hints come with the report as ready items
// (hintItems.ts). Decoding a 0.1–0.9 MB object graph, and making accessors on each of its rows, on
// the host's thread then no longer stands between an edit and its hints. Pure: the caller gives the
// encoding (v8's serializer in Node).
import type { FileReport, ModelReport } from '../engine/report/types';

const MODEL_FIELDS = ['layers', 'statements', 'graph', 'modules', 'parameters'] as const;

/** What each model leaves in the second part, in model order. */
type ModelRest = Pick<ModelReport, (typeof MODEL_FIELDS)[number]>;

/**
 * The report without its heavy fields (kept as undefined-valued keys, so that the joined objects keep
 * the field order) and those fields apart. The report itself is not changed.
 */
export function splitReport(report: FileReport): { report: FileReport; rest: ModelRest[] } {
  const rest: ModelRest[] = [];
  const models = report.models.map((m): ModelReport => {
    rest.push({ layers: m.layers, statements: m.statements, graph: m.graph, modules: m.modules, parameters: m.parameters });
    return { ...m, layers: undefined, statements: undefined, graph: undefined, modules: undefined, parameters: undefined } as unknown as ModelReport;
  });
  return { report: { ...report, models }, rest };
}

/**
 * The report `split` made, whole again: its heavy fields read `decode()` (once, at the first read
 * of any of them) and are plain data from then on.
 */
export function joinReport(report: FileReport, decode: () => ModelRest[]): FileReport {
  let done = false;
  const materialise = () => {
    if (done) return;
    done = true;
    const rest = decode();
    report.models.forEach((m, i) => {
      for (const f of MODEL_FIELDS) Object.defineProperty(m, f, { value: rest[i][f], writable: true, enumerable: true, configurable: true });
    });
  };
  for (const m of report.models) {
    for (const f of MODEL_FIELDS) {
      Object.defineProperty(m, f, {
        enumerable: true,
        configurable: true,
        get() { materialise(); return (m as unknown as Record<string, unknown>)[f]; },
        set(v: unknown) { materialise(); Object.defineProperty(m, f, { value: v, writable: true, enumerable: true, configurable: true }); },
      });
    }
  }
  return report;
}
