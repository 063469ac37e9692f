// The engine's front door: Python source in, model report out. Runs the file in the abstract
// interpreter, finds the models (or evaluates `entry`), picks each model's input shape, traces it
// and builds one report per model.
import type { Diagnostic, FileReport, ModelReport, SourceRange } from './report/types';
import type { Dim, Shape } from './shapes/dim';
import { Interpreter } from './python/interpreter';
import { installBuiltins } from './python/builtins';
import { stdlibModules, pyModule } from './python/stdlib';
import { ModuleLoader, parseCached } from './python/imports';
import { parsePython } from './python/parse';
import { dirname } from './python/paths';
import { argumentFor, callAt, isLiteralArithmetic } from './python/call-index';
import { BudgetExceeded, PyRaise, isObj, native, typeName, type CallSite, type PyInstance, type PyModule, type Value } from './python/values';
import { TorchSession } from './frameworks/pytorch/session';
import { torchModuleFor, torchModules } from './frameworks/pytorch/torch-api';
import { isModule, namedModules, stateOf } from './frameworks/pytorch/nn';
import { shapeArgs } from './frameworks/pytorch/tensor';
import { buildTorchReport, type InputChoice, type ModelIdentity } from './frameworks/pytorch/report';
import { commentFor, findShapeComments, symbolicInput } from './input-shape';
import * as dim from './shapes/dim';

/** How the engine reads other files (workspace modules); Node, the browser and tests each give one. */
export interface SourceHost {
  readFile(path: string): string | undefined;
  isDirectory?(path: string): boolean;
}

export interface AnalyzeOptions {
  /** Python expression evaluated in the file's namespace that yields the model (`Net()`). */
  entry?: string;
  /** Input shape given explicitly (CLI `--input`); wins over every other source. */
  input?: Dim[];
  /** Folder from which absolute imports resolve (default: the file's folder). */
  root?: string;
  /** `convlens.defaultInputShape`. */
  defaultInputShape?: Dim[];
  /** Upper bound on interpreter steps for the whole analysis. */
  maxSteps?: number;
  host?: SourceHost;
}

const DEFAULT_STEPS = 5_000_000;

interface Candidate extends ModelIdentity {
  model: PyInstance;
}

function rangeFromOffsets(lineStarts: number[], from: number, to: number): SourceRange {
  const find = (off: number) => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid] <= off) lo = mid; else hi = mid - 1; }
    return lo;
  };
  const l1 = find(from), l2 = find(to);
  return { line: l1 + 1, col: from - lineStarts[l1], endLine: l2 + 1, endCol: to - lineStarts[l2] };
}

export function analyzeSource(file: string, source: string, options: AnalyzeOptions = {}): FileReport {
  const diagnostics: Diagnostic[] = [];
  const ast = parseCached(file, source);
  for (const e of ast.errors.slice(0, 20)) {
    if (diagnostics.some((d) => d.line === e.line)) continue;
    diagnostics.push({ line: e.line, severity: 'error', code: 'syntax-error', message: 'Python syntax error: ConvLens analyses the rest of the file', range: rangeFromOffsets(ast.lineStarts, e.from, Math.max(e.to, e.from + 1)) });
  }

  const host = options.host ?? { readFile: () => undefined };
  const roots = [...new Set([options.root ?? dirname(file), dirname(file)])];
  const interp = new Interpreter(options.maxSteps ?? DEFAULT_STEPS);
  const classes = installBuiltins(interp);
  const std = stdlibModules(interp, classes);
  const rangeOf = (site: CallSite): SourceRange | undefined => (site.file === file ? rangeFromOffsets(ast.lineStarts, site.from, site.to) : undefined);
  const session = new TorchSession(interp, rangeOf);
  interp.onUnknownCall = (fn, args, site) => session.unknownCall(fn.reason, args, site);
  session.argumentRange = (site, param, position) => {
    if (site.file !== file) return undefined;
    const call = callAt(ast, site.from);
    const arg = call && argumentFor(call, param, position);
    // only a number written out is rewritten: a name may be shared with other layers
    return arg && isLiteralArithmetic(arg) ? rangeFromOffsets(ast.lineStarts, arg.from, arg.to) : undefined;
  };
  const torch = torchModules({ interp, tracer: () => session.tracer, hooks: session, classes });
  const summaryModule = (name: string, withBatch: boolean): PyModule => pyModule(name, {
    summary: native('summary', (a, k, site) => {
      const model = a[0];
      const dims = shapeArgs([k.get('input_size') ?? a[1] ?? null]);
      if (isModule(model) && dims) session.topLevelCalls.push({ model, shape: withBatch ? dims : [1, ...dims], line: site.line });
      return null;
    }),
  });
  const extra = new Map([['torchinfo', summaryModule('torchinfo', true)], ['torchsummary', summaryModule('torchsummary', false)]]);
  const loader = new ModuleLoader(interp, host, roots, (name) => std.get(name) ?? torchModuleFor(torch, name) ?? extra.get(name));
  interp.importer = loader;

  const info = { ...ModuleLoader.moduleInfo(file, roots), name: '__main__' };
  const globals = new Map<string, Value>();
  loader.register({ ...info, name: ModuleLoader.moduleInfo(file, roots).name }, { k: 'module', name: info.name, attrs: globals });
  const fail = (e: unknown, line: number) => {
    if (e instanceof BudgetExceeded) diagnostics.push({ line, severity: 'warning', code: 'step-budget', message: `${e.message}: the file is too large or loops too long for a full analysis` });
    else if (e instanceof PyRaise) diagnostics.push({ line: e.line || line, severity: 'error', code: 'python-error', message: `${e.type}${e.detail ? `: ${e.detail}` : ''}` });
    else throw e;
  };
  try {
    interp.runModule(ast.body, info, globals);
  } catch (e) {
    fail(e, 1);
  }

  const candidates: Candidate[] = [];
  try {
    if (options.entry) candidates.push(...entryModel(interp, options.entry, globals, info, file, diagnostics));
    else candidates.push(...discoverModels(interp, globals, file, session));
  } catch (e) {
    fail(e, 1);
  }

  const comments = findShapeComments(source);
  const models: ModelReport[] = [];
  for (const c of candidates) {
    try {
      const input = chooseInput(c, candidates, options, comments, session);
      interp.steps = 0;
      const trace = session.trace(c.model, input.shape, { line: c.line, from: 0, to: 0, file: '<model>' });
      models.push(buildTorchReport(session, c.model, c, input, trace));
    } catch (e) {
      fail(e, c.line);
    }
  }
  for (const n of interp.notes) {
    if (n.file !== file || !n.line) continue;
    if (/^cannot resolve import/.test(n.message)) diagnostics.push({ line: n.line, severity: 'info', code: 'unresolved-import', message: `${n.message}: what comes from it is unknown` });
    else if (n.error) diagnostics.push({ line: n.line, severity: 'error', code: 'python-error', message: `running this line would fail: ${n.message}` });
  }
  return { file, models, diagnostics };
}

function entryModel(interp: Interpreter, entry: string, globals: Map<string, Value>, info: { name: string; file: string; pkg: string }, file: string, diagnostics: Diagnostic[]): Candidate[] {
  const parsed = parsePython(entry);
  const stmt = parsed.body[0];
  if (!stmt || stmt.t !== 'expr' || parsed.errors.length) throw new PyRaise('SyntaxError', `--entry is not a Python expression: ${entry}`, 0);
  const prev = interp.currentFile;
  interp.currentFile = '<entry>';
  let v: Value;
  try {
    v = interp.eval(stmt.value, { vars: globals, globals }, { ...info, file: '<entry>' });
  } finally {
    interp.currentFile = prev;
  }
  if (!isModule(v)) {
    diagnostics.push({ line: 1, severity: 'error', code: 'entry-not-model', message: `--entry ${entry} gives ${isObj(v) && v.k === 'unknown' ? `an unknown value (${v.reason})` : `a ${typeName(v)}`}, not an nn.Module` });
    return [];
  }
  const line = v.cls.module?.file === file ? v.cls.line : 1;
  return [{ name: entry, line, model: v }];
}

function discoverModels(interp: Interpreter, globals: Map<string, Value>, file: string, session: TorchSession): Candidate[] {
  const found: Candidate[] = [];
  for (const [name, v] of globals) {
    if (isModule(v)) {
      const range = session.constructionRange(v);
      found.push({ name, line: range?.line ?? 1, range, model: v });
    }
  }
  const byVariable = new Set(found.map((c) => c.model.cls));
  for (const v of globals.values()) {
    if (!isObj(v) || v.k !== 'class' || v.module?.file !== file || byVariable.has(v)) continue;
    if (!v.mro.some((c) => c.tag === 'Module') || v.name.startsWith('_')) continue;
    try {
      const m = interp.instantiate(v, [], new Map(), { line: v.line, from: 0, to: 0, file: '<discover>' });
      if (isModule(m)) found.push({ name: v.name, line: v.line, model: m });
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
    } finally {
      interp.frames.length = 0;
    }
  }
  // a class that only ever appears inside another model is a building block, not a model
  const inner = new Set(found.flatMap((c) => namedModules(c.model).slice(1).map(([, m]) => m.cls)));
  return found.filter((c) => !inner.has(c.model.cls)).sort((a, b) => a.line - b.line);
}

function chooseInput(c: Candidate, all: Candidate[], options: AnalyzeOptions, comments: ReturnType<typeof findShapeComments>, session: TorchSession): InputChoice {
  const show = (s: Shape) => dim.formatShape(s);
  if (options.input) return { shape: options.input, source: 'argument', origin: `given as ${show(options.input)}` };
  const comment = commentFor(comments, c.line, all.filter((o) => o !== c).map((o) => o.line));
  if (comment) return { shape: comment.shape, source: 'comment', origin: `the comment \`# convlens: input=${show(comment.shape)}\` on line ${comment.line}` };
  const call = session.topLevelCalls.find((t) => t.model === c.model) ?? session.topLevelCalls.find((t) => t.model.cls === c.model.cls);
  if (call) return { shape: call.shape, source: 'call', origin: call.line ? `the call on line ${call.line}` : 'the summary() call in this file' };
  if (options.defaultInputShape?.length) return { shape: options.defaultInputShape, source: 'setting', origin: 'the setting convlens.defaultInputShape' };
  return symbolicOrInferred(c, session);
}

/** (N, C, H, W) with C from the first layer; then, if a Linear pins the spatial size, that size. */
function symbolicOrInferred(c: Candidate, session: TorchSession): InputChoice {
  let rank = 4;
  let channels: Dim = null;
  for (const [, m] of namedModules(c.model)) {
    const layer = stateOf(m).layer;
    if (!layer) continue;
    const conv = /^Conv(?:Transpose)?([123])d$/.exec(layer.type);
    if (conv) { rank = Number(conv[1]) + 2; channels = typeof layer.cfg.in_channels === 'number' ? layer.cfg.in_channels : null; break; }
    if (layer.type === 'Linear') { rank = 2; channels = typeof layer.cfg.in_features === 'number' ? layer.cfg.in_features : null; break; }
    const bn = /^BatchNorm([123])d$/.exec(layer.type);
    if (bn) { rank = Number(bn[1]) + 2; channels = typeof layer.cfg.num_features === 'number' ? layer.cfg.num_features : null; break; }
  }
  const symbolic = symbolicInput(rank, channels);
  const site: CallSite = { line: c.line, from: 0, to: 0, file: '<model>' };
  const probe = session.trace(c.model, symbolic, site);
  const pinned = probe.tracer.rows.find((r) => r.type === 'Linear' && typeof r.inputShapes[0]?.[r.inputShapes[0].length - 1] === 'string');
  const want = pinned ? pinned.config.in_features : undefined;
  if (!pinned || typeof want !== 'number' || rank < 3 || typeof channels !== 'number') {
    return { shape: symbolic, source: 'symbolic', origin: 'no input shape was given, so sizes are symbolic; set one with `# convlens: input=(1, C, H, W)` above the model' };
  }
  const features = (size: number): number | undefined => {
    const shape = [...symbolic.slice(0, 2), ...symbolic.slice(2).map(() => size)];
    const t = session.trace(c.model, shape, site);
    const row = t.tracer.rows.find((r) => r.path === pinned.path);
    const f = row?.inputShapes[0]?.[row.inputShapes[0].length - 1];
    return typeof f === 'number' ? f : undefined;
  };
  let lo = 1, hi = 4096;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const f = features(mid);
    if (f !== undefined && f >= want) hi = mid; else lo = mid + 1;
  }
  if (features(lo) !== want) {
    return { shape: symbolic, source: 'symbolic', origin: `no input size gives the ${want} features that \`${pinned.path}\` expects; sizes are symbolic` };
  }
  const shape = [...symbolic.slice(0, 2), ...symbolic.slice(2).map(() => lo)];
  return { shape, source: 'inferred', origin: `inferred: \`${pinned.path}\` (Linear) expects ${want} features, which a ${symbolic.slice(2).map(() => lo).join('×')} input gives` };
}
