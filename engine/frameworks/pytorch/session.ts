// One analysis of PyTorch code: owns the tracer, implements module calls (leaf rows, layer rules,
// module outputs) and traces a model on an input shape.
import type { Interpreter } from '../../python/interpreter';
import { BudgetExceeded, PyRaise, isObj, unknown, type CallSite, type PyInstance, type Value } from '../../python/values';
import * as dim from '../../shapes/dim';
import type { Shape } from '../../shapes/dim';
import type { Diagnostic, Fix, LayerRow, SourceRange, StatementRecord } from '../../report/types';
import { StatementRecorder } from '../statements';
import type { LayerResult } from './layers/spec';
import { plainConfig } from '../../shapes/layer-spec';
import { namedModules, stateOf, type NnHooks } from './nn';
import { isTensor, makeTensor, type TensorObj } from './tensor';
import { Tracer } from './trace';
import type { TopLevelCall } from '../framework';

export interface TraceOutcome {
  tracer: Tracer;
  statements: StatementRecord[];
  output: Value;
  /** Why the forward pass stopped early, if it did. */
  failure?: Diagnostic;
}


const firstTensor = (v: Value): TensorObj | undefined => {
  if (isTensor(v)) return v;
  if (isObj(v) && (v.k === 'tuple' || v.k === 'list')) for (const x of v.items) { const t = firstTensor(x); if (t) return t; }
  if (isObj(v) && v.k === 'dict') for (const [, x] of v.map.values()) { const t = firstTensor(x); if (t) return t; }
  return undefined;
};

export const shapeOfValue = (v: Value): Shape | null => firstTensor(v)?.shape ?? null;

/** Which constructor argument a diagnostic's quick fix rewrites, and which input axis has the value. */
const FIXABLE: Record<string, { param: string; position: number; axis: (rank: number) => number }> = {
  'linear-in-features': { param: 'in_features', position: 0, axis: (rank) => rank - 1 },
  'channel-mismatch': { param: 'in_channels', position: 0, axis: () => 1 },
};

export class TorchSession implements NnHooks {
  /** Finds the argument expression of a constructor call in the analysed file (for quick fixes). */
  argumentRange: (site: CallSite, param: string, position: number) => SourceRange | undefined = () => undefined;

  tracer = new Tracer();
  readonly topLevelCalls: TopLevelCall[] = [];
  private paths = new Map<PyInstance, string>();
  private readonly applied = new Map<PyInstance, LayerResult>();
  /** Records statements during a model trace (not during side traces). */
  private statements?: StatementRecorder;

  constructor(
    private readonly interp: Interpreter,
    /** Range in the analysed file of a call site, when it is in that file. */
    readonly rangeOf: (site: CallSite) => SourceRange | undefined,
  ) {
    this.tracer.rangeOf = rangeOf;
  }

  /** A call of something unknown with a tensor argument: shapes after it are unknown, say why. */
  unknownCall(reason: string, args: Value[], site: CallSite): void {
    if (!args.some(isTensor)) return;
    this.tracer.diagnose(site, 'info', 'unknown-call', `shapes after this call are unknown: ${reason}`);
  }

  /** The innermost construction site inside the analysed file (where the user wrote the layer). */
  constructionRange(m: PyInstance): SourceRange | undefined {
    const sites = stateOf(m).sites;
    for (let i = sites.length - 1; i >= 0; i--) {
      const r = this.rangeOf(sites[i]);
      if (r) return r;
    }
    return undefined;
  }

  parameter(shape: Shape | null, trainable: boolean): TensorObj {
    const t = makeTensor(this.tracer, shape, -1);
    t.param = { trainable };
    return t;
  }

  applyLayer(self: PyInstance, args: Value[], site: CallSite): Value {
    const st = stateOf(self);
    const layer = st.layer;
    if (!layer) return unknown(`${self.cls.name} has no layer rule`, site.line);
    const inputs = args.filter(isTensor);
    if (!inputs.length) return unknown(`${layer.type} called without a tensor`, site.line);
    const shapes = inputs.map((t) => t.shape);
    if (shapes.some((s) => s === null)) {
      return this.tracer.op(layer.type, plainConfig(layer.cfg), inputs, null, site);
    }
    const res = layer.spec.apply(layer.cfg, shapes as Shape[]);
    this.applied.set(self, res);
    const range = this.constructionRange(self) ?? this.rangeOf(site);
    for (const d of res.diagnostics) {
      const diag: Diagnostic = { ...d, line: range?.line ?? site.line, range };
      const fix = this.fixFor(self, d.code, shapes[0] as Shape);
      if (fix) diag.fixes = [fix];
      if (!this.tracer.diagnostics.some((o) => o.line === diag.line && o.code === diag.code && o.message === diag.message)) {
        this.tracer.diagnostics.push(diag);
      }
    }
    const path = this.paths.get(self);
    const node = this.tracer.node('module', layer.type, plainConfig(layer.cfg), inputs.map((t) => t.node), res.output, range?.line ?? site.line, path);
    return makeTensor(this.tracer, res.output, node);
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
    if (this.interp.frames.length === 0 && !this.paths.size) {
      // `model(torch.randn(…))` at module level: remember the shape; it is one source of the input
      const t = firstTensor(args[0] ?? null);
      if (t?.shape) this.topLevelCalls.push({ model: self, shape: t.shape, line: site.line });
      return this.sideTrace(self, args, kwargs, site);
    }
    const st = stateOf(self);
    // `self.forward = self.forward_fast` in __init__: the instance attribute wins, as in Python
    const own = self.attrs.get('forward');
    const fwd = own ?? this.interp.lookupClassAttr(self.cls, 'forward');
    if (fwd === undefined) return this.interp.raise('NotImplementedError', `${self.cls.name} has no forward()`, site.line);
    this.applied.delete(self);
    const rows = this.tracer.rows.length;
    this.statements?.enterModule();
    let out: Value;
    try {
      out = this.interp.call(own ?? this.interp.bindTo(fwd, self, self.cls), args, kwargs, site);
    } finally {
      this.statements?.leaveModule();
    }
    const outShape = shapeOfValue(out);
    this.tracer.moduleOutputs.set(self, outShape);
    const path = this.paths.get(self);
    if (path !== undefined && st.moduleChildren().length === 0) this.recordRow(self, path, args, outShape, site);
    const called = this.tracer.rows.slice(rows);
    this.statements?.call({
      kind: 'module', name: path || self.cls.name, type: self.cls.name, outputShape: outShape,
      macs: called.reduce((n, r) => n + r.macs, 0), macsKnown: called.every((r) => r.macsKnown),
    });
    return out;
  }

  private recordRow(self: PyInstance, path: string, args: Value[], outShape: Shape | null, site: CallSite): void {
    const st = stateOf(self);
    const inputShapes = args.filter(isTensor).map((t) => t.shape).filter((s): s is Shape => s !== null);
    let res = this.applied.get(self);
    if (!res && st.layer && inputShapes.length) res = st.layer.spec.apply(st.layer.cfg, inputShapes);
    const params = st.ownParams();
    const count = params.reduce((n, [, p]) => n + (p.shape ? (dim.product(p.shape) as number) || 0 : 0), 0);
    const paramsKnown = params.every(([, p]) => p.shape !== null && typeof dim.product(p.shape) === 'number');
    const macLayer = st.layer !== undefined && isMacLayer(st.layer.type);
    const trainable = params.reduce((n, [, p]) => n + (p.param?.trainable !== false && p.shape ? (dim.product(p.shape) as number) || 0 : 0), 0);
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
  }

  /** A forward pass outside the model being reported (a module called during construction or at top level). */
  private sideTrace(self: PyInstance, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    const saved = this.tracer;
    const savedPaths = this.paths;
    const savedStatements = this.statements;
    this.statements = undefined;
    this.interp.statementObserver = undefined;
    this.tracer = new Tracer();
    this.tracer.rangeOf = this.rangeOf;
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
  trace(model: PyInstance, input: Shape, site: CallSite): TraceOutcome {
    const tracer = new Tracer();
    tracer.rangeOf = this.rangeOf;
    this.tracer = tracer;
    this.paths = new Map(namedModules(model).map(([p, m]) => [m, p]));
    this.applied.clear();
    const statements = new StatementRecorder((s) => this.rangeOf(this.interp.site(s)), (v) => (isTensor(v) ? v.shape : undefined));
    this.statements = statements;
    this.interp.statementObserver = statements;
    tracer.onOp = (type, shape) => statements.op(type, shape);
    let output: Value = null;
    let failure: Diagnostic | undefined;
    try {
      output = this.interp.call(model, [tracer.input(input)], new Map(), site);
    } catch (e) {
      if (e instanceof PyRaise) {
        failure = { line: e.line, severity: 'error', code: 'forward-raised', message: `forward() stops here: ${e.type}${e.detail ? `: ${e.detail}` : ''}` };
      } else if (e instanceof BudgetExceeded) {
        failure = { line: 0, severity: 'warning', code: 'step-budget', message: `${e.message}; the summary is partial` };
      } else throw e;
    } finally {
      this.paths = new Map();
      this.interp.frames.length = 0;
      this.statements = undefined;
      this.interp.statementObserver = undefined;
    }
    return { tracer, output, failure, statements: statements.result() };
  }
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

/** MACs follow torchvision's convention: convolution and linear layers only. */
function isMacLayer(type: string): boolean {
  return /^(Conv|ConvTranspose)[123]d$/.test(type) || type === 'Linear' || type === 'Bilinear';
}
