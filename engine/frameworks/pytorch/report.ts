// Turns a traced PyTorch model into the model report: totals, rows, the module tree and the
// state-dict entries.
import { sequenceItems } from '../../python/stdlib-namedtuple';
import * as dim from '../../shapes/dim';
import type { Shape } from '../../shapes/dim';
import type { ModelReport, ModuleNode } from '../../report/types';
import { assembleReport } from '../../report/assemble';
import type { InputChoice, ModelIdentity } from '../framework';
import { isObj, type PyInstance } from '../../python/values';
import { namedModules, namedParameters, opaqueChildren, stateOf } from './nn';
import { isTensor, type TensorObj } from './tensor';
import { firstTensor, shapeOfValue, type TorchSession, type TraceOutcome } from './session';
import { unknownArgsReason, whyUnknown } from '../../report/unmodelled';
import { lazyLeftovers } from './lazy-init';
import { frozen, trains } from './requires-grad';

const numel = (s: Shape | null): number => {
  const n = s ? dim.product(s) : null;
  return typeof n === 'number' ? n : 0;
};

/** Where the path's next prefix ends after `end` (a prefix ends before a dot or at the end). */
function nextDot(path: string, end: number): number {
  const dot = path.indexOf('.', end + 1);
  return dot === -1 ? path.length : dot;
}

export function buildTorchReport(session: TorchSession, model: PyInstance, id: ModelIdentity, input: InputChoice, trace: TraceOutcome): ModelReport {
  const log = trace.tracer.unmodelled;
  // what the forward pass did not meet is unknown all the same: unknown modules held by the model,
  // layers whose sizes depend on unknown arguments
  // the module tree, walked once (nothing below changes it)
  const tree = namedModules(model);
  const opaque = opaqueChildren(model, tree);
  for (const o of opaque) {
    const range = o.value.made && session.rangeOf(o.value.made.site);
    log.add({ name: o.value.made?.name ?? '?', path: o.path, line: range?.line ?? id.line, range, reason: whyUnknown(o.value.reason), missing: ['params'] });
  }
  for (const [path, m] of tree) {
    const st = stateOf(m);
    if (!st.unknownArgs || !st.layer) continue;
    const range = session.constructionRange(m);
    // a layer that was called is logged already, with all that its arguments leave unknown
    log.add({ name: st.layer.type, path, line: range?.line ?? id.line, range, reason: unknownArgsReason(st.unknownArgs), missing: ['params'] });
  }
  const params = namedParameters(model, tree);
  const totalParams = params.reduce((n, [, p]) => n + numel(p.shape), 0);
  const trainableParams = params.reduce((n, [, p]) => n + (trains(p) ? numel(p.shape) : 0), 0);
  const nonTrainableParams = params.reduce((n, [, p]) => n + (frozen(p) ? numel(p.shape) : 0), 0);
  // parameters whose requires_grad was set to an unknown value: counted as neither (both are then lower bounds)
  for (const site of new Set(params.map(([, p]) => p.param?.unsureAt).filter((s) => s !== undefined))) {
    const range = session.rangeOf(site);
    log.add({ name: 'requires_grad', line: range?.line ?? id.line, range, reason: 'set to a value ConvLens cannot know, so whether these parameters train is unknown', missing: ['params'] });
  }
  const rows = trace.tracer.rows;
  const lazy = lazyLeftovers(model, new Set(rows.map((r) => r.path)), (m) => session.constructionRange(m), id.line, tree);

  // subtree totals in one pass: MACs by path prefix, parameters summed bottom-up over the tree
  const macsByPath = new Map<string, number>();
  const macsUnknown = new Set<string>();
  for (const r of rows) {
    // '', then each prefix of the path up to the whole path ('a', 'a.b', …)
    for (let end = 0; end !== -1; end = end === r.path.length ? -1 : nextDot(r.path, end)) {
      const prefix = r.path.slice(0, end);
      macsByPath.set(prefix, (macsByPath.get(prefix) ?? 0) + r.macs);
      if (!r.macsKnown) macsUnknown.add(prefix);
    }
  }
  const subtree = new Map<string, { p: number; tp: number; known: boolean }>();
  for (let i = tree.length - 1; i >= 0; i--) {
    const [path, m] = tree[i];
    let p = 0, tp = 0, known = true;
    for (const [, t] of stateOf(m).ownParams()) {
      p += numel(t.shape);
      if (trains(t)) tp += numel(t.shape);
      if (numel(t.shape) === 0 && !(t.shape && dim.product(t.shape) === 0)) known = false;
    }
    if (stateOf(m).unknownArgs) known = false;
    for (const [name] of stateOf(m).moduleChildren()) {
      const child = subtree.get(path ? `${path}.${name}` : name);
      if (child) { p += child.p; tp += child.tp; known &&= child.known; }
    }
    subtree.set(path, { p, tp, known });
  }
  // an unknown module leaves the parameters of every module around it unknown
  for (const o of opaque) {
    const parts = o.path.split('.');
    for (let i = 0; i < parts.length; i++) {
      const node = subtree.get(parts.slice(0, i).join('.'));
      if (node) node.known = false;
    }
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
    isLeaf: !stateOf(m).hasModuleChildren() && !opaque.some((o) => o.path.startsWith(path ? `${path}.` : '')),
  }));
  for (const o of opaque) {
    const parent = o.path.includes('.') ? o.path.slice(0, o.path.lastIndexOf('.')) : '';
    const within = (p: string) => p === parent || parent === '' || p.startsWith(`${parent}.`);
    let at = modules.findIndex((n) => n.path === parent) + 1;
    while (at < modules.length && within(modules[at].path)) at++;
    const name = o.value.made?.name ?? '?';
    modules.splice(at, 0, {
      path: o.path, type: name.slice(name.lastIndexOf('.') + 1), depth: o.path.split('.').length,
      line: (o.value.made && session.rangeOf(o.value.made.site)?.line) ?? id.line, params: 0, trainableParams: 0, paramsKnown: false,
      macs: 0, macsKnown: !macsUnknown.has(o.path), outputShape: null, isLeaf: true,
    });
  }

  // a module call in a statement owns its subtree's parameters
  const byPath = new Map(modules.map((m) => [m.path, m]));
  for (const st of trace.statements) {
    for (const c of st.calls) {
      const node = c.kind === 'module' ? byPath.get(c.name) : undefined;
      if (node) { c.params = node.params; c.paramsKnown = node.paramsKnown; }
    }
  }

  const report = assembleReport({
    framework: 'pytorch', id, input,
    outputShape: shapeOfValue(trace.output),
    totalParams, trainableParams, nonTrainableParams,
    layers: rows, modules, graph: trace.tracer.graph, statements: trace.statements,
    parameters: params.map(([name, p]) => ({
      name, shape: (p.shape ?? []).map((d) => (typeof d === 'number' ? d : 0)), trainable: !frozen(p),
      ...(p.param?.trainable === null ? { trainableKnown: false as const } : {}),
    })),
    diagnostics: [...trace.tracer.diagnostics, ...log.diagnostics, ...lazy.diagnostics],
    failure: trace.failure,
    paramsComplete: subtree.get('')?.known ?? false,
    unmodelled: [...log.entries, ...lazy.unmodelled],
  });
  // buffers the code registers itself (register_buffer); the catalogue's layers (BatchNorm) hold theirs apart
  const buffers = tree.flatMap(([path, m]) => [...stateOf(m).buffers]
    .filter(([, v]) => isTensor(v))
    .map(([name, v]) => ({ name: path ? `${path}.${name}` : name, shape: (v as TensorObj).shape })));
  // the numbers, strings and None a forward returns beside its tensors (`return logits, side`) are not outputs
  const outputItems = trace.failure ? undefined : sequenceItems(trace.output)?.filter((v) => isObj(v));
  const several = outputItems && outputItems.length > 1 ? outputItems.map(shapeOfValue) : undefined;
  // `complete` says every output's shape is known, not only the first's
  const outputs = several ? { outputShapes: several, complete: report.complete && several.every((x) => x !== null) } : {};
  // what training trains: the returned tensor's node, not whatever node of the graph nothing reads last
  // (`self.probs = F.softmax(out, 1)` before `return out`)
  const returned = trace.failure ? undefined : firstTensor(trace.output);
  const graphOutput = returned && returned.owner === trace.tracer && !returned.param ? { graphOutput: returned.node } : {};
  return { ...report, ...outputs, ...graphOutput, ...(trace.tracer.readsTraining ? { readsTraining: true as const } : {}), ...(buffers.length ? { buffers } : {}) };
}
