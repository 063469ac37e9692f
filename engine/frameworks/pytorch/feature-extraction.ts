// torchvision.models.feature_extraction without torch.fx. PyTorch's create_feature_extractor traces the model
// symbolically, cuts the graph after the return nodes and keeps the submodules the cut graph uses, copied under
// their own names (a GraphModule whose class is named after the model's). ConvLens runs the model's forward once
// on a symbolic input (eval mode, nothing recorded) to learn the order of its module calls: what finished before
// the last return node is kept, the rest goes, as fx's dead-code elimination drops it. The extractor's forward
// runs the model and stops once every return node has its output. Return nodes that are operations rather than
// modules (fx names such as `add` or `layer1.0.relu_1` for a second call are modelled only for modules) leave the
// extractor unknown, named, never a guess.
import type { Interpreter } from '../../python/interpreter';
import { parseCached } from '../../python/imports';
import { makeClass, pyDict } from '../../python/builtins';
import { pyModule } from '../../python/stdlib';
import {
  BudgetExceeded, PyRaise, isObj, madeUnknown, native, str, unknown, type CallSite, type PyClass, type PyInstance, type PyModule, type Value,
} from '../../python/values';
import { symbolicInput } from '../../input-shape';
import { firstLayerInput } from './first-layer';
import { isModule, namedModules, stateOf, tensorReads } from './nn';
import type { TorchSession } from './session';
import { isTensor } from './tensor';

export const FEATURE_EXTRACTION_MODULE = 'torchvision.models.feature_extraction';
const FILE = '<torchvision>/models/feature_extraction.py';
const AT = { line: 0, from: 0, to: 0, file: FILE };

// fx's _copy_attr: the path's containers as plain Modules, the module or parameter itself shared with the model
const SOURCE = `
import torch
import torch.nn as nn


class _FeatureExtractor(nn.Module):
    def forward(self, x):
        return _run(self, x)


def _copy_attr(src, dst, target):
    *prefix, field = target.split(".")
    for item in prefix:
        f = getattr(src, item)
        t = getattr(dst, item, None)
        if t is None:
            t = nn.Module()
            setattr(dst, item, t)
        src, dst = f, t
    orig = getattr(src, field)
    if isinstance(orig, torch.Tensor) and not isinstance(orig, nn.Parameter):
        dst.register_buffer(field, orig)
    else:
        setattr(dst, field, orig)
`;

/** A return node: the module whose output it names and which of its calls (`relu_2`: the third). */
interface ReturnNode { node: string; name: string; module: PyInstance; call: number }

/** What a feature extractor returns: the model it runs and the outputs it stops after. */
interface Plan { root: PyInstance; nodes: ReturnNode[] }

/** Thrown by the last return node's module call: the extractor's forward has what it returns. */
class Extracted extends Error {}

/** `return_nodes` as fx reads them: a list of node names, or a dict of node name → output name. */
function nodeNames(v: Value): Array<[string, string]> | string {
  if (isObj(v) && (v.k === 'list' || v.k === 'tuple')) return v.items.map((n) => [str(n), str(n)]);
  if (isObj(v) && v.k === 'dict') return [...v.map.values()].map(([k, n]) => [str(k), str(n)]);
  return v === null ? 'no return_nodes were given' : 'return_nodes ConvLens cannot read';
}

/** Each node name as a module of the model and a call of it; a name that is none is why the extractor is unknown. */
function returnNodes(model: PyInstance, names: Array<[string, string]>): ReturnNode[] | string {
  const modules = new Map(namedModules(model));
  const out: ReturnNode[] = [];
  for (const [node, name] of names) {
    const repeat = /^(.+)_(\d+)$/.exec(node);
    const module = modules.get(node) ?? (repeat ? modules.get(repeat[1]) : undefined);
    if (!module || node === '') {
      return `the return node '${node}' is no module of the model: nodes of operations inside forward() (torch.fx `
        + 'names such as `add` or `flatten`) are not modelled, only modules\' outputs';
    }
    out.push({ node, name, module, call: modules.has(node) ? 0 : Number(repeat?.[2]) });
  }
  return out;
}

/** A module call's start or end in a probe run. */
interface CallEvent { module: PyInstance; exit: boolean }

/** What a probe run of the model's forward saw: its module calls, and the parameters and buffers it read by name
 * (each with the number of call events before the read). */
interface Probe { events: CallEvent[]; reads: Map<Value, number> }

/** Runs the model's forward on a symbolic input in eval mode, recording nothing but the order of its calls. */
function probe(session: TorchSession, interp: Interpreter, model: PyInstance, site: CallSite): Probe | string {
  const first = firstLayerInput(model) ?? { rank: 4, channels: null };
  const events: CallEvent[] = [];
  const reads = new Map<Value, number>();
  const tree = namedModules(model);
  const training = tree.map(([, m]) => stateOf(m).training);
  return session.aside((tracer) => {
    session.moduleCalls = { bare: true, enter: (module) => events.push({ module, exit: false }), exit: (module) => events.push({ module, exit: true }) };
    // made before it is assigned: see eslint.config.mjs, pretenured closures
    const onRead: typeof tensorReads.onRead = (v) => { if (!reads.has(v)) reads.set(v, events.length); };
    tensorReads.onRead = onRead;
    for (const [, m] of tree) stateOf(m).training = false;
    try {
      interp.call(model, [tracer.input(symbolicInput(first.rank, first.channels))], new Map(), site);
      return { events, reads };
    } catch (e) {
      if (e instanceof PyRaise) return `its forward() raised ${e.type} on a symbolic input (torch.fx traces it without sizes)`;
      if (e instanceof BudgetExceeded) throw e;
      return 'its forward() could not be run on a symbolic input';
    } finally {
      session.moduleCalls = undefined;
      tensorReads.onRead = undefined;
      tree.forEach(([, m], i) => { stateOf(m).training = training[i]; });
    }
  });
}

/**
 * The attributes the extractor copies from the model, as fx's graph reaches them before the last return node:
 * the modules that finished by then (each leaf whole, as fx keeps torch.nn layers), and the parameters and buffers
 * the forward read by then (a block's layer-scale, the root's class token, Swin's `F.linear(x, self.qkv.weight)`).
 * Puts the return nodes in the order the forward reaches them, which is the order of fx's output dict.
 */
function keptTargets(model: PyInstance, nodes: ReturnNode[], { events, reads }: Probe): string[] | string {
  const exits = new Map<PyInstance, number[]>();
  events.forEach((e, i) => {
    if (!e.exit) return;
    const at = exits.get(e.module);
    if (at) at.push(i); else exits.set(e.module, [i]);
  });
  let cut = -1;
  for (const n of nodes) {
    const at = exits.get(n.module)?.[n.call];
    if (at === undefined) return `the return node '${n.node}' is not reached when the model's forward() runs`;
    cut = Math.max(cut, at);
  }
  const finished = new Set(events.slice(0, cut + 1).filter((e) => e.exit).map((e) => e.module));
  const targets: string[] = [];
  const whole: string[] = [];
  const under = (path: string) => whole.some((w) => path.startsWith(`${w}.`));
  for (const [path, m] of namedModules(model)) {
    if (under(path)) continue;
    const st = stateOf(m);
    if (path && finished.has(m) && (st.layer !== undefined || !st.hasModuleChildren())) {
      whole.push(path);
      targets.push(path);
      continue;
    }
    const own = [...st.ownParams(), ...[...st.buffers].filter(([, b]) => isTensor(b))];
    targets.push(...own.filter(([, t]) => (reads.get(t) ?? Infinity) <= cut).map(([n]) => (path ? `${path}.${n}` : n)));
  }
  nodes.sort((a, b) => (exits.get(a.module)?.[a.call] ?? 0) - (exits.get(b.module)?.[b.call] ?? 0));
  return targets;
}

/** The `torchvision.models.feature_extraction` ConvLens answers for, whatever the environment holds. */
export function featureExtractionModule(interp: Interpreter, session: TorchSession): PyModule {
  // torchvision's own module imports torchvision first (and a package is found, listed and snapshotted in that order)
  interp.importer.importModule(['torchvision'], 0, { name: FEATURE_EXTRACTION_MODULE, file: FILE, pkg: 'torchvision.models' }, AT);
  const plans = new WeakMap<PyInstance, Plan>();
  const globals = new Map<string, Value>([['_run', native('_run', (a, _k, site) => run(a[0] ?? null, a[1] ?? null, site))]]);
  interp.runModule(parseCached(FILE, SOURCE, true).body, { name: FEATURE_EXTRACTION_MODULE, file: FILE, pkg: 'torchvision.models' }, globals);
  const base = globals.get('_FeatureExtractor') as PyClass;
  const copyAttr = globals.get('_copy_attr') as Value;

  function run(self: Value, x: Value, site: CallSite): Value {
    const plan = isObj(self) && self.k === 'inst' ? plans.get(self) : undefined;
    if (!plan) return unknown('a feature extractor ConvLens did not make', site.line);
    const got = new Map<ReturnNode, Value>();
    const calls = new Map<PyInstance, number>();
    const outer = session.moduleCalls;
    // fx's GraphModule runs code of its own, not the model's forward: no line of it binds a tensor
    const observer = interp.statementObserver;
    interp.statementObserver = undefined;
    session.moduleCalls = {
      bare: false,
      enter: () => undefined,
      exit: (m, out) => {
        const n = calls.get(m) ?? 0;
        calls.set(m, n + 1);
        for (const node of plan.nodes) if (node.module === m && node.call === n) got.set(node, out);
        if (got.size === plan.nodes.length) throw new Extracted();
      },
    };
    try {
      interp.call(plan.root, [x], new Map(), site);
    } catch (e) {
      if (!(e instanceof Extracted)) throw e;
    } finally {
      session.moduleCalls = outer;
      interp.statementObserver = observer;
    }
    return pyDict(plan.nodes.map((n) => [n.name, got.get(n) ?? unknown(`the return node '${n.node}' was not reached`, site.line)]));
  }

  const create = native('create_feature_extractor', (a, k, site) => {
    const model = a[0] ?? k.get('model') ?? null;
    const given = a[1] ?? k.get('return_nodes') ?? k.get('eval_return_nodes') ?? null;
    // what it made may be a module with parameters: an unknown made by a call, as an unknown layer's is
    const fail = (why: string): Value => madeUnknown(why, site.line, 'create_feature_extractor', site);
    if (!isModule(model)) return fail('its model is not one ConvLens knows');
    const names = nodeNames(given);
    if (typeof names === 'string') return fail(names);
    const nodes = returnNodes(model, names);
    if (typeof nodes === 'string') return fail(nodes);
    const run = probe(session, interp, model, site);
    if (typeof run === 'string') return fail(run);
    const targets = keptTargets(model, nodes, run);
    if (typeof targets === 'string') return fail(targets);
    // fx's GraphModule is a class of its own per model, named after the model's
    const cls = makeClass(model.cls.name, undefined, undefined, [base]);
    cls.module = base.module;
    const extractor = interp.call(cls, [], new Map(), site) as PyInstance;
    for (const t of targets) interp.call(copyAttr, [model, extractor, t], new Map(), site);
    plans.set(extractor, { root: model, nodes });
    return extractor;
  });
  const names = native('get_graph_node_names', (_a, _k, site) =>
    unknown('get_graph_node_names lists torch.fx\'s nodes, which ConvLens does not model', site.line));
  return pyModule(FEATURE_EXTRACTION_MODULE, { create_feature_extractor: create, get_graph_node_names: names },
    (n) => unknown(`${FEATURE_EXTRACTION_MODULE}.${n} is not modelled`));
}
