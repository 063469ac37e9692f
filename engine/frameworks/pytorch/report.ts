// Turns a traced PyTorch model into the model report: totals, rows, the module tree and the
// state-dict entries.
import * as dim from '../../shapes/dim';
import type { Shape } from '../../shapes/dim';
import type { ModelReport, ModuleNode } from '../../report/types';
import { assembleReport } from '../../report/assemble';
import type { InputChoice, ModelIdentity } from '../framework';
import type { PyInstance } from '../../python/values';
import { namedModules, namedParameters, stateOf } from './nn';
import { shapeOfValue, type TorchSession, type TraceOutcome } from './session';

const numel = (s: Shape | null): number => {
  const n = s ? dim.product(s) : null;
  return typeof n === 'number' ? n : 0;
};

export function buildTorchReport(session: TorchSession, model: PyInstance, id: ModelIdentity, input: InputChoice, trace: TraceOutcome): ModelReport {
  const params = namedParameters(model);
  const totalParams = params.reduce((n, [, p]) => n + numel(p.shape), 0);
  const trainableParams = params.reduce((n, [, p]) => n + (p.param?.trainable !== false ? numel(p.shape) : 0), 0);
  const rows = trace.tracer.rows;

  // subtree totals in one pass: MACs by path prefix, parameters summed bottom-up over the tree
  const macsByPath = new Map<string, number>();
  const macsUnknown = new Set<string>();
  for (const r of rows) {
    const parts = r.path.split('.');
    for (let i = 0; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('.');
      macsByPath.set(prefix, (macsByPath.get(prefix) ?? 0) + r.macs);
      if (!r.macsKnown) macsUnknown.add(prefix);
    }
  }
  const tree = namedModules(model);
  const subtree = new Map<string, { p: number; tp: number; known: boolean }>();
  for (let i = tree.length - 1; i >= 0; i--) {
    const [path, m] = tree[i];
    let p = 0, tp = 0, known = true;
    for (const [, t] of stateOf(m).ownParams()) {
      p += numel(t.shape);
      if (t.param?.trainable !== false) tp += numel(t.shape);
      if (numel(t.shape) === 0 && !(t.shape && dim.product(t.shape) === 0)) known = false;
    }
    for (const [name] of stateOf(m).moduleChildren()) {
      const child = subtree.get(path ? `${path}.${name}` : name);
      if (child) { p += child.p; tp += child.tp; known &&= child.known; }
    }
    subtree.set(path, { p, tp, known });
  }
  const modules: ModuleNode[] = tree.map(([path, m]) => ({
    path,
    type: m.cls.name,
    depth: path ? path.split('.').length : 0,
    line: session.constructionRange(m)?.line ?? id.line,
    params: subtree.get(path)?.p ?? 0,
    trainableParams: subtree.get(path)?.tp ?? 0,
    paramsKnown: subtree.get(path)?.known ?? false,
    macs: macsByPath.get(path) ?? 0,
    macsKnown: !macsUnknown.has(path),
    outputShape: trace.tracer.moduleOutputs.get(m) ?? null,
    isLeaf: stateOf(m).moduleChildren().length === 0,
  }));

  // a module call in a statement owns its subtree's parameters
  const byPath = new Map(modules.map((m) => [m.path, m]));
  for (const st of trace.statements) {
    for (const c of st.calls) {
      const node = c.kind === 'module' ? byPath.get(c.name) : undefined;
      if (node) { c.params = node.params; c.paramsKnown = node.paramsKnown; }
    }
  }

  return assembleReport({
    framework: 'pytorch', id, input,
    outputShape: shapeOfValue(trace.output),
    totalParams, trainableParams,
    layers: rows, modules, graph: trace.tracer.graph, statements: trace.statements,
    parameters: params.map(([name, p]) => ({ name, shape: (p.shape ?? []).map((d) => (typeof d === 'number' ? d : 0)), trainable: p.param?.trainable !== false })),
    diagnostics: trace.tracer.diagnostics,
    failure: trace.failure,
  });
}
