// One analysis of PyTorch code: owns the tracer, implements module calls (leaf rows, layer rules,
// module outputs) and traces a model on an input shape.
import { sequenceItems } from '../../python/stdlib-namedtuple';
import type { Interpreter } from '../../python/interpreter';
import {
  BudgetExceeded, PyRaise, isObj, isUnknown, tuple, unknown, type CallSite, type PyInstance, type PyUnknown, type UnknownCall, type Value,
} from '../../python/values';
import * as dim from '../../shapes/dim';
import type { Shape } from '../../shapes/dim';
import type { Diagnostic, Fix, LayerRow, SourceRange, StatementRecord } from '../../report/types';
import { StatementRecorder } from '../statements';
import { REQUIRED, UNKNOWN, type CallArg, type CallArgs, type LayerResult, type OutputTree } from './layers/spec';
import { plainConfig, unknownArgNames } from '../../shapes/layer-spec';
import {
  bindForwardArgs, isModule, namedModules, namedParameters, opaqueChildren, setTraining, stateOf, trainingReads, type LayerInfo, type NnHooks,
} from './nn';
import { missingOf, unknownArgsReason, whyUnknown } from '../../report/unmodelled';
import { isPacked, makePacked } from './packed';
import { isTensor, makeTensor, type TensorObj } from './tensor';
import { initializeLazy } from './lazy-init';
import { Tracer, type ModuleCall } from './trace';
import type { TopLevelCall } from '../framework';
import { LIBRARY_HEDGE, placeRaise, relatedPlace, unsureRaise, whereRaised } from '../../report/related';
import { trains, type ParamFlag } from './requires-grad';
import { plainHolder, unregisteredMessage } from './unregistered';
import { REPARAM_MARK } from './weight-reparam-source';
import { deviceObject } from './device';

export interface ModuleCallWatch {
  bare: boolean;
  enter(module: PyInstance): void;
  exit(module: PyInstance, output: Value): void;
}

export interface TraceOutcome {
  tracer: Tracer;
  statements: StatementRecord[];
  output: Value;
  /** Why the forward pass stopped early, if it did. */
  failure?: Diagnostic;
}


/** The first tensor of a value, depth-first (a forward's `return logits, features` gives logits). */
export const firstTensor = (v: Value): TensorObj | undefined => {
  if (isTensor(v)) return v;
  if (isPacked(v)) return v.data;
  for (const x of sequenceItems(v) ?? []) { const t = firstTensor(x); if (t) return t; }
  if (isObj(v) && v.k === 'dict') for (const [, x] of v.map.values()) { const t = firstTensor(x); if (t) return t; }
  return undefined;
};

/** The shapes of a call's tensor arguments after the first, up to the first that is not a tensor of known shape. */
function furtherShapes(args: Value[]): Shape[] {
  const out: Shape[] = [];
  for (const a of args.slice(1)) {
    if (!isTensor(a) || !a.shape) break;
    out.push(a.shape);
  }
  return out;
}

export const shapeOfValue = (v: Value): Shape | null => firstTensor(v)?.shape ?? null;

/** Which constructor argument a diagnostic's quick fix rewrites, and which input axis has the value. */
const FIXABLE: Record<string, { param: string; position: number; axis: (rank: number) => number }> = {
  'linear-in-features': { param: 'in_features', position: 0, axis: (rank) => rank - 1 },
  'channel-mismatch': { param: 'in_channels', position: 0, axis: () => 1 },
};

/** Makers of callables that take tensors but are no model (a loss, a metric, a transform). */
const NO_MODEL = /loss|metric|transform|augment|criterion|score/i;

/** Steps one traced leaf-module call costs: the default budget traces 20,000 layer calls per pass. */
const LAYER_CALL_STEPS = 250;

export class TorchSession implements NnHooks {
  /** Finds the argument expression of a constructor call in the analysed file (for quick fixes). */
  argumentRange: (site: CallSite, param: string, position: number) => SourceRange | undefined = () => undefined;

  /** The `.device` of every tensor of this session's tracers (declared before the first of them). */
  private readonly device = deviceObject();
  tracer = this.newTracer();
  readonly topLevelCalls: TopLevelCall[] = [];
  private paths = new Map<PyInstance, string>();
  private readonly applied = new Map<PyInstance, LayerResult>();
  /** Unknown values the traced model holds as attributes or container items, by path. */
  private opaque = new Map<PyUnknown, string>();
  /** Paths of the modules that hold such values: containers, never leaf rows. */
  private opaqueParents = new Set<string>();
  /** The model of the running trace (not of a side trace): the owner that layers it calls may lack. */
  private traced?: PyInstance;
  /** Undoes the lazy initialisations of the running trace; null outside a trace, whose initialisations stay. */
  private lazyUndo: Array<() => void> | null = null;
  private readonly traceLazyUndo: Array<() => void> = [];
  /** Told of every module call (a feature extractor's probe and its early stop); `bare`: nothing else is recorded. */
  moduleCalls?: ModuleCallWatch;
  /** Records statements during a model trace (not during side traces). */
  private statements?: StatementRecorder;

  constructor(
    private readonly interp: Interpreter,
    /** Range in the analysed file of a call site, when it is in that file. */
    readonly rangeOf: (site: CallSite) => SourceRange | undefined,
  ) {}

  /** A tracer of this session: its tensors record their ops in whichever tracer runs when they are used. */
  private newTracer(model?: PyInstance, tree?: Array<[string, PyInstance]>): Tracer {
    const t = new Tracer();
    // made before it is assigned: see eslint.config.mjs, pretenured closures
    const rangeOf: Tracer['rangeOf'] = (site) => this.rangeOf(site);
    const current: Tracer['current'] = () => this.tracer;
    t.rangeOf = rangeOf;
    t.current = current;
    t.device = this.device;
    if (model) t.parameterNames = new Map(namedParameters(model, tree).map(([n, p]) => [p, n]));
    return t;
  }

  /**
   * A call of something unknown with a tensor going in: a row with what is known, an `unmodelled`
   * entry and its warning. An object an unknown call made (`self.m = Mystery(8, 16)`) is module-like:
   * its parameters and MACs are unknown too; a function or tensor method only leaves shapes unknown.
   */
  /** What the session recorded so far, as a stamp (`Interpreter.stateStamps`). */
  stamp(): unknown {
    const t = this.tracer;
    return [this.topLevelCalls.length, this.paths.size, this.applied.size, this.opaque.size, this.opaqueParents.size, t.rows.length, t.graph.length,
      t.diagnostics.length, t.calls.length, t.moduleOutputs.size, this.modelWrappers.size, this.unknownModelCalls.size, this.lazyUndo?.length, this.traceLazyUndo.length, this.traced !== undefined];
  }

  unknownCall(call: UnknownCall): Value | undefined {
    const tensors = [call.receiver ?? null, ...call.args, ...call.kwargs.values()].filter(isTensor);
    const path = this.opaque.get(call.fn);
    if (this.traced === undefined && this.interp.frames.length === 0) this.noteUnknownWrapper(call);
    if (this.traced === undefined) this.noteUnknownModelCall(call, tensors);
    // an unknown item of the model is a row even when what goes in is already unknown
    if (!tensors.length && path === undefined) return undefined;
    // outside a trace no row is kept: what the call made stays a made unknown, so a module attribute
    // holding it (`self.t = nn.parameter.Parameter(torch.zeros(…))` unresolved) is flagged as opaque
    if (this.traced === undefined && !isTensor(call.receiver ?? null)) return undefined;
    const moduleLike = path !== undefined || call.fn.made !== undefined;
    const last = call.name.slice(call.name.lastIndexOf('.') + 1);
    const name = !moduleLike && isTensor(call.receiver ?? null) ? `tensor.${last}` : call.name;
    const callRange = this.rangeOf(call.site);
    const made = call.fn.made && this.rangeOf(call.fn.made.site);
    const range = made ?? callRange;
    // a call inside a library's code is shown at the user's line that led there (else the model's), never at a
    // line number of the library's file, which is named as related information
    const inMain = call.site.file === this.interp.mainFile;
    const userAt = callRange?.line ?? this.userLine(call.site);
    const modelLine = this.traced && this.constructionRange(this.traced)?.line;
    const line = range?.line ?? (inMain ? call.site.line : userAt ?? modelLine ?? 0);
    const related = inMain ? undefined : [relatedPlace(this.interp, call.site, `${name} is called here`)];
    this.tracer.unmodelled.add({
      name, path, line, range, reason: whyUnknown(call.fn.reason), missing: moduleLike ? ['params', 'macs', 'shape'] : ['shape'],
    }, userAt ?? line, related);
    const type = moduleLike ? last : name;
    this.tracer.rows.push({
      path: path ?? name, type, line, range, callRange,
      inputShapes: tensors.map((t) => t.shape).filter((s): s is Shape => s !== null), outputShape: null,
      params: 0, trainableParams: 0, paramsKnown: !moduleLike, macs: 0, macsKnown: !moduleLike, config: {}, formulas: [],
    });
    this.tracer.node(moduleLike ? 'module' : 'op', type, {}, this.tracer.refs(tensors, call.site), null, line, path);
    return unknown(`${name} is not modelled`, call.site.line);
  }

  /** Module-level calls of unknown callables that were given a model (`create_feature_extractor(m, …)`). */
  readonly modelWrappers = new Set<CallSite>();

  private noteUnknownWrapper(call: UnknownCall): void {
    if (!call.fn.made && [...call.args, ...call.kwargs.values()].some(isModule)) this.modelWrappers.add(call.site);
  }

  /**
   * What an unknown call made, called on a tensor in the analysed file outside a trace (`model = make_net()` then
   * `model(x)` inside `main()`): a model ConvLens cannot see, by the site that made it, with the call's line.
   */
  readonly unknownModelCalls = new Map<CallSite, { name: string; line: number; reason: string }>();

  private noteUnknownModelCall(call: UnknownCall, tensors: unknown[]): void {
    const made = call.fn.made;
    if (!made || call.fn.attribute || call.receiver !== undefined || !tensors.length || NO_MODEL.test(made.name)) return;
    const line = this.rangeOf(call.site)?.line;
    if (line === undefined || !this.rangeOf(made.site) || this.unknownModelCalls.has(made.site)) return;
    this.unknownModelCalls.set(made.site, { name: made.name, line, reason: call.fn.reason });
  }

  /** The innermost construction site inside the analysed file (where the user wrote the layer). */
  constructionRange(m: PyInstance): SourceRange | undefined {
    return this.innermostRange(stateOf(m).sites);
  }

  /** The innermost of `sites` inside the analysed file. */
  private innermostRange(sites: CallSite[]): SourceRange | undefined {
    for (let i = sites.length - 1; i >= 0; i--) {
      const r = this.rangeOf(sites[i]);
      if (r) return r;
    }
    return undefined;
  }

  /**
   * The analysed file's line that led to a call at `site`: its own when it is in the file, else that of the
   * innermost call in the file on the way there; undefined when none is (a call inside DataParallel's forward
   * during the trace): never a line of another file given as the user's.
   */
  private userLine(site: CallSite): number | undefined {
    return this.innermostRange([...this.interp.frames.map((f) => f.site), site])?.line;
  }

  parameter(shape: Shape | null, flag: ParamFlag): TensorObj {
    const t = makeTensor(this.tracer, shape, -1);
    t.param = { ...flag };
    return t;
  }

  applyLayer(self: PyInstance, args: Value[], site: CallSite, kwargs: Map<string, Value> = new Map()): Value {
    const st = stateOf(self);
    const layer = st.layer;
    if (!layer) return unknown(`${self.cls.name} has no layer rule`, site.line);
    if (layer.spec.forward) return this.applyWithCall(self, layer, args, kwargs, site);
    const inputs = args.filter(isTensor);
    const indices = layer.spec.returnsIndices?.(layer.cfg);
    // an unknown input (what an unknown call gave) still makes a tensor, of unknown shape: arithmetic
    // with it must not read it as a scalar and keep the other operand's shape
    if (!inputs.length && args.some(isUnknown)) return this.tracer.pooled(this.tracer.op(layer.type, plainConfig(layer.cfg), [], null, site), indices, site);
    if (!inputs.length) return unknown(`${layer.type} called without a tensor`, site.line);
    const shapes = inputs.map((t) => t.shape);
    if (shapes.some((s) => s === null)) {
      return this.tracer.pooled(this.tracer.op(layer.type, plainConfig(layer.cfg), inputs, null, site), indices, site);
    }
    const cfg = layer.spec.forwardArgs ? { ...layer.cfg, ...bindForwardArgs(layer.spec, args, kwargs) } : layer.cfg;
    const res = layer.spec.apply(cfg, shapes as Shape[]);
    const node = this.record(self, layer, res, inputs, shapes[0] as Shape, site);
    return this.tracer.pooled(makeTensor(this.tracer, res.output, node), indices, site);
  }

  /** A layer whose forward takes more than tensors and may return a tuple (RNNs, attention). */
  private applyWithCall(self: PyInstance, layer: LayerInfo, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    // by keyword too: torchvision's ViT calls self_attention(query=x, key=x, value=x)
    const inputName = layer.spec.forwardInput ?? 'input';
    const input = args[0] ?? kwargs.get(inputName) ?? null;
    if (!args.length && !kwargs.has(inputName)) this.interp.raise('TypeError', `forward() missing 1 required positional argument: '${inputName}'`, site.line);
    if (!isTensor(input) && !isPacked(input)) return unknown(`${layer.type} called without a tensor`, site.line);
    const call: CallArgs = { input: callArg(input) };
    const names = (layer.spec.forward ?? []).map(([n]) => n);
    (layer.spec.forward ?? []).forEach(([name, dflt], i) => {
      const v = kwargs.has(name) ? kwargs.get(name) as Value : i + 1 < args.length ? args[i + 1] : undefined;
      call[name] = v === undefined ? (dflt === REQUIRED ? null : dflt as CallArg) : callArg(v);
    });
    for (const k of kwargs.keys()) {
      if (!names.includes(k) && k !== inputName) this.interp.raise('TypeError', `${layer.type}.forward() got an unexpected keyword argument '${k}'`, site.line);
    }
    const tensors = [...args, ...kwargs.values()].flatMap(tensorsIn);
    const res = layer.spec.apply(layer.cfg, [], call);
    const x = isPacked(input) ? input.data : input;
    const node = this.record(self, layer, res, tensors, x.shape, site);
    let primary: TensorObj | undefined;
    const build = (tree: OutputTree): Value => {
      if (tree === null) return null;
      if (Array.isArray(tree)) return tuple(tree.map(build));
      const shape = 'shape' in tree ? tree.shape : [tree.packed.steps, ...(tree.packed.padded?.slice(2) ?? [null])];
      const t: TensorObj = primary ? this.tracer.op(`${layer.type}.state`, {}, [primary], shape, site) : (primary = makeTensor(this.tracer, shape, node));
      return 'packed' in tree ? makePacked(this.tracer, tree.packed, t, site) : t;
    };
    return build(res.outputs ?? { shape: res.output });
  }

  /** Remembers a layer's result, reports its diagnostics, and adds its node to the graph. */
  private record(self: PyInstance, layer: LayerInfo, res: LayerResult, inputs: TensorObj[], first: Shape | null, site: CallSite): number {
    this.applied.set(self, res);
    const range = this.constructionRange(self) ?? this.rangeOf(site);
    const path = this.paths.get(self);
    // unknown arguments: one `unmodelled` warning says what they leave unknown (instead of the rule's note)
    const missing = missingOf(stateOf(self).unknownArgs !== undefined, isMacLayer(layer.type) && typeof res.macs !== 'number', res.output === null);
    // a lazy layer's inferred size is unknown only because its input's is: lazy-uninitialized says so
    const inferred = layer.lazy?.spec.inferred;
    const unknownNames = unknownArgNames(layer.cfg).filter((n) => n !== inferred);
    const unsure = missing.length > 0 && unknownNames.length > 0;
    if (unsure) {
      this.tracer.unmodelled.add({
        name: layer.type, path, line: range?.line ?? site.line, range, reason: unknownArgsReason(unknownNames), missing,
      }, this.userLine(site) ?? range?.line);
    }
    for (const d of res.diagnostics) {
      if (unsure && d.code === 'unknown-argument') continue;
      if (inferred && d.code === 'unknown-argument' && d.message.includes(`\`${inferred}\``)) continue;
      const diag: Diagnostic = { ...d, line: range?.line ?? site.line, range };
      const fix = first ? this.fixFor(self, d.code, first) : undefined;
      if (fix) diag.fixes = [fix];
      if (diag.severity === 'error') this.tracer.onError?.(diag.line);
      if (!this.tracer.diagnostics.some((o) => o.line === diag.line && o.code === diag.code && o.message === diag.message)) {
        this.tracer.diagnostics.push(diag);
      }
    }
    const ids = this.tracer.refs(inputs, site);
    const config = { ...plainConfig(layer.cfg), ...res.graphConfig };
    // weight_norm / spectral_norm: the weight is recomputed from parameters each call (what autograd keeps differs)
    const reparam = self.attrs.get(REPARAM_MARK) ?? null;
    if (isObj(reparam) && reparam.k === 'dict' && reparam.map.size) {
      config.reparametrizedWeight = true;
      const sizes = [...reparam.map.values()].map(([name]) => self.attrs.get(String(name)))
        .map((w) => (w !== undefined && isTensor(w) && w.shape ? dim.product(w.shape) : null));
      if (sizes.every((n) => typeof n === 'number')) config.weightElements = (sizes as number[]).reduce((a, b) => a + b, 0);
    }
    return this.tracer.node('module', layer.type, config, ids, res.output, range?.line ?? site.line, path);
  }

  /**
   * forward()'s further inputs (a siamese `forward(x1, x2)`): input tensors of the shapes given (`--input`
   * repeated, `# convlens: input=(…), (…)`, the file's `model(x1, x2)`); required ones with no shape given
   * are unknown — never a guessed copy of the first — and one warning says so.
   */
  private extraInputs(model: PyInstance, tracer: Tracer, site: CallSite, shapes: Shape[]): Value[] {
    const fwd = model.attrs.get('forward') ?? this.interp.lookupClassAttr(model.cls, 'forward') ?? null;
    const given = shapes.map((s) => tracer.input(s));
    if (!isObj(fwd) || fwd.k !== 'func') return given;
    const names = fwd.params.filter((p) => p.kind === 'pos' && p.default === undefined).slice(2 + given.length).map((p) => p.name);
    if (!names.length) return given;
    // the class's line only when it is in the analysed file: another file's line is not the user's
    const line = model.cls.module?.file === this.interp.mainFile ? model.cls.line : site.line;
    const count = names.length + given.length + 1;
    const reason = `${model.cls.name}.forward() takes ${count} inputs and ConvLens is given the shape of ${given.length + 1}: `
      + `give every input's, e.g. \`# convlens: input=(…), (…)\``;
    tracer.unmodelled.add({ name: `forward(…, ${names.join(', ')})`, line, reason, missing: ['shape'] }, line);
    const unknowns = names.map((n) => unknown(`the input ${n} of forward(), whose shape ConvLens is not given`, site.line));
    return [...given, ...unknowns];
  }

  /** PyTorch's lazy pre-hook: the first call's input gives the missing size (see lazy-init.ts). */
  private initializeLazy(self: PyInstance, args: Value[], site: CallSite): void {
    const x = args[0] ?? null;
    const outcome = initializeLazy(self, isTensor(x) ? x.shape : null);
    if (outcome.kind === 'raise') this.interp.raise(outcome.type, outcome.message, site.line);
    if (outcome.kind === 'initialized') this.lazyUndo?.push(outcome.undo);
  }

  /** `in_features`/`in_channels` set to what arrives, when the argument is written in the file. */
  private fixFor(self: PyInstance, code: string, input: Shape): Fix | undefined {
    const want = FIXABLE[code];
    const arriving = want ? input[want.axis(input.length)] : undefined;
    if (!want || typeof arriving !== 'number') return undefined;
    const sites = stateOf(self).sites;
    const range = sites.length ? this.argumentRange(sites[sites.length - 1], want.param, want.position) : undefined;
    return range && { title: `Set ${want.param} to ${arriving} (what arrives)`, range, newText: String(arriving) };
  }

  callModule(self: PyInstance, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    const watch = this.moduleCalls;
    if (watch?.bare) {
      watch.enter(self);
      const out = this.interp.call(this.forwardOf(self, site).bound, args, kwargs, site);
      watch.exit(self, out);
      return out;
    }
    if (!this.paths.size) {
      // `model(torch.randn(…))` outside any module's forward (at module level, or in a training function the file
      // calls on a DataLoader's batch): remember the shape; it is one source of the input
      const t = firstTensor(args[0] ?? null);
      if (t?.shape) this.topLevelCalls.push({ model: self, shape: t.shape, extra: furtherShapes(args), line: site.line });
      if (this.interp.frames.length === 0) return this.sideTrace(self, args, kwargs, site);
    }
    const st = stateOf(self);
    if (st.layer?.lazy) this.initializeLazy(self, args, site);
    const { bound, fwd } = this.forwardOf(self, site);
    watch?.enter(self);
    this.applied.delete(self);
    const rows = this.tracer.rows.length;
    // a catalogued layer running its own forward calls no child: one with children (attention's out_proj, the
    // `parametrizations` list of a spectral-normed weight) is still one row
    const leaf = !st.hasModuleChildren() || st.layer?.spec.children !== undefined || (st.layer !== undefined && isObj(fwd) && fwd.k === 'native');
    const call: ModuleCall = { path: this.paths.get(self), leaf, ownsMacs: st.layer !== undefined && isMacLayer(st.layer.type), macs: 0, known: true };
    const tracer = this.tracer;
    tracer.calls.push(call);
    this.statements?.enterModule();
    let out: Value;
    try {
      out = this.interp.call(bound, args, kwargs, site);
    } finally {
      this.statements?.leaveModule();
      tracer.calls.pop();
    }
    const outShape = shapeOfValue(out);
    this.tracer.moduleOutputs.set(self, outShape);
    const path = this.paths.get(self);
    if (path !== undefined && leaf && !this.opaqueParents.has(path)) {
      addMacs(this.recordRow(self, path, args, outShape, site), call);
      // a row costs what hundreds of statements do: a model of 100,000 layers ends as a partial report
      this.interp.tick(LAYER_CALL_STEPS);
    } else if (path === undefined && leaf && this.traced) {
      addMacs(this.recordUnregistered(this.traced, self, args, outShape, site), call);
      this.interp.tick(LAYER_CALL_STEPS);
    }
    const called = this.tracer.rows.slice(rows);
    this.statements?.call({
      kind: 'module', name: path || self.cls.name, type: self.cls.name, outputShape: outShape,
      macs: called.reduce((n, r) => n + r.macs, 0), macsKnown: called.every((r) => r.macsKnown),
    });
    watch?.exit(self, out);
    return out;
  }

  /** The module's forward, bound: `self.forward = self.forward_fast` in __init__ wins, as in Python. */
  private forwardOf(self: PyInstance, site: CallSite): { bound: Value; fwd: Value } {
    const own = self.attrs.get('forward');
    if (own !== undefined) return { bound: own, fwd: own };
    const fwd = this.interp.lookupClassAttr(self.cls, 'forward');
    if (fwd === undefined) return this.interp.raise('NotImplementedError', `${self.cls.name} has no forward()`, site.line);
    return { bound: this.interp.bindTo(fwd, self, self.cls), fwd };
  }

  /**
   * Runs `fn` beside the file's run: a tracer of its own, no statement records, and the interpreter's notes and
   * guesses as they were before (what a probe run meets is not the file's).
   */
  aside<T>(fn: (tracer: Tracer) => T): T {
    const { interp } = this;
    const saved = { tracer: this.tracer, statements: this.statements, observer: interp.statementObserver };
    const lengths = [interp.notes.length, interp.guesses.length, interp.mainGuesses.length, interp.choosingGuesses.length];
    this.tracer = this.newTracer();
    this.statements = undefined;
    interp.statementObserver = undefined;
    try {
      return fn(this.tracer);
    } finally {
      this.tracer = saved.tracer;
      this.statements = saved.statements;
      interp.statementObserver = saved.observer;
      [interp.notes.length, interp.guesses.length, interp.mainGuesses.length, interp.choosingGuesses.length] = lengths;
    }
  }

  /** A layer the model runs but does not own: a row (its MACs count), a warning, parameters left out of the totals. */
  private recordUnregistered(model: PyInstance, self: PyInstance, args: Value[], outShape: Shape | null, site: CallSite): LayerRow {
    const holder = plainHolder(model, self);
    const row = this.recordRow(self, holder ?? self.cls.name, args, outShape, site);
    row.trainableParams = 0;
    if (row.params === 0 && row.paramsKnown) return row;
    const range = row.range ?? row.callRange;
    const message = unregisteredMessage(self.cls.name, holder, row.params);
    if (!this.tracer.diagnostics.some((d) => d.message === message && d.line === (range?.line ?? site.line))) {
      this.tracer.diagnostics.push({ line: range?.line ?? site.line, severity: 'warning', code: 'unregistered-layer', message, range });
    }
    return row;
  }

  private recordRow(self: PyInstance, path: string, args: Value[], outShape: Shape | null, site: CallSite): LayerRow {
    const st = stateOf(self);
    const inputShapes = args.flatMap(tensorsIn).map((t) => t.shape).filter((s): s is Shape => s !== null);
    let res = this.applied.get(self);
    if (!res && st.layer && !st.layer.spec.forward && inputShapes.length) res = st.layer.spec.apply(st.layer.cfg, inputShapes);
    // the row of a layer with children it uses by their weights counts theirs too (attention's out_proj)
    const params = st.hasModuleChildren() ? namedParameters(self) : st.ownParams();
    const count = params.reduce((n, [, p]) => n + (p.shape ? (dim.product(p.shape) as number) || 0 : 0), 0);
    const paramsKnown = !st.unknownArgs && params.every(([, p]) => p.shape !== null && typeof dim.product(p.shape) === 'number');
    const macLayer = st.layer !== undefined && isMacLayer(st.layer.type);
    const trainable = params.reduce((n, [, p]) => n + (trains(p) && p.shape ? (dim.product(p.shape) as number) || 0 : 0), 0);
    const range = this.constructionRange(self);
    const row: LayerRow = {
      path,
      type: self.cls.name,
      line: range?.line ?? 0,
      range,
      callRange: this.rangeOf(site),
      inputShapes,
      outputShape: outShape,
      params: count,
      trainableParams: trainable,
      paramsKnown,
      macs: st.layer && macLayer ? macsFor(st.layer.type, res, outShape) : 0,
      macsKnown: !macLayer || typeof res?.macs === 'number',
      config: st.layer ? plainConfig(st.layer.cfg) : {},
      formulas: res?.formulas ?? [],
    };
    if (res?.padding) row.padding = res.padding;
    if (res?.window) row.receptiveField = { size: res.window.kernel.map((k, i) => (k - 1) * (res?.window?.dilation[i] ?? 1) + 1), jump: res.window.stride };
    this.tracer.rows.push(row);
    return row;
  }

  /** A forward pass outside the model being reported (a module called during construction or at top level). */
  private sideTrace(self: PyInstance, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    const saved = this.tracer;
    const savedPaths = this.paths;
    const savedStatements = this.statements;
    this.statements = undefined;
    this.interp.statementObserver = undefined;
    this.tracer = this.newTracer(self);
    this.paths = new Map([[self, '']]);
    try {
      return this.callModule(self, args, kwargs, site);
    } catch (e) {
      if (e instanceof PyRaise) return unknown(`calling the model raised ${e.type}`, site.line);
      throw e;
    } finally {
      this.tracer = saved;
      this.paths = savedPaths;
      this.statements = savedStatements;
      this.interp.statementObserver = savedStatements;
    }
  }

  /** Traces `model` on an input of the given shape. */
  trace(model: PyInstance, input: Shape, site: CallSite, extra: Shape[] = []): TraceOutcome {
    // Each trace starts from the modules as the file left them: lazy layers an earlier trace
    // initialised (a symbolic probe) are lazy again; those the file's own calls initialised stay.
    for (const undo of this.traceLazyUndo.splice(0).reverse()) undo();
    this.lazyUndo = this.traceLazyUndo;
    // the module tree, walked once for the parameters' names, the paths, the unknown children and eval()
    // (none of them changes it; the forward pass may, and the report walks it again after)
    const tree = namedModules(model);
    const tracer = this.newTracer(model, tree);
    this.tracer = tracer;
    this.paths = new Map(tree.map(([p, m]) => [m, p]));
    this.traced = model;
    this.opaque = new Map(opaqueChildren(model, tree).map((o) => [o.value, o.path]));
    this.opaqueParents = new Set([...this.opaque.values()].map((p) => p.slice(0, Math.max(p.lastIndexOf('.'), 0))));
    // traced as the reference traces it: model.eval()
    setTraining(model, false, tree);
    this.applied.clear();
    const statements = new StatementRecorder((s) => this.rangeOf(this.interp.site(s)), (v) => (isTensor(v) ? v.shape : undefined));
    this.statements = statements;
    this.interp.statementObserver = statements;
    // made before it is assigned: see eslint.config.mjs, pretenured closures
    const onOp: Tracer['onOp'] = (type, shape) => statements.op(type, shape);
    const onError: Tracer['onError'] = (line) => statements.error(line);
    const onEvalRead: typeof trainingReads.onEvalRead = () => { tracer.readsTraining = true; };
    tracer.onOp = onOp;
    tracer.onError = onError;
    trainingReads.onEvalRead = onEvalRead;
    let output: Value = null;
    let failure: Diagnostic | undefined;
    const guessed = this.interp.guesses.length;
    try {
      output = this.interp.call(model, [tracer.input(input), ...this.extraInputs(model, tracer, site, extra)], new Map(), site);
    } catch (e) {
      if (e instanceof PyRaise) {
        const at = placeRaise(this.interp, e);
        const message = `forward() stops here: ${e.type}${e.detail ? `: ${e.detail}` : ''}${whereRaised(at.related)}`;
        const also = at.related ? { related: [at.related] } : {};
        const guess = this.interp.guesses[guessed];
        failure = guess ? unsureRaise(this.interp, at.line, message.replace('stops', 'may stop'), at.related, guess)
          : at.related?.installedLibrary
          ? { line: at.line, severity: 'warning', code: 'library-raised', message: `${message} — ${LIBRARY_HEDGE}`, ...also }
          : { line: at.line, severity: 'error', code: 'forward-raised', message, ...also };
      } else if (e instanceof BudgetExceeded) {
        failure = { line: 0, severity: 'warning', code: 'step-budget', message: `${e.message}; the summary is partial` };
      } else throw e;
    } finally {
      trainingReads.onEvalRead = undefined;
      this.paths = new Map();
      this.traced = undefined;
      this.opaque = new Map();
      this.opaqueParents = new Set();
      this.lazyUndo = null;
      this.interp.frames.length = 0;
      this.statements = undefined;
      this.interp.statementObserver = undefined;
    }
    return { tracer, output, failure, statements: statements.result() };
  }
}

/** A leaf's row counts the functional convolutions and linears its forward() ran. */
function addMacs(row: LayerRow, call: ModuleCall): void {
  row.macs += call.macs;
  row.macsKnown &&= call.known;
}

/**
 * A layer subclass whose own forward pads or reshapes first (timm's Conv2dSame calls F.conv2d on a
 * padded input): PyTorch counts MACs per output element, so scale the layer's count computed on
 * the raw input to the output the forward really produced. ConvTranspose counts per input element.
 */
function macsFor(type: string, res: LayerResult | undefined, outShape: Shape | null): number {
  if (typeof res?.macs !== 'number') return 0;
  const computed = res.output ? dim.product(res.output) : null;
  const real = outShape ? dim.product(outShape) : null;
  if (typeof computed !== 'number' || typeof real !== 'number' || computed === 0 || computed === real || type.startsWith('ConvTranspose')) return res.macs;
  return Math.round((res.macs / computed) * real);
}

/** MACs follow torchvision's convention for convolution and linear layers; recurrent and attention layers ours (README). */
function isMacLayer(type: string): boolean {
  return /^(Lazy)?(Conv|ConvTranspose)[123]d$/.test(type) || /^(Lazy)?Linear$/.test(type)
    || /^(Linear|Bilinear|RNN|LSTM|GRU|RNNCell|LSTMCell|GRUCell|MultiheadAttention)$/.test(type);
}

/** A forward argument as layer rules read it. */
function callArg(v: Value): CallArg {
  if (isTensor(v)) return { shape: v.shape };
  if (isPacked(v)) return { packed: v.info };
  if (isObj(v) && (v.k === 'tuple' || v.k === 'list')) return v.items.map(callArg);
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return UNKNOWN;
}

/** The tensors inside an argument (a PackedSequence's data, the items of a tuple). */
function tensorsIn(v: Value): TensorObj[] {
  if (isTensor(v)) return [v];
  if (isPacked(v)) return [v.data];
  return isObj(v) && (v.k === 'tuple' || v.k === 'list') ? v.items.flatMap(tensorsIn) : [];
}
