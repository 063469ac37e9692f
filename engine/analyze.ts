// The engine's front door: Python source in, model report out. Runs the file in the abstract
// interpreter, finds the models (or evaluates `entry`), picks each model's input shape, traces it
// and builds one report per model.
import type { Diagnostic, FileReport, ModelReport, SourceRange } from './report/types';
import type { Module, Stmt } from './python/ast';
import type { Dim, Shape } from './shapes/dim';
import { Interpreter } from './python/interpreter';
import { installBuiltins } from './python/builtins';
import { stdlibModules } from './python/stdlib';
import { workspaceFiles } from './python/files';
import { reportUnreadableFiles } from './report/unreadable-files';
import { LIBRARY_HEDGE, placeRaise, relatedPlace, unsureRaise, whereRaised } from './report/related';
import { markGuessed } from './report/guessed';
import { namesReaching } from './python/name-reach';
import { ModuleLoader, parseCached, type FileSource } from './python/imports';
import { BundledPackages } from './python/bundled';
import type { PythonEnvironment } from './python/env/types';
import { TORCHVISION } from './frameworks/pytorch/zoo/torchvision';
import { TORCH_COMPANIONS } from './frameworks/pytorch/bundled';
import { ARGPARSE } from './python/argparse';
import { TQDM } from './python/tqdm';
import { PIL } from './python/pil';
import { parsePython } from './python/parse';
import { dirname } from './python/paths';
import { argumentFor, callAt, isLiteralArithmetic } from './python/call-index';
import { BudgetExceeded, Interrupted, PyRaise, isObj, typeName, type CallSite, type PyInstance, type PyModule, type Value } from './python/values';
import { ImportCache, RecordingSource, importsKey, leadingImports } from './python/import-cache';
import { captureImports } from './python/import-snapshot';
import { NotCopyable } from './python/world-copy';
import { LazyImportsWrong, lazyStats } from './python/lazy-package';
import type { Candidate, FrameworkAnalysis, InputChoice } from './frameworks/framework';
import { pytorchAnalysis } from './frameworks/pytorch/analysis';
import { kerasAnalysis } from './frameworks/keras/analysis';
import type { KerasNaming } from './frameworks/keras/session';
import { commentFor, findShapeComments } from './input-shape';
import * as dim from './shapes/dim';
import { timed, type AnalysisTimings } from './timings';

export type { AnalysisTimings };

/** How the engine reads other files (workspace modules); Node, the browser and tests each give one. */
export interface SourceHost {
  readFile(path: string): string | undefined;
  isDirectory?(path: string): boolean;
  /** A file's modification time and size ('' when there is none), for import snapshots; see `FileSource`. */
  stamp?(path: string): string | undefined;
}

export interface AnalyzeOptions {
  /** Python expression evaluated in the file's namespace that yields the model (`Net()`). */
  entry?: string;
  /** Input shape given explicitly (CLI `--input`); wins over every other source. */
  input?: Dim[];
  /** The shapes of forward()'s further inputs, given with `input` (CLI: `--input` repeated). */
  extraInputs?: Shape[];
  /** Folder from which absolute imports resolve (default: the file's folder). */
  root?: string;
  /** `convlens.defaultInputShape`. */
  defaultInputShape?: Dim[];
  /** Keras's automatic names: Keras 3's (`input_layer`, `functional`; the default) or tf.keras 2's (`input_1`, `model`). */
  kerasNaming?: KerasNaming;
  /** Upper bound on interpreter steps for the whole analysis. */
  maxSteps?: number;
  host?: SourceHost;
  /** The parsed source, when the caller parsed it itself (a notebook is parsed cell by cell). */
  ast?: Module;
  /** Notebook cells, run one at a time: an error in one cell does not keep the next from running. */
  cellsRunApart?: boolean;
  /** The Python environment found for the file (`discoverEnvironment`): its folders are searched after the roots. */
  python?: PythonEnvironment;
  /**
   * Snapshots of what files' leading imports made, reused by the next analysis of the file while
   * nothing they read changed (the editor's worker keeps one); the report is the same without it.
   */
  importCache?: ImportCache;
  /** Filled with where the time went (the editor benchmark's breakdown); the report is the same without it. */
  timings?: AnalysisTimings;
  /**
   * Run every module of an installed model registry at the import (timm.models' ~90) rather than when a name
   * it registers is asked for; the report is the same either way (tests compare them).
   */
  fullImports?: boolean;
  /**
   * Asked every ~2,000 steps: true stops the analysis with `Interrupted` (its report is never made). The editor's
   * worker re-runs a file at idle to warm V8's compiler, and gives way to a request at once.
   */
  interrupt?: () => boolean;
}

const DEFAULT_STEPS = 5_000_000;
/** Packages the engine ships, read when the workspace has none of its own. */
const BUNDLED = new BundledPackages([TORCHVISION, ...TORCH_COMPANIONS, ARGPARSE, TQDM, PIL]);

/**
 * `host` with the sources the engine ships (bundled packages) readable at their paths: a snapshot's
 * functions of a bundled package are parsed again from them (they change only with ConvLens's build).
 */
function withShipped(host: FileSource): FileSource {
  return {
    readFile: (path) => BUNDLED.readFile(path) ?? host.readFile(path),
    isDirectory: (path) => host.isDirectory?.(path) ?? false,
    stamp: (path) => host.stamp?.(path),
  };
}

/** A model found in the file, with the framework it belongs to. */
interface Found extends Candidate {
  framework: FrameworkAnalysis;
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
  try {
    return analyzeOnce(file, source, options);
  } catch (e) {
    // a module run on demand did not do what its scan said: every module runs at the import instead
    if (e instanceof LazyImportsWrong && !options.fullImports) {
      lazyStats.fallbacks++;
      lazyStats.lastFallback = e.message;
      return analyzeSource(file, source, { ...options, fullImports: true });
    }
    // an import snapshot is read lazily: a damaged entry is found while the file runs, and the analysis starts over without it
    if (!(e instanceof NotCopyable && options.importCache?.discardInUse(e.message))) throw e;
    return analyzeOnce(file, source, options);
  }
}

function analyzeOnce(file: string, source: string, options: AnalyzeOptions): FileReport {
  const diagnostics: Diagnostic[] = [];
  const { timings } = options;
  const ast = options.ast ?? timed(timings, 'parse', () => parseCached(file, source));
  // errors that say what is wrong (too deep nesting) first, then one per line
  for (const e of [...ast.errors.filter((x) => x.message), ...ast.errors.filter((x) => !x.message)].slice(0, 20)) {
    if (diagnostics.some((d) => d.line === e.line)) continue;
    const message = `${e.message ?? 'Python syntax error'}: ConvLens analyses the rest of the file`;
    diagnostics.push({ line: e.line, severity: 'error', code: 'syntax-error', message, range: rangeFromOffsets(ast.lineStarts, e.from, Math.max(e.to, e.from + 1)) });
  }

  const roots = [...new Set([options.root ?? dirname(file), dirname(file)])];
  const host = new RecordingSource(options.host ?? { readFile: () => undefined });
  let world = createWorld(file, ast, host, roots, options);
  const importCache = options.importCache;
  const prefix = importCache ? leadingImports(ast.body) : 0;
  const keyParts = [roots, options.python?.paths, options.maxSteps, world.info.name, options.kerasNaming];
  const key = prefix ? importsKey(file, keyParts, source, ast.body.slice(0, prefix)) : '';
  const restored = !!prefix && timed(timings, 'imports', () => {
    const restore = importCache?.lookup(key, withShipped(host));
    if (!restore) return false;
    try {
      restore(world);
      return true;
    } catch (e) {
      if (!(e instanceof NotCopyable)) throw e;
      // a snapshot that no longer fits this world: a fresh world runs the imports
      importCache?.drop(key);
      world = createWorld(file, ast, host, roots, options);
      return false;
    }
  });
  const { interp, files, std, frameworks, loader, globals, info, rangeOf } = world;
  const fail = (e: unknown, line: number) => {
    if (e instanceof BudgetExceeded) {
      const at = e.file === file && e.line ? e.line : line;
      const why = /elements/.test(e.message) ? '' : ': the file is too large or loops too long for a full analysis';
      diagnostics.push({ line: at, severity: 'warning', code: 'step-budget', message: `${e.message}${why}` });
    }
    else if (e instanceof PyRaise) {
      const at = placeRaise(interp, e);
      const message = `${e.type}${e.detail ? `: ${e.detail}` : ''}${whereRaised(at.related)}`;
      diagnostics.push({ line: at.line || line, severity: 'error', code: 'python-error', message, ...(at.related ? { related: [at.related] } : {}) });
    }
    else throw e;
  };
  const candidates: Found[] = [];
  timed(timings, 'interpret', () => {
    try {
      if (restored && importCache) importCache.stats.reused++;
      else if (prefix && importCache) {
        const fresh = (full?: boolean) => createWorld(file, ast, host, roots, full ? { ...options, fullImports: true } : options);
        runImports(world, ast.body.slice(0, prefix), importCache, key, fresh);
      }
      interp.runModule(restored || prefix ? ast.body.slice(prefix) : ast.body, info, globals);
    } catch (e) {
      fail(e, 1);
    }
    try {
      if (options.entry) candidates.push(...entryModel(interp, frameworks, options.entry, globals, info, file, diagnostics));
      else candidates.push(...frameworks.flatMap((f) => f.discover(globals, file).map((c) => ({ ...c, framework: f }))).sort((a, b) => a.line - b.line));
    } catch (e) {
      fail(e, 1);
    }
  });

  const comments = findShapeComments(source);
  const models: ModelReport[] = [];
  const stop = options.cellsRunApart ? undefined : definiteStop(interp, file);
  for (const c of candidates) {
    try {
      const input = chooseInput(c, candidates, options, comments);
      const report = c.framework.report(c, input, timings);
      if (stop && interp.builtAfterStop.has(c.model)) markBuiltAfterStop(report, stop);
      const guess = interp.builtOnGuess.get(c.model);
      if (guess) markGuessed(interp, report, guess, 'while this model was built');
      const chosen = choiceReaching(interp, ast, c);
      if (chosen) markGuessed(interp, report, chosen, 'before this model was built');
      models.push(report);
    } catch (e) {
      fail(e, c.line);
    }
  }
  diagnostics.push(...reportUnreadableFiles(files.problems, file, models, rangeOf));
  for (const n of interp.notes) {
    if (n.file !== file || !n.line) continue;
    if (/^cannot resolve import/.test(n.message)) diagnostics.push({ line: n.line, severity: 'info', code: 'unresolved-import', message: `${n.message}: what comes from it is unknown` });
    else if (n.error) {
      const related = n.origin && relatedPlace(interp, n.origin, 'raised here');
      const also = related ? { related: [related] } : {};
      if (n.guess) {
        diagnostics.push(unsureRaise(interp, n.line, `running this line may fail: ${n.message}`, related, n.guess));
      } else if (related?.installedLibrary) {
        const message = `${n.message}${whereRaised(related)} — ${LIBRARY_HEDGE}`;
        diagnostics.push({ line: n.line, severity: 'warning', code: 'library-raised', message, ...also });
      } else {
        diagnostics.push({ line: n.line, severity: 'error', code: 'python-error', message: `running this line would fail: ${n.message}${whereRaised(related)}`, ...also });
      }
    }
    else if (n.warning) diagnostics.push({ line: n.line, severity: 'warning', code: n.warning, message: n.message });
  }
  const packages = loader.packageOrigins().filter((p) => !std.has(p.name) && !BUNDLED.hidden(p.name));
  // what went wrong finding the environment matters only to a file that imports more than the engine models
  if (packages.some((p) => p.origin !== 'modelled')) {
    for (const message of options.python?.problems ?? []) diagnostics.push({ line: 1, severity: 'info', code: 'python-environment', message });
  }
  const environment = options.python?.environment;
  return { file, models, diagnostics, packages, ...(environment ? { environment } : {}) };
}

/** The line where running the file stops for sure: its first top-level statement that raises, unless a library raised it. */
function definiteStop(interp: Interpreter, file: string): number | undefined {
  const n = interp.stoppedAt === undefined ? undefined : interp.notes[interp.stoppedAt];
  if (!n || n.file !== file || n.guess || (n.origin && relatedPlace(interp, n.origin, '').installedLibrary)) return undefined;
  return n.line;
}

/**
 * A model made after the statement where Python stops is never built by the real run: its counts are
 * only what ConvLens carried on with past the error, so they are not given as exact.
 */
function markBuiltAfterStop(m: ModelReport, line: number): void {
  m.complete = false; m.paramsComplete = false; m.macsComplete = false;
  m.diagnostics.push({
    line: m.line, severity: 'warning', code: 'built-after-error',
    message: `Python stops at the error on line ${line} and never builds this model: what is shown is only what ConvLens carried on with past it`,
  });
}

/** The first condition taken as false whose choice a model's construction may read (`if …: width = 64`). */
function choiceReaching(interp: Interpreter, ast: Module, c: { line: number; model: PyInstance }) {
  const before = interp.choicesBefore.get(c.model);
  if (!before) return undefined;
  const reads = namesReaching(ast, c.line, c.model.cls.module?.file === interp.mainFile ? c.model.cls.name : undefined);
  return interp.choosingGuesses.slice(0, before).find((g) => [...g.binds].some((n) => reads.has(n)))?.guess;
}

/** Everything an analysis of `file` runs in: the interpreter, the built-in world, the frameworks and the loader. */
function createWorld(file: string, ast: Module, host: RecordingSource, roots: string[], options: AnalyzeOptions) {
  const interp = new Interpreter(options.maxSteps ?? DEFAULT_STEPS);
  if (options.interrupt) interp.interruptWhen(options.interrupt);
  interp.mainFile = file;
  const classes = installBuiltins(interp);
  const files = workspaceFiles(host, roots);
  const std = stdlibModules(interp, classes, files);
  const rangeOf = (site: CallSite): SourceRange | undefined => (site.file === file ? rangeFromOffsets(ast.lineStarts, site.from, site.to) : undefined);
  // quick fixes rewrite a constructor argument only when it is a number written out: a name may serve other layers
  const argumentRange = (site: CallSite, param: string, position: number): SourceRange | undefined => {
    if (site.file !== file) return undefined;
    const call = callAt(ast, site.from);
    const arg = call && argumentFor(call, param, position);
    return arg && isLiteralArithmetic(arg) ? rangeFromOffsets(ast.lineStarts, arg.from, arg.to) : undefined;
  };
  const frameworks = [pytorchAnalysis(interp, classes, rangeOf, argumentRange), kerasAnalysis(interp, classes, rangeOf, options.kerasNaming)];
  const builtin = (name: string) => std.get(name) ?? frameworks.map((f) => f.module(name)).find((m) => m !== undefined);
  const loader = new ModuleLoader(interp, host, roots, builtin, BUNDLED, options.python?.paths, !options.fullImports);
  interp.importer = loader;

  // `--entry make_model(…)` of a Keras file builds the model as `from file import make_model; make_model(…)`
  // would: the file is imported, so its `if __name__ == "__main__":` block does not run first (it would take
  // Keras's automatic names, conv3d_4 for conv3d). A PyTorch file runs as a script: its names do not depend
  // on what ran before, and its `__main__` block's `model(torch.randn(…))` is where the input shape is.
  const asImport = options.entry !== undefined && isCallEntry(options.entry) && importsKeras(ast);
  const moduleName = ModuleLoader.moduleInfo(file, roots).name;
  const info = { ...ModuleLoader.moduleInfo(file, roots), name: asImport ? moduleName : '__main__' };
  const globals = new Map<string, Value>();
  const main: PyModule = { k: 'module', name: info.name, attrs: globals };
  loader.register({ ...info, name: moduleName }, main);
  return { interp, classes, files, std, frameworks, loader, globals, info, main, rangeOf, host };
}

type World = ReturnType<typeof createWorld>;

/**
 * Runs the file's leading imports and keeps a snapshot of what they left for the next analysis, when
 * they loaded modules of their own and touched no framework state and no config file. When modules wait to
 * run until asked for (`lazy-package.ts`), the snapshot is of the imports run again with every module run
 * (after the reply in the editor): a snapshot holds no waiting module, and serves every later analysis.
 */
function runImports(world: World, prefix: Stmt[], cache: ImportCache, key: string, fresh: (full?: boolean) => World): void {
  const events = world.interp.frameworkEvents;
  recordImports(world, prefix);
  if (!world.loader.deferring) return keepImports(world, events, cache, key, fresh);
  cache.later(key, (stop) => {
    const full = fresh(true);
    if (stop) full.interp.interruptWhen(stop);
    recordImports(full, prefix);
    // an interruption a caller turned into a note leaves a world that is not the imports' own
    if (full.interp.interrupted) throw new Interrupted('asked to stop');
    keepImports(full, 0, cache, key, fresh);
  });
}

function recordImports({ interp, info, globals, host }: World, prefix: Stmt[]): void {
  host.reads = { texts: new Map(), stamps: new Map(), dirs: new Map() };
  host.recording = true;
  try {
    interp.runModule(prefix, info, globals);
  } finally {
    host.recording = false;
  }
}

function keepImports(world: World, events: number, cache: ImportCache, key: string, fresh: () => World): void {
  const { interp, loader, files, host } = world;
  // nothing to keep when the imports loaded only built-in modules (the file is in `loaded` twice)
  const { loaded, builtin } = loader.state();
  if (loaded.filter(([n]) => !builtin.has(n)).length <= 2) return;
  if (interp.frameworkEvents !== events || files.problems.length) {
    cache.stats.refused = 'the imports made framework objects or read config files';
    return;
  }
  const snap = captureImports(world, fresh);
  if (typeof snap === 'string') cache.stats.refused = snap;
  else cache.store(key, snap, host.reads, (path) => BUNDLED.readFile(path) !== undefined);
}

/** Whether the module imports Keras (or TensorFlow's) at its top level. */
function importsKeras(ast: Module): boolean {
  const keras = (path: readonly string[]) => path[0] === 'keras' || path[0] === 'tensorflow' || path[0] === 'tf_keras';
  return ast.body.some((st) => (st.t === 'import' && st.names.some((n) => keras(n.path))) || (st.t === 'from' && keras(st.module)));
}

function isCallEntry(entry: string): boolean {
  const stmt = parsePython(entry).body[0];
  return stmt?.t === 'expr' && stmt.value.t === 'call';
}

function entryModel(interp: Interpreter, frameworks: FrameworkAnalysis[], entry: string, globals: Map<string, Value>, info: { name: string; file: string; pkg: string }, file: string, diagnostics: Diagnostic[]): Found[] {
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
  const framework = frameworks.find((f) => f.isModel(v));
  if (!framework || !framework.isModel(v)) {
    diagnostics.push({ line: 1, severity: 'error', code: 'entry-not-model', message: `--entry ${entry} gives ${isObj(v) && v.k === 'unknown' ? `an unknown value (${v.reason})` : `a ${typeName(v)}`}, not an nn.Module or a Keras model` });
    return [];
  }
  // the line discovery gives the same model (a Keras functional model's `keras.Model(…)` call), else its class's
  const found = framework.discover(globals, file).find((c) => c.model === v);
  const line = found?.line ?? (v.cls.module?.file === file ? v.cls.line : 1);
  return [{ name: entry, line, model: v, framework }];
}

function chooseInput(c: Found, all: Found[], options: AnalyzeOptions, comments: ReturnType<typeof findShapeComments>): InputChoice {
  const show = (s: Shape) => dim.formatShape(s);
  const shows = (s: Shape, extra: Shape[] = []) => [s, ...extra].map(show).join(', ');
  if (options.input) {
    const extra = options.extraInputs ?? [];
    return { shape: options.input, extra, source: 'argument', origin: `given as ${shows(options.input, extra)}` };
  }
  const comment = commentFor(comments, c.line, all.filter((o) => o !== c).map((o) => o.line));
  if (comment) {
    const origin = `the comment \`# convlens: input=${shows(comment.shape, comment.extra)}\` on line ${comment.line}`;
    return { shape: comment.shape, extra: comment.extra, source: 'comment', origin };
  }
  const call = c.framework.inputFromCall(c.model);
  if (call) return { shape: call.shape, extra: call.extra, source: 'call', origin: call.origin };
  if (options.defaultInputShape?.length) return { shape: options.defaultInputShape, source: 'setting', origin: 'the setting convlens.defaultInputShape' };
  return c.framework.fallbackInput(c);
}
