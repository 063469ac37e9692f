// The report crosses from the analysis worker to the extension host in two parts: what the inlay
// hints, diagnostics and status bar read on every edit, as objects, and the rest (each model's graph,
// module tree and state-dict entries, each row's config and formulas: ~60% of a report) as bytes
// the host decodes only when a view first reads one of them (hover, CodeLens, summary, training).
// Decoding a 0.2–0.9 MB object graph on the host's thread then no longer stands between the
// report and the hints. Pure: the caller gives the encoding (v8's serializer in Node).
import type { FileReport, GraphNode, LayerRow, ModelReport, ModuleNode, ParameterEntry } from '../engine/report/types';

/** What each model leaves in the second part, in model order. */
interface ModelRest {
  graph: GraphNode[];
  modules: ModuleNode[];
  parameters: ParameterEntry[];
  rows: Array<Pick<LayerRow, 'config' | 'formulas'>>;
}

const MODEL_FIELDS = ['graph', 'modules', 'parameters'] as const;
const ROW_FIELDS = ['config', 'formulas'] as const;

/**
 * The report without its heavy fields (kept as undefined-valued keys, so that the joined objects keep
 * the field order) and those fields apart. The report itself is not changed.
 */
export function splitReport(report: FileReport): { report: FileReport; rest: ModelRest[] } {
  const rest: ModelRest[] = [];
  const models = report.models.map((m): ModelReport => {
    rest.push({ graph: m.graph, modules: m.modules, parameters: m.parameters, rows: m.layers.map((r) => ({ config: r.config, formulas: r.formulas })) });
    const layers = m.layers.map((r) => ({ ...r, config: undefined, formulas: undefined }) as unknown as LayerRow);
    return { ...m, layers, graph: undefined, modules: undefined, parameters: undefined } as unknown as ModelReport;
  });
  return { report: { ...report, models }, rest };
}

/**
 * The report `split` made, whole again: its heavy fields read `decode()` (once, at the first read
 * of any of them) and are plain data from then on.
 */
export function joinReport(report: FileReport, decode: () => ModelRest[]): FileReport {
  const holders: Array<{ target: object; fields: readonly string[]; value: (rest: ModelRest[]) => Record<string, unknown> }> = [];
  report.models.forEach((m, i) => {
    holders.push({ target: m, fields: MODEL_FIELDS, value: (rest) => rest[i] as unknown as Record<string, unknown> });
    m.layers.forEach((r, j) => holders.push({ target: r, fields: ROW_FIELDS, value: (rest) => rest[i].rows[j] }));
  });
  let done = false;
  const materialise = () => {
    if (done) return;
    done = true;
    const rest = decode();
    for (const h of holders) {
      const from = h.value(rest);
      for (const f of h.fields) Object.defineProperty(h.target, f, { value: from[f], writable: true, enumerable: true, configurable: true });
    }
  };
  for (const h of holders) {
    for (const f of h.fields) {
      Object.defineProperty(h.target, f, {
        enumerable: true,
        configurable: true,
        get() { materialise(); return (h.target as Record<string, unknown>)[f]; },
        set(v: unknown) { materialise(); Object.defineProperty(h.target, f, { value: v, writable: true, enumerable: true, configurable: true }); },
      });
    }
  }
  return report;
}
