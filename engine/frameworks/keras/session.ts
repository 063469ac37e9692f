// One analysis of Keras code: names layers as Keras does, calls layers on symbolic tensors
// (computing shapes, building weights from the input shapes, recording the graph while the
// file runs), and traces a model on an input shape: one row per layer called directly by the
// model, with nested models and custom layers as one row, as `model.summary()` lists them.
import type { Interpreter } from '../../python/interpreter';
import { BudgetExceeded, PyRaise, isObj, list, native, tuple, unknown, type CallSite, type PyInstance, type Value } from '../../python/values';
import { toIndex } from '../../python/interpreter';
import { broadcast } from '../../shapes/reshape';
import { plainConfig, type OutputTree, type ParamEntry } from '../../shapes/layer-spec';
import { fromPython } from '../../python/config-values';
import { product, type Dim, type Shape } from '../../shapes/dim';
import type { Diagnostic, GraphNode, LayerRow, SourceRange } from '../../report/types';
import type { RangeOf, TopLevelCall } from '../framework';
import { isLayer, layerState, type LayerState } from './state';
import { noWeights } from './layers/spec';
import { UnmodelledLog, missingOf, unknownArgsReason, whyUnknown } from '../../report/unmodelled';
import { unknownArgNames } from '../../shapes/layer-spec';
import { isKerasTensor, mapTensors, shapeTuple, tensorRepr, tensorsIn, type CallNode, type KerasTensor } from './tensor';
import type { OpResult } from './ops';
import { NONE_STAND_IN, isNoneStandIn, shapeText } from './layers/layout';
import { isApplicationFile } from './applications/module';
import { kerasLayerOrder } from './graph-order';

/** Weights a layer built in one trace, with trainability settled. */
export type BuiltWeights = ParamEntry[];

/** What one pass over the layers records. */
export class KerasTrace {
  readonly graph: GraphNode[] = [];
  readonly rows: LayerRow[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Weights per layer, built at its first call (Keras's `build`). */
  readonly built = new Map<PyInstance, BuiltWeights>();
  /** Layers called inside each open call, innermost last. */
  readonly touched: Array<Set<PyInstance>> = [];
  depth = 0;
  /** How many enclosing layers are frozen (`trainable = False`). */
  frozen = 0;
  /** The model traced is frozen itself: Keras 3 then counts none of its weights trainable. */
  modelFrozen = false;
  macs = 0;
  /** Layers whose weights / MACs this trace could not count (unknown sizes, unmodelled layers). */
  readonly unknownParams = new Set<PyInstance>();
  readonly unknownMacs = new Set<PyInstance>();
  readonly unmodelled = new UnmodelledLog();

  /** `construction`: the file is running (functional graphs are being recorded), not a model trace. */
  constructor(readonly construction: boolean) {}

  node(kind: GraphNode['kind'], type: string, config: Record<string, unknown>, inputs: KerasTensor[], shape: Shape | null, line: number, path?: string): number {
    const id = this.graph.length;
    this.graph.push({ id, kind, type, path, config, inputs: inputs.map((t) => t.node), outputShape: unsized(shape), line });
    return id;
  }
}

export interface TraceOutcome {
  trace: KerasTrace;
  output: Value;
  failure?: Diagnostic;
}


/** Whose automatic names: Keras 3's (the default) or tf.keras 2's. */
export type KerasNaming = 'keras3' | 'tf2';

/** The names tf.keras 2 counts where Keras 3 counts others (`input_1`; `model` for a functional model). */
const TF2_NAMES: Record<string, string> = { InputLayer: 'input', Functional: 'model' };

/** Keras's `to_snake_case`: Conv2D → conv2d, MaxPooling2D → max_pooling2d, ReLU → re_lu. */
export function snakeCase(name: string): string {
  return name.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export class KerasSession {
  private readonly construction = new KerasTrace(true);
  trace = this.construction;
  readonly topLevelCalls: TopLevelCall[] = [];
  private readonly uids = new Map<string, number>();
  /** The traced model is a subclassed model: its top level is its call(), where tf functions are fine. */
  private tracingCall = false;
  /** The next call() is a functional graph's node, replayed. */
  private graphCall = false;
  /** How many times each layer was called on a functional model's tensors: Keras's node indices. */
  private readonly inboundNodes = new Map<PyInstance, number>();
  private tensorIds = 0;

  constructor(private readonly interp: Interpreter, readonly rangeOf: RangeOf, readonly naming: KerasNaming = 'keras3') {}

  /** What the session recorded so far, as a stamp (`Interpreter.stateStamps`). */
  stamp(): unknown {
    const t = this.trace;
    return [[...this.uids], this.tensorIds, this.topLevelCalls.length, t === this.construction, t.graph.length, t.rows.length, t.diagnostics.length,
      t.built.size, t.touched.length, t.depth, t.frozen, t.macs, t.unknownParams.size];
  }

  /**
   * `conv2d`, `conv2d_1`, …: one counter per name in the session, as Keras counts. tf.keras 2 names a
   * keras.Input `input_1`, `input_2`, … and a functional model `model`, `model_1`, … (Keras 3: `input_layer`,
   * `functional`).
   */
  autoName(className: string): string {
    const tf2 = this.naming === 'tf2' ? TF2_NAMES[className] : undefined;
    const base = tf2 ?? snakeCase(className);
    const n = this.uids.get(base) ?? 0;
    this.uids.set(base, n + 1);
    return base === 'input' && tf2 ? `input_${n + 1}` : n ? `${base}_${n}` : base;
  }

  /** A name only Keras 3 takes (a Sequential's implied InputLayer and inner Functional); tf.keras 2 takes none. */
  keras3Name(className: string): void {
    if (this.naming === 'keras3') this.autoName(className);
  }

  /**
   * Keras 3 (re)builds a Sequential whose input is known and that has a layer, at every change: each
   * build makes an inner Functional that takes a `functional` name (so the next keras.Model is `functional_1`).
   */
  rebuild(st: LayerState): void {
    if (!st.input || !st.layers.length) return;
    this.keras3Name('Functional');
    st.built = true;
  }

  /** `keras.backend.clear_session()`: names start again from `conv2d`. */
  clearNames(): void {
    this.uids.clear();
  }

  /** The innermost construction site inside the analysed file. */
  constructionRange(st: LayerState): SourceRange | undefined {
    for (let i = st.sites.length - 1; i >= 0; i--) {
      const r = this.rangeOf(st.sites[i]);
      if (r) return r;
    }
    return undefined;
  }

  tensor(shape: Shape | null, node: number): KerasTensor {
    const t: KerasTensor = {
      k: 'host', kind: 'KerasTensor', shape, id: ++this.tensorIds, node,
      getattr: (name, site) => this.tensorAttr(t, name, site),
      binop: (op, other, reflected, site) => this.binop(t, op, other, reflected, site),
      // `i >= j` on tensors is an elementwise operation (Keras 3: `greater_equal`), not a truth value
      compare: (op, other, site) => (['<', '>', '<=', '>='].includes(op) ? this.binop(t, op, other, false, site) : undefined),
      getitem: (index, site) => this.op('getitem', [t, index], (s) => sliceShape(s[0], index), site, { operation: 'GetItem' }),
      repr: () => tensorRepr(t),
    };
    return t;
  }

  /** A tensor that does not come from another (keras.Input, tf.zeros). */
  source(shape: Shape | null, type: string, line: number): KerasTensor {
    return this.tensor(shape, this.trace.node('input', type, {}, [], shape, line));
  }

  /** A concrete tensor the file makes (`ops.arange`, `tf.ones`): Keras computes with it at once. */
  constant(shape: Shape | null, type: string, line: number): KerasTensor {
    return Object.assign(this.source(shape, type, line), { constant: true });
  }

  /**
   * An operation on tensors outside layers. While the file runs at the top level it is recorded
   * so that a functional model that contains it can redo it on other shapes; `operation` is the
   * Keras 3 operation class the summary lists it as, `tf` the TensorFlow function written instead.
   */
  op(name: string, args: Value[], shapeOf: (shapes: Shape[]) => OpResult, site: CallSite, opts: { operation?: string; tf?: string } = {}): Value {
    const ins = args.flatMap(tensorsIn);
    // no tensor among the arguments (`tf.cast(4, "float32")`): Python numbers are concrete tensors
    const shapes = ins.length ? ins.map((t) => t.shape) : args.map(valueShape);
    const known = shapes.length > 0 && shapes.every((s): s is Shape => s !== null);
    const res = known ? shapeOf(shapes) : null;
    const outputs = res && !Array.isArray(res) ? res.outputs : [res];
    const trace = this.trace;
    if (known && res === null && !trace.construction) {
      const range = this.rangeOf(site);
      trace.unmodelled.add({
        name: opts.tf ?? name, path: name, line: range?.line ?? site.line, range,
        reason: `its output shape is not computed from ${shapes.map(shapeText).join(', ')} with these arguments`, missing: ['shape'],
      });
    }
    if (opts.tf && !trace.construction && trace.depth === 0 && !this.tracingCall && ins.some((t) => !t.constant)) {
      this.diagnose(site, 'keras3-tf-op', `${opts.tf} on a Keras tensor: Keras 3 raises a ValueError here (use keras.ops.${name} or a Lambda layer); ConvLens computes it as keras.ops.${name}`, 'warning');
    }
    const node = trace.node('op', name, {}, ins, outputs[0] ?? null, site.line);
    const made = outputs.map((s) => Object.assign(this.tensor(s, node), ins.every((t) => t.constant) ? { constant: true } : {}));
    const out: Value = res && !Array.isArray(res) ? list(made) : made[0];
    // an operation on concrete values only is computed at once: no part of a model's graph
    if (trace.construction && trace.depth === 0 && !made[0].constant) {
      const history: CallNode = { id: made[0].id, op: (a, s) => this.op(name, a, shapeOf, s, { tf: opts.tf }), args, kwargs: new Map(), output: out, site };
      // Keras 3 makes an operation of it, named from the layers' counters, and lists it in the summary
      if (opts.operation) history.operation = { name: this.autoName(opts.operation), type: opts.operation };
      for (const t of made) t.history = history;
    }
    return out;
  }

  private binop(t: KerasTensor, op: string, other: Value, reflected: boolean, site: CallSite): Value | undefined {
    if (!(op in OPERATIONS)) return undefined;
    const args = reflected ? [other, t] : [t, other];
    return this.op(op, args, (shapes) => {
      if (shapes.length < 2) return shapes[0];
      const r = broadcast(shapes[0], shapes[1]);
      if (r.bad === undefined) return r.shape;
      this.diagnose(site, 'add-mismatch', `${op}: shapes ${shapes.map(shapeText).join(' and ')} do not broadcast at axis ${r.bad}`);
      return null;
    }, site, { operation: OPERATIONS[op] });
  }

  private tensorAttr(t: KerasTensor, name: string, site: CallSite): Value {
    switch (name) {
      case 'shape': return t.shape ? shapeTuple(t.shape, site.line) : unknown('shape not known', site.line);
      case 'ndim': return t.shape ? t.shape.length : unknown('rank not known', site.line);
      case 'dtype': return 'float32';
      case 'get_shape': return native('get_shape', () => (t.shape ? shapeTuple(t.shape, site.line) : unknown('shape not known', site.line)));
      default: return unknown(`KerasTensor.${name} is not modelled`, site.line);
    }
  }

  diagnose(site: CallSite, code: string, message: string, severity: Diagnostic['severity'] = 'error', range?: SourceRange): void {
    if (this.trace.construction) return;
    const r = range ?? this.rangeOf(site);
    const line = r?.line ?? site.line;
    if (this.trace.diagnostics.some((d) => d.line === line && d.code === code && d.message === message)) return;
    this.trace.diagnostics.push({ line, severity, code, message, range: r });
  }

  /** `layer(x)`: the output tensors; at the top level of the file, the call is recorded for functional models. */
  call(self: PyInstance, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    const st = layerState(self);
    // called as a node of a functional graph (on KerasTensors), not inside another layer's call()
    const symbolic = this.graphCall || (this.trace.construction && this.trace.depth === 0);
    this.graphCall = false;
    // the input keyword: `inputs`, or the layer's own first call argument (MultiHeadAttention's `query`)
    const first = st.spec?.callInputs?.[0] ?? 'inputs';
    const x = args.length ? args[0] : kwargs.get(first) ?? null;
    const ins = tensorsIn(x);
    if (!ins.length) {
      const reason = `${self.cls.name} called without a Keras tensor`;
      if (!this.trace.construction) this.calledOnUnknown(self, st, site);
      return unknown(reason, site.line);
    }
    const trace = this.trace;
    if (trace.construction && st.kind === 'sequential' && !st.built) {
      // its first call builds it: an InputLayer of the input's shape, then the inner Functional
      this.keras3Name('InputLayer');
      this.keras3Name('Functional');
      st.built = true;
    }
    if (trace.construction && trace.depth === 0 && st.isModel && ins.every((t) => !t.history) && ins[0].shape) {
      // `model(tf.zeros((1, 28, 28, 1)))` or `model(keras.Input((28, 28, 1)))` (how a subclassed model is
      // built in Keras 3) at the top level: one source of the input shape
      // several inputs (`model((wide, deep))`): the further ones' shapes, given back as one list
      const extra = ins.slice(1).map((t) => t.shape);
      this.topLevelCalls.push({ model: self, shape: ins[0].shape, ...(extra.length && extra.every((e) => e !== null) ? { extra: extra as Shape[] } : {}), line: site.line });
    }
    const row = !trace.construction && trace.depth === 0;
    const macs0 = trace.macs;
    const seen = new Set<PyInstance>();
    trace.touched.push(seen);
    trace.depth++;
    if (!st.trainable) trace.frozen++;
    let out: Value;
    try {
      out = this.body(self, st, x, args.slice(1), without(kwargs, first), site);
    } finally {
      trace.depth--;
      if (!st.trainable) trace.frozen--;
      trace.touched.pop();
    }
    for (const outer of trace.touched) for (const l of seen) outer.add(l);
    if (symbolic && st.kind === 'leaf' && self.cls.mro.some((c) => c.name === 'MultiHeadAttention')) out = symbolicScores(out, (s, n) => this.tensor(s, n));
    if (row) this.recordRow(self, st, ins, out, seen, trace.macs - macs0, site);
    if (trace.construction && trace.depth === 0 && ins.every((t) => t.constant)) {
      // a layer called on concrete values runs at once (Keras's eager call): no node of any model
      return mapTensors(out, (t) => Object.assign(this.tensor(t.shape, t.node), { constant: true }));
    }
    if (trace.construction && trace.depth === 0) {
      // fresh tensors, so that a layer that returns its input does not rewrite that input's history
      const nodeIndex = this.inboundNodes.get(self) ?? 0;
      this.inboundNodes.set(self, nodeIndex + 1);
      const node: CallNode = { id: ++this.tensorIds, layer: self, nodeIndex, args, kwargs, output: null, site };
      node.output = mapTensors(out, (t) => Object.assign(this.tensor(t.shape, t.node), { history: node }));
      st.inbound ??= { input: x, output: node.output };
      return node.output;
    }
    return out;
  }

  /** What calling the layer computes, without the bookkeeping of `call` (a traced model runs its body directly). */
  body(self: PyInstance, st: LayerState, x: Value, rest: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    if (st.unmodelled && !this.trace.construction) this.notModelled(self, st, site);
    switch (st.kind) {
      case 'input': return x;
      case 'leaf': return this.leaf(self, st, x, rest, kwargs, site);
      case 'lambda': return this.interp.call(st.fn ?? null, [x], new Map(), site);
      case 'sequential': {
        let y = x;
        for (const layer of st.layers) y = this.call(layer, [y], new Map(), site);
        return y;
      }
      case 'functional': return this.replay(st, x, site);
      case 'custom': {
        const first = !this.trace.built.has(self);
        this.buildCustom(self, x, site);
        const fn = this.interp.lookupClassAttr(self.cls, 'call');
        if (fn === undefined) return this.interp.raise('NotImplementedError', `${self.cls.name} has no call()`, site.line);
        const run = () => this.interp.call(this.interp.bindTo(fn, self, self.cls), [this.sized(x), ...rest], kwargs, site);
        if (first && this.trace.construction && this.buildsByRunning(self, st)) {
          // Keras 3 builds a layer without a build() of its own whose sublayers are unbuilt by running call()
          // once first (Layer._maybe_build): the layers that run makes take their automatic names too
          const depth = this.interp.frames.length;
          try {
            run();
          } catch (e) {
            // Keras warns and lets the real call raise
            if (!(e instanceof PyRaise)) throw e;
            this.interp.frames.length = depth;
          }
        }
        const out = run();
        return mapTensors(out, (t) => (unsized(t.shape) !== t.shape ? this.tensor(unsized(t.shape), t.node) : t));
      }
      case 'opaque': return this.opaque(self, st, [x, ...rest], site);
    }
  }

  /**
   * The input of a custom layer's call() with a size standing for each None: Keras's backends run call() on
   * sizes (JAX and torch on stand-in numbers, TensorFlow on dynamic ones), so `h * 3` on `ops.shape(x)[1]`
   * works there; what stays a stand-in in the output is None again (unsized).
   */
  private sized(x: Value): Value {
    let n = 0;
    return mapTensors(x, (t) => (t.shape?.includes(null) ? this.tensor(t.shape.map((d) => d ?? `${NONE_STAND_IN}${++n}`), t.node) : t));
  }

  /** A model built with arguments ConvLens does not know: a warning that names them, lower-bound counts. */
  private notModelled(self: PyInstance, st: LayerState, site: CallSite): void {
    const trace = this.trace;
    const range = this.constructionRange(st) ?? this.rangeOf(site);
    trace.unknownParams.add(self);
    trace.unknownMacs.add(self);
    for (const s of trace.touched) s.add(self);
    const u = st.unmodelled as NonNullable<LayerState['unmodelled']>;
    trace.unmodelled.add({ name: u.name, path: st.name, line: range?.line ?? site.line, range, reason: u.reason, missing: ['params', 'macs'] });
  }

  /** A layer called on a value ConvLens cannot compute: its weights (if it has any) and MACs are unknown, said once. */
  private calledOnUnknown(self: PyInstance, st: LayerState, site: CallSite): void {
    const trace = this.trace;
    const weightless = st.kind === 'leaf' && st.spec?.weights === noWeights;
    if (!weightless) trace.unknownParams.add(self);
    trace.unknownMacs.add(self);
    for (const s of trace.touched) s.add(self);
    const range = this.constructionRange(st) ?? this.rangeOf(site);
    trace.unmodelled.add({
      name: self.cls.name, path: st.name, line: range?.line ?? site.line, range,
      reason: 'called on a value that is not a tensor ConvLens can compute, so the sizes its weights are built from are unknown',
      missing: weightless ? ['macs', 'shape'] : ['params', 'macs', 'shape'],
    }, this.rangeOf(site)?.line ?? site.line);
  }

  /** An unmodelled layer or function: an output of unknown shape, its row and warning (the honesty rule). */
  private opaque(self: PyInstance, st: LayerState, inputs: Value[], site: CallSite): Value {
    const trace = this.trace;
    const info = st.opaque;
    for (const s of trace.touched) s.add(self);
    if (info?.module) { trace.unknownParams.add(self); trace.unknownMacs.add(self); }
    const callRange = this.rangeOf(site);
    const range = (info?.site && this.rangeOf(info.site)) ?? callRange;
    if (info && !trace.construction) {
      trace.unmodelled.add({
        name: info.name, path: st.name, line: range?.line ?? site.line, range, reason: whyUnknown(info.reason),
        missing: info.module ? ['params', 'macs', 'shape'] : ['shape'],
      }, callRange?.line ?? site.line);
    }
    const ins = inputs.flatMap(tensorsIn);
    return this.tensor(null, trace.node('module', self.cls.name, {}, ins, null, range?.line ?? site.line, st.name));
  }

  /** The build() the user's layer class defines (Python code), not Keras's default one. */
  ownBuild(self: PyInstance): Value | undefined {
    const build = this.interp.lookupClassAttr(self.cls, 'build');
    return isObj(build ?? null) && (build as { k: string }).k === 'func' ? build : undefined;
  }

  /** Keras 3 builds `self` by running its call() first: no build() of its own, and a layer it tracks not yet built. */
  private buildsByRunning(self: PyInstance, st: LayerState): boolean {
    if (this.naming !== 'keras3' || this.ownBuild(self)) return false;
    return [...st.tracked.values()].flatMap(layersIn).some((l) => !this.trace.built.has(l));
  }

  /** A user layer's own `build(input_shape)`, run once per trace before its first call. */
  private buildCustom(self: PyInstance, x: Value, site: CallSite): void {
    if (this.trace.built.has(self)) return;
    this.trace.built.set(self, []);
    const build = this.ownBuild(self);
    if (!build) return;
    const shapes = tensorsIn(x).map((t) => (t.shape ? shapeTuple(t.shape, site.line) : unknown('shape not known', site.line)));
    this.interp.call(this.interp.bindTo(build, self, self.cls), [shapes.length === 1 ? shapes[0] : tuple(shapes)], new Map(), site);
  }

  /**
   * Whether the weights `self` builds now are trainable. Keras 3 asks the weight's own layer (its `trainable`, which
   * the setter of any layer around it last set) and the model summarised: a layer unfrozen inside a frozen base
   * trains. tf.keras 2 gathered trainable weights only through trainable layers: every layer around it counts.
   */
  private trainableHere(self: PyInstance): boolean {
    return this.naming === 'tf2' ? this.trace.frozen === 0 : layerState(self).trainable && !this.trace.modelFrozen;
  }

  /** `self.add_weight(shape=…)` inside a user layer. */
  addWeight(self: PyInstance, name: string, shape: number[] | null, trainable: boolean, site: CallSite): void {
    const list = this.trace.built.get(self) ?? [];
    if (shape) list.push({ name, shape, trainable: trainable && this.trainableHere(self) });
    else {
      // a weight of unknown size (built from an input shape ConvLens does not know) is never 0
      this.trace.unknownParams.add(self);
      const range = this.rangeOf(site);
      if (!this.trace.construction) {
        this.trace.unmodelled.add({
          name: `${self.cls.name}.add_weight`, path: layerState(self).name, line: range?.line ?? site.line, range,
          reason: `the shape of its weight '${name}' is not known`, missing: ['params'],
        });
      }
    }
    this.trace.built.set(self, list);
    for (const s of this.trace.touched) s.add(self);
  }

  private leaf(self: PyInstance, st: LayerState, x: Value, rest: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    const spec = st.spec;
    // further tensor arguments by position or name (MultiHeadAttention's value and key)
    const more = (spec?.callInputs ?? []).slice(1).map((n, i) => rest[i] ?? kwargs.get(n) ?? null);
    const ins = [...tensorsIn(spec?.merge ? x : tensorsIn(x).slice(0, 1)[0] ?? null), ...more.flatMap((v) => tensorsIn(v).slice(0, 1))];
    const shapes = ins.map((t) => t.shape);
    const trace = this.trace;
    const range = this.constructionRange(st) ?? this.rangeOf(site);
    if (spec && !st.namesBuilt) {
      st.namesBuilt = true;
      for (const c of spec.buildNames ?? []) this.autoName(c);
    }
    if (!spec || shapes.some((s) => s === null)) {
      // Keras builds weights from the input: unknown sizes leave a layer with weights uncounted
      if (spec?.weights !== noWeights) { trace.unknownParams.add(self); trace.unknownMacs.add(self); }
      for (const s of trace.touched) s.add(self);
      return this.tensor(null, trace.node('module', self.cls.name, {}, ins, null, site.line, st.name));
    }
    const known = shapes as Shape[];
    const options = Object.fromEntries((spec.callOptions ?? []).map(([n, d]) => [n, kwargs.has(n) ? fromPython(kwargs.get(n) ?? null) : d]));
    const res = spec.apply(spec.callOptions ? { ...st.cfg, ...options } : st.cfg, known);
    if (!trace.built.has(self)) {
      const weights = spec.weights(st.cfg, known);
      if (weights === null) trace.unknownParams.add(self);
      trace.built.set(self, (weights ?? []).map((w) => ({ ...w, trainable: w.trainable && this.trainableHere(self) })));
    }
    // unknown arguments: one `unmodelled` warning says what they leave unknown (instead of the rule's note)
    const missing = missingOf(trace.unknownParams.has(self), typeof res.macs !== 'number', res.output === null);
    const unsure = missing.length > 0 && unknownArgNames(st.cfg).length > 0;
    if (unsure && !trace.construction) {
      trace.unmodelled.add({
        name: self.cls.name, path: st.name, line: range?.line ?? site.line, range, reason: unknownArgsReason(unknownArgNames(st.cfg)), missing,
      }, this.rangeOf(site)?.line ?? site.line);
    }
    // the inexact tilings of a built-in keras.applications model are its design, not the user's to fix
    const builtIn = isApplicationFile(st.sites[st.sites.length - 1]?.file);
    for (const d of res.diagnostics) {
      if (builtIn && d.severity === 'info') continue;
      if (!(unsure && d.code === 'unknown-argument')) this.diagnose(site, d.code, `${st.name}: ${d.message}`, d.severity, range);
    }
    for (const s of trace.touched) s.add(self);
    if (typeof res.macs === 'number') trace.macs += res.macs;
    else trace.unknownMacs.add(self);
    const node = trace.node('module', self.cls.name, plainConfig(st.cfg), ins, res.output, range?.line ?? site.line, st.name);
    // several outputs (return_state, return_attention_scores, merge_mode=None): a list of tensors
    const build = (t: OutputTree): Value => (Array.isArray(t) ? list(t.map(build)) : t && 'shape' in t ? this.tensor(t.shape, node) : null);
    const out = res.outputs ? build(res.outputs) : this.tensor(res.output, node);
    if (!trace.construction && trace.depth === 1) this.lastResult.set(self, res);
    return out;
  }

  /** The last rule result of each layer called directly by the traced model (formulas, padding for its row). */
  private readonly lastResult = new Map<PyInstance, ReturnType<NonNullable<LayerState['spec']>['apply']>>();

  private replay(st: LayerState, x: Value, site: CallSite): Value {
    const graph = st.functional;
    if (!graph) return unknown('functional model without a graph', site.line);
    const given = tensorsIn(x);
    const map = new Map<number, Value>();
    graph.inputs.forEach((t, i) => {
      const v = given[i] ?? this.source(t.shape, 'input', site.line);
      map.set(t.id, v);
      if (!this.trace.construction && this.trace.depth === 0 && t.inputLayer) {
        const il = layerState(t.inputLayer);
        const range = this.constructionRange(il);
        const shape = isKerasTensor(v) ? v.shape : t.shape;
        this.trace.rows.push({ path: il.name, type: 'InputLayer', line: range?.line ?? 0, range, inputShapes: [], outputShape: shape, inputs: [], params: 0, trainableParams: 0, paramsKnown: true, macs: 0, macsKnown: true, config: {}, formulas: [] });
      }
    });
    const sub = (v: Value): Value => mapTensors(v, (t) => map.get(t.id) ?? t);
    for (const n of graph.nodes) {
      const args = n.args.map(sub);
      const kwargs = new Map([...n.kwargs].map(([k, v]) => [k, sub(v)]));
      this.graphCall = n.layer !== undefined;
      const out = n.layer ? this.call(n.layer, args, kwargs, n.site) : n.op ? n.op(args, n.site) : null;
      if (n.operation && !this.trace.construction && this.trace.depth === 0) this.operationRow(n, args, out);
      if (!this.trace.construction && this.trace.depth === 0) this.connect(n);
      const before = tensorsIn(n.output), after = tensorsIn(out);
      before.forEach((t, i) => map.set(t.id, after[i] ?? unknown('output not known', site.line)));
    }
    return sub(graph.outputs);
  }

  /**
   * The "Connected to" entries of a replayed node's row: each tensor it was called on (arguments and keyword
   * arguments, as Keras's node.input_tensors), by the layer or operation that made it, that call and output.
   */
  private connect(n: CallNode): void {
    const name = n.layer ? layerState(n.layer).name : n.operation?.name;
    const row = name === undefined ? undefined : this.trace.rows.find((r) => r.path === name);
    if (!row) return;
    // a concrete tensor (`x + tf.ones(…)`) is a constant of the operation, no input of it
    const inputs = [...n.args, ...n.kwargs.values()].flatMap(tensorsIn).filter((t) => t.history || t.inputLayer).map((t) => {
      const h = t.history;
      if (!h) return { layer: layerState(t.inputLayer as PyInstance).name, node: 0, tensor: 0 };
      const layer = h.layer ? layerState(h.layer).name : h.operation?.name ?? '?';
      return { layer, node: h.nodeIndex ?? 0, tensor: Math.max(0, tensorsIn(h.output).indexOf(t)) };
    });
    // a shared layer lists the tensors of each of its calls
    row.inputs = [...row.inputs ?? [], ...inputs];
  }

  /** A row for an operation on the model's tensors (`x + y`), as Keras 3's summary lists it. */
  private operationRow(n: CallNode, args: Value[], out: Value): void {
    const range = this.rangeOf(n.site);
    this.trace.rows.push({
      path: n.operation?.name ?? '', type: n.operation?.type ?? '', line: range?.line ?? n.site.line, range,
      inputShapes: args.flatMap(tensorsIn).map((t) => t.shape).filter((x): x is Shape => x !== null),
      outputShape: tensorsIn(out)[0]?.shape ?? null, ...outputShapes(out), params: 0, trainableParams: 0, paramsKnown: true, macs: 0, macsKnown: true, config: {}, formulas: [],
    });
  }

  private recordRow(self: PyInstance, st: LayerState, ins: KerasTensor[], out: Value, layers: Set<PyInstance>, macs: number, site: CallSite): void {
    let params = 0, trainable = 0;
    for (const l of layers) for (const w of this.trace.built.get(l) ?? []) {
      const n = product(w.shape) as number;
      params += n;
      if (w.trainable) trainable += n;
    }
    // a weightless layer call() makes on each call (`layers.Dot(axes=1)([u, v])`) is no layer the model
    // tracks: model.summary() does not list it
    if (st.transient && params === 0 && macs === 0 && ![...layers].some((l) => this.trace.unknownParams.has(l) || this.trace.unknownMacs.has(l))) return;
    const range = this.constructionRange(st);
    const res = st.kind === 'leaf' ? this.lastResult.get(self) : undefined;
    const row: LayerRow = {
      path: st.name,
      // a model built by keras.Model(inputs, outputs) is a `Functional` in Keras's summary
      type: st.kind === 'functional' && self.cls.name === 'Model' ? 'Functional' : self.cls.name,
      line: range?.line ?? 0,
      range,
      callRange: this.rangeOf(site),
      inputShapes: ins.map((t) => unsized(t.shape)).filter((s): s is Shape => s !== null),
      outputShape: unsized(tensorsIn(out)[0]?.shape ?? null),
      ...outputShapes(out),
      params,
      trainableParams: trainable,
      paramsKnown: ![...layers].some((l) => this.trace.unknownParams.has(l)),
      macs,
      macsKnown: ![...layers].some((l) => this.trace.unknownMacs.has(l)),
      config: plainConfig(st.cfg),
      formulas: res?.formulas ?? [],
    };
    // a layer called again (a shared layer) stays one row, as in model.summary(): the last call's
    // output shape, the MACs of every call
    const earlier = this.trace.rows.find((r) => r.path === row.path);
    if (earlier) {
      Object.assign(earlier, { outputShape: row.outputShape, outputShapes: row.outputShapes, macs: earlier.macs + row.macs, macsKnown: earlier.macsKnown && row.macsKnown, paramsKnown: earlier.paramsKnown && row.paramsKnown });
      return;
    }
    if (res?.padding) row.padding = res.padding;
    if (res?.window) row.receptiveField = { size: res.window.kernel.map((k, i) => (k - 1) * (res.window?.dilation[i] ?? 1) + 1), jump: res.window.stride };
    this.trace.rows.push(row);
  }

  /** Traces `model` on an input of the given shape (batch included). */
  traceModel(model: PyInstance, input: Shape, site: CallSite, extra: Shape[] = []): TraceOutcome {
    const trace = new KerasTrace(false);
    this.trace = trace;
    this.lastResult.clear();
    const st = layerState(model);
    let output: Value = null;
    let failure: Diagnostic | undefined;
    try {
      const first = this.source(input, 'input', site.line);
      const others = (st.functional ? st.functional.inputs.slice(1).map((t) => t.shape) : extra).map((s) => this.source(s, 'input', site.line));
      const x: Value = others.length ? { k: 'list', items: [first, ...others] } : first;
      trace.touched.push(new Set());
      if (!st.trainable) trace.frozen++;
      trace.modelFrozen = !st.trainable;
      // a model ConvLens cannot look into (an application it does not have) is one row of its own
      this.tracingCall = st.kind === 'custom';
      output = st.kind === 'opaque' ? this.call(model, [x], new Map(), site) : this.body(model, st, x, [], new Map(), site);
      if (st.functional) sortRows(trace.rows, kerasLayerOrder(st.functional).map((l) => ('args' in l ? l.operation?.name ?? '' : layerState(l).name)));
      // a subclassed model's summary lists the layers it tracks, in the order they were assigned
      else if (st.kind === 'custom') sortRows(trace.rows, [...st.tracked.values()].flatMap(layersIn).map((l) => layerState(l).name));
    } catch (e) {
      if (e instanceof PyRaise) failure = { line: e.line, severity: 'error', code: 'forward-raised', message: `call() stops here: ${e.type}${e.detail ? `: ${e.detail}` : ''}` };
      else if (e instanceof BudgetExceeded) failure = { line: 0, severity: 'warning', code: 'step-budget', message: `${e.message}; the summary is partial` };
      else throw e;
    } finally {
      this.trace = this.construction;
      this.tracingCall = false;
      this.interp.frames.length = 0;
    }
    return { trace, output, failure };
  }
}

/**
 * MultiHeadAttention's scores on a functional model's tensors as Keras 3 (3.15) gives them: its symbolic
 * compute_output_spec makes them (batch, heads, T_q, T_q) whatever the key's length, and the layers after them
 * are built on that; inside a layer's call() (a real computation) they are (batch, heads, T_q, T_k).
 */
function symbolicScores(out: Value, tensor: (s: Shape, node: number) => KerasTensor): Value {
  if (!isObj(out) || out.k !== 'list' || out.items.length !== 2 || !isKerasTensor(out.items[1])) return out;
  const [o, scores] = out.items as [Value, KerasTensor];
  const s = scores.shape;
  return s && s.length === 4 ? list([o, tensor([s[0], s[1], s[2], s[2]], scores.node)]) : out;
}

/** A shape with each stand-in for None (`sized`), or size made from one, None again: what Keras shows. */
function unsized<S extends Shape | null>(shape: S): S {
  return (shape?.some(isNoneStandIn) ? shape.map((d: Dim) => (isNoneStandIn(d) ? null : d)) : shape) as S;
}

/** Every output's shape of a value with several tensors (a row's `outputShapes`); nothing for one. */
export function outputShapes(out: Value): { outputShapes?: Array<Shape | null> } {
  const ts = tensorsIn(out);
  return ts.length > 1 ? { outputShapes: ts.map((t) => unsized(t.shape)) } : {};
}

/** The operation class Keras 3's KerasTensor operators make (`x + y` is an `Add`). */
const OPERATIONS: Record<string, string> = {
  '+': 'Add', '-': 'Subtract', '*': 'Multiply', '/': 'TrueDivide', '**': 'Power', '//': 'FloorDivide',
  '<': 'Less', '>': 'Greater', '<=': 'LessEqual', '>=': 'GreaterEqual',
};

/** The shape of a Python number (a scalar) or a list of them, as an operation's argument. */
function valueShape(v: Value): Shape | null {
  if (typeof v === 'number' || typeof v === 'boolean') return [];
  if (!isObj(v) || (v.k !== 'list' && v.k !== 'tuple')) return null;
  const inner = v.items.map(valueShape);
  const first = inner[0];
  if (first === undefined) return [0];
  return first && inner.every((s) => s && s.length === first.length) ? [v.items.length, ...first] : null;
}

/** The layers a tracked attribute holds: itself, or those of a list, tuple or dict, in order. */
function layersIn(v: Value): PyInstance[] {
  if (isLayer(v)) return [v];
  if (isObj(v) && (v.k === 'list' || v.k === 'tuple')) return v.items.flatMap(layersIn);
  if (isObj(v) && v.k === 'dict') return [...v.map.values()].flatMap(([, x]) => layersIn(x));
  return [];
}

/** Rows in the order of the names given (Keras's order); rows of other names keep their place after them. */
function sortRows(rows: LayerRow[], names: string[]): void {
  const rank = new Map(names.map((n, i) => [n, i]));
  const sorted = rows.map((r, i) => ({ r, k: rank.get(r.path) ?? names.length + i })).sort((a, b) => a.k - b.k).map((x) => x.r);
  rows.splice(0, rows.length, ...sorted);
}

const without = (k: Map<string, Value>, name: string): Map<string, Value> => {
  const out = new Map(k);
  out.delete(name);
  return out;
};

/** The shape of `x[index]` (ints drop an axis, slices keep it, None adds one). */
function sliceShape(shape: Shape, index: Value): Shape | null {
  const given = isObj(index) && index.k === 'tuple' ? index.items : [index];
  // `x[..., i]`: the ellipsis (the interpreter's unknown '...') stands for every axis not indexed
  const dots = given.findIndex((v) => isObj(v) && v.k === 'unknown' && v.reason === '...');
  const full: Value = { k: 'slice', lo: null, hi: null, step: null };
  const used = given.filter((v, i) => i !== dots && v !== null).length;
  const items = dots < 0 ? given : [...given.slice(0, dots), ...Array(Math.max(0, shape.length - used)).fill(full), ...given.slice(dots + 1)];
  const out: Shape = [];
  let axis = 0;
  for (const v of items) {
    if (v === null) out.push(1);
    else if (isObj(v) && v.k === 'slice') {
      const len = shape[axis++];
      const lo = toIndex(v.lo ?? 0), hi = v.hi === null ? undefined : toIndex(v.hi), step = toIndex(v.step ?? 1) ?? 1;
      if (v.lo === null && v.hi === null && v.step === null) out.push(len);
      else if (typeof len === 'number' && lo !== undefined && (v.hi === null || hi !== undefined)) {
        const a = Math.min(lo < 0 ? Math.max(len + lo, 0) : lo, len);
        const b = hi === undefined ? len : Math.min(hi < 0 ? Math.max(len + hi, 0) : hi, len);
        out.push(Math.max(0, Math.ceil((b - a) / step)));
      } else out.push(null);
    } else if (typeof v === 'number') axis++;
    else return null;
  }
  return [...out, ...shape.slice(axis)];
}

