// The abstract interpreter: evaluates model-building Python the way Python would, over values
// that may be unknown. It never throws out of `run*` for bad input: Python exceptions are PyRaise
// (reported by the caller), the step budget is BudgetExceeded, and everything it cannot evaluate
// becomes an Unknown value with the reason.
import type { Arg, Expr, Param, Stmt } from './ast';
import { DefFunction } from './def-function';
import {
  BudgetExceeded, Interrupted, PyRaise, hashKey, raisedIn, isObj, isStackOverflow, isUnknown, list, repr, str, tuple, typeName, unknown, madeUnknown,
  type CallSite, type ModuleInfo, type PyClass, type PyDict, type PyFunction, type PyInstance, type PyModule,
  type PyObject, type PySlice, type PyUnknown, type Scope, type UnknownCall, type Value,
} from './values';
import { arith, compareValues, valuesEqual } from './operators';
import { parsePython } from './parse';
import { LazyGlobals } from './lazy-globals';
import { LazyImportsWrong } from './lazy-package';

class BreakSignal {}
class ContinueSignal {}
class ReturnSignal { constructor(readonly value: Value) {} }
/** A generator yielded more than MAX_YIELDS values: it is stopped there (an endless generator). */
class GeneratorFull {}

const MAX_YIELDS = 10_000;
/**
 * Elements (list/tuple/set items, characters) that bulk operations may build in one analysis:
 * `[0] * 10**12` or `list(range(10**9))` stop here with a step-budget warning instead of
 * exhausting memory. Each ELEMENTS_PER_STEP of them also costs a step, so element work is bounded too.
 */
export const MAX_ELEMENTS = 4_000_000;
const ELEMENTS_PER_STEP = 8;

const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

/** Framework behaviour of an instance (an nn.Module registers children through setattr). */
export interface InstanceExt {
  getattr?(name: string): Value | undefined;
  /** True when it took the value; may raise what the framework raises (a PyRaise at `site`). */
  setattr?(name: string, value: Value, site: CallSite): boolean;
  /** True when it held the attribute and dropped it. */
  delattr?(name: string): boolean;
}

export interface Frame {
  fn: PyFunction;
  self?: Value;
  /** Where this function was called from. */
  site: CallSite;
  /** What a generator function yielded so far. */
  yields?: Value[];
  /** Its local variables (inspect.currentframe().f_locals). */
  vars: Map<string, Value>;
}

/**
 * Told about each simple statement (assignment, return, expression) as it runs: the tracer uses it
 * to record what each line of forward() produces. `enter`/`leave` pair up even when it raises.
 */
export interface StatementObserver {
  enter(s: Stmt, inLoop: boolean): void;
  /** What the statement binds: each target name with its value (`return` for a return value). */
  bind(s: Stmt, name: string, value: Value): void;
  leave(s: Stmt): void;
}

const OBSERVED = new Set<Stmt['t']>(['expr', 'assign', 'annassign', 'augassign', 'return']);

export interface ImportResolver {
  /** `import a.b.c` / `from a.b import c`: the module object, or undefined. */
  importModule(path: string[], level: number, from: ModuleInfo, site: CallSite): Value;
  /** A file the imports read, named as the user knows it (`torchvision/models/resnet.py (…bundled…)`). */
  describe?(file: string): string;
  /** Whether a file is an installed library's (not the workspace's, not one shipped and tested with ConvLens). */
  isInstalledLibrary?(file: string): boolean;
  /**
   * `from .module import *` or `from .module import names` (bound as `[as, name]`) in a package that runs such
   * modules when asked for: true when deferred.
   */
  deferFrom?(path: string[], level: number, from: ModuleInfo, names: '*' | Array<[string, string]>): boolean;
  /** `from . import name as bound` in a package's `__init__`: true when the submodule runs only when asked for. */
  deferSubmodule?(level: number, from: ModuleInfo, name: string, bound: string): boolean;
  /** `from module import names`: whether that module waits to run and binds them all (they may be bound pending). */
  waitingModule?(path: string[], level: number, from: ModuleInfo, names: string[]): boolean;
  /** Whether a lazy package's `name` is bound when its module, not run yet, runs. */
  waits?(mod: Value, name: string): boolean;
}

/** How many steps apart a world that may be interrupted tests whether to stop (~1 ms of interpreting). */
const CHECK_EVERY = 2_000;

export class Interpreter {
  steps = 0;
  /** Elements built by bulk operations so far (see MAX_ELEMENTS). */
  elements = 0;
  readonly frames: Frame[] = [];
  /** Reasons for unknown values that reached the user-visible result, deduplicated by line. */
  /** Why things are unknown, by place; `error`: Python would raise here (`origin`: where, for an error raised in
   * another file); `warning`: a code the user should see as a warning. */
  readonly notes: Array<{
    line: number; file: string; message: string; error?: boolean; warning?: string; origin?: { file: string; line: number };
    /** An error raised after a condition on an unknown value was taken as false: it may not happen at all. */
    guess?: { file: string; line: number };
  }> = [];
  /** Where conditions on unknown values were taken as false, in order (a raise after one is only possible). */
  readonly guesses: Array<{ file: string; line: number }> = [];
  importer!: ImportResolver;
  /** The file under analysis: errors raised elsewhere are placed at its line that led there. */
  mainFile = '';
  /** The note of the first top-level statement of the file that raised for sure: where Python stops. */
  stoppedAt: number | undefined;
  /** Objects made after that statement: what Python never gets to build. */
  readonly builtAfterStop = new WeakSet<PyInstance>();
  /**
   * The conditions of the analysed file taken as false, in order. A library's own (an introspection of `__module__`
   * in torchvision's usage logging) are its business: they are `guesses`, not these.
   */
  readonly mainGuesses: Array<{ file: string; line: number }> = [];
  /**
   * Those taken while a top-level statement that binds names ran (`if len(sys.argv) > 1: width = 64`,
   * `model = build(cfg)`), with the names it binds: what it chose may be what a model is made of. A guess under one
   * that binds nothing (`if not files: raise …` on a glob's result) chose no value.
   */
  readonly choosingGuesses: Array<{ guess: { file: string; line: number }; binds: Set<string> }> = [];
  /** The running top-level statement of the analysed file, until a guess under it is recorded. */
  private topStatement: Stmt | undefined;
  /** How many choosing guesses came before an object was made (none: not there). */
  readonly choicesBefore = new WeakMap<PyInstance, number>();
  /** Objects whose own __init__ took a condition of the analysed file as false, with the first. */
  readonly builtOnGuess = new WeakMap<PyInstance, { file: string; line: number }>();
  builtins = new Map<string, Value>();
  /** Frameworks whose instances carry state outside `attrs` (nn.Module) say how to deep-copy them. */
  readonly cloneHooks: Array<(v: PyInstance, clone: (x: Value) => Value) => PyInstance | undefined> = [];
  /** Told when code calls something unknown; a framework whose tensors go in records it and gives the result. */
  readonly unknownCallHooks: Array<(call: UnknownCall) => Value | undefined> = [];
  /** Frameworks give a new instance of their classes its state before `__init__` runs (as `__new__` would). */
  readonly newInstanceHooks: Array<(inst: PyInstance) => void> = [];
  private readonly unknownAttrs = new WeakMap<PyUnknown, Map<string, PyUnknown>>();
  /** The file being executed, for call sites. */
  currentFile = '';
  /** Set while a model is traced (see StatementObserver). */
  statementObserver?: StatementObserver;
  /** Loops open in the running function (a statement inside one runs once per iteration). */
  private loopDepth = 0;
  /**
   * Framework objects made and unknown calls a framework took over: what the code did to a framework's
   * state (an import snapshot is taken only of imports that did none of it).
   */
  frameworkEvents = 0;
  /**
   * State that built-in natives keep outside Python values (enum.auto's counter, a framework session's
   * records), each as a comparable stamp: an import snapshot is taken only when the imports left them
   * as a fresh world has them.
   */
  readonly stateStamps: Array<() => unknown> = [];
  /** sys.modules: every module loaded so far, by dotted name. */
  readonly sysModules: PyDict = { k: 'dict', map: new Map() };

  /** The step count at which `tick` next looks up from its count (the budget, or whether to stop). */
  private checkAt: number;
  private stopAsked?: () => boolean;
  /** Whether `interruptWhen`'s test said stop: then whatever this world made is not to be used. */
  interrupted = false;

  constructor(readonly maxSteps: number) {
    this.checkAt = maxSteps;
  }

  /** Counts `n` steps (1: a statement or call; frameworks charge costlier work, such as a traced layer, more). */
  tick(n = 1): void {
    if ((this.steps += n) > this.checkAt) this.checkpoint();
  }

  private checkpoint(): void {
    if (this.steps > this.maxSteps) throw new BudgetExceeded(`analysis stopped after ${this.maxSteps} steps`);
    // once asked, every later checkpoint throws again: a caller that swallowed the first cannot go on for long
    this.stopIfAsked();
    this.checkAt = Math.min(this.maxSteps, this.steps + CHECK_EVERY);
  }

  /**
   * Throws `Interrupted` now when `interruptWhen`'s test says stop: work that no step counts (parsing a module a
   * full import runs: up to ~0.2 s) asks first, so that it gives way before it starts, not after.
   */
  stopIfAsked(): void {
    if (!this.stopAsked) return;
    if (this.interrupted || this.stopAsked()) {
      this.interrupted = true;
      throw new Interrupted('asked to stop');
    }
  }

  /**
   * Counts steps from zero again (each model's trace has the whole budget), with the next checkpoint within
   * CHECK_EVERY steps, so that an interruptible world still tests its stop during the trace.
   */
  restartSteps(): void {
    this.steps = 0;
    this.checkAt = Math.min(this.maxSteps, CHECK_EVERY);
  }

  /** Throws `Interrupted` from the next checkpoint on once `stop` says so (tested every CHECK_EVERY steps). */
  interruptWhen(stop: () => boolean): void {
    this.stopAsked = stop;
    this.checkAt = Math.min(this.maxSteps, this.steps + CHECK_EVERY);
  }

  /**
   * Charges building `n` elements (a repeated list or string, a range, a join, a comprehension) to
   * the budgets before anything is built: too many stops the analysis at `site`'s line.
   */
  allocate(n: number, site: CallSite): void {
    if (!(n <= MAX_ELEMENTS - this.elements)) {
      const what = n > MAX_ELEMENTS ? `${n} elements, more than the ${MAX_ELEMENTS}` : `more elements than the ${MAX_ELEMENTS} in all`;
      throw new BudgetExceeded(`analysis stopped: this line builds ${what} that an analysis may build`, site.line, site.file);
    }
    this.elements += n;
    this.steps += Math.floor(n / ELEMENTS_PER_STEP);
    if (this.steps > this.maxSteps) throw new BudgetExceeded(`analysis stopped after ${this.maxSteps} steps`, site.line, site.file);
  }

  /** The call site of an AST node; cached on the node (an AST belongs to one file) to spare allocations. */
  site(e: { line: number; from: number; to: number }): CallSite {
    const node = e as { line: number; from: number; to: number; site?: CallSite };
    if (node.site?.file === this.currentFile) return node.site;
    return (node.site = { line: e.line, from: e.from, to: e.to, file: this.currentFile });
  }

  raise(type: string, detail: string, line: number): never {
    throw new PyRaise(type, detail, line, undefined, this.currentFile);
  }

  // ---- modules ------------------------------------------------------------------------------

  runModule(body: Stmt[], info: ModuleInfo, globals: Map<string, Value>): void {
    const prev = this.currentFile;
    this.currentFile = info.file;
    globals.set('__name__', info.name);
    globals.set('__file__', info.file);
    const scope: Scope = { vars: globals, globals };
    try {
      for (const s of body) {
        const guessed = this.guesses.length;
        if (info.file === this.mainFile) this.topStatement = s;
        try {
          this.exec(s, scope, info);
        } catch (e) {
          // A failing top-level statement (often an unresolvable import used at once) does not stop
          // the rest of the module from being defined.
          if (e instanceof PyRaise) {
            const at = raisedIn(e, info.file), guess = this.guesses[guessed];
            const index = this.note(at.line || s.line, `${e.type}${e.detail ? `: ${e.detail}` : ''}`, true, at.origin, guess);
            if (info.file === this.mainFile && !guess) this.stoppedAt ??= index;
            if (guess) this.bindUnsure(s, scope, `it may raise ${e.type}${e.detail ? `: ${e.detail}` : ''}`);
          }
          else if (e instanceof ReturnSignal || e === BREAK || e === CONTINUE) this.note(s.line, `'${e instanceof ReturnSignal ? 'return' : e === BREAK ? 'break' : 'continue'}' outside a function or loop`, true);
          else if (isStackOverflow(e)) this.note(s.line, `RecursionError: ${TOO_DEEP}`, true);
          else {
            // a budget exceeded inside an imported module is reported at the statement that imported it
            if (e instanceof BudgetExceeded && e.file !== info.file) { e.line = s.line; e.file = info.file; }
            throw e;
          }
        }
      }
    } finally {
      this.currentFile = prev;
      // a guess after the file has run (in a trace) is under no top-level statement
      if (info.file === this.mainFile) this.topStatement = undefined;
    }
  }

  /**
   * `model = get_model(…, weights=w)` that may raise (only through a condition ConvLens cannot evaluate): the names
   * it assigns are unknown and remember the call, so that a model among them is named, never left out in silence.
   */
  private bindUnsure(s: Stmt, scope: Scope, reason: string): void {
    if (s.t !== 'assign' || s.value.t !== 'call') return;
    const made = madeUnknown(reason, s.line, writtenName(s.value.fn) ?? 'a call', this.site(s.value));
    const names = (t: Expr): Expr[] => (t.t === 'tuple' || t.t === 'list' ? t.items.flatMap(names) : [t]);
    for (const t of s.targets.flatMap(names)) if (t.t === 'name') this.setName(scope, t.id, made);
  }

  /** Records why something is unknown (or, with `error`, a Python error the code would raise). */
  /** Returns the note's index (an equal note made before is not made again). */
  note(line: number, message: string, error = false, origin?: { file: string; line: number }, guess?: { file: string; line: number }): number {
    const seen = this.notes.findIndex((n) => n.line === line && n.file === this.currentFile && n.message === message);
    if (seen >= 0) return seen;
    return this.notes.push({ line, file: this.currentFile, message, error, ...(origin ? { origin } : {}), ...(guess ? { guess } : {}) }) - 1;
  }

  // ---- statements ---------------------------------------------------------------------------

  execBlock(body: Stmt[], scope: Scope, mod: ModuleInfo): void {
    for (const s of body) this.exec(s, scope, mod);
  }

  exec(s: Stmt, scope: Scope, mod: ModuleInfo): void {
    this.tick();
    const obs = this.statementObserver;
    if (!obs || !OBSERVED.has(s.t)) return this.execStmt(s, scope, mod);
    obs.enter(s, this.loopDepth > 0);
    try {
      this.execStmt(s, scope, mod);
    } finally {
      obs.leave(s);
    }
  }

  /**
   * Tells the observer what an assignment target received (each name of a tuple target). A name of a
   * tuple target is read back after the assignment, as Python has it then: unpacking a tensor, a
   * starred name (`first, *rest = feats`) and a swap (`a, b = b, a`) each bind what the name holds.
   */
  private observeBinding(s: Stmt, target: Expr, v: Value, scope: Scope): void {
    const obs = this.statementObserver;
    if (!obs) return;
    const name = targetName(target);
    if (name) { obs.bind(s, name, v); return; }
    if (target.t !== 'tuple' && target.t !== 'list') return;
    const star = target.items.findIndex((t) => t.t === 'starred');
    const items = isObj(v) && (v.k === 'tuple' || v.k === 'list') && (star >= 0 || v.items.length === target.items.length) ? v.items : undefined;
    const after = target.items.length - star - 1;
    target.items.forEach((t, i) => {
      const leaf = t.t === 'starred' ? t.v : t;
      const bound = leaf.t === 'name' ? boundValue(scope, leaf.id) : undefined;
      if (leaf.t === 'name' && bound !== undefined) { obs.bind(s, leaf.id, bound); return; }
      let part: Value = v;
      if (items && star < 0) part = items[i];
      else if (items && i < star) part = items[i];
      else if (items && i === star) part = list(items.slice(star, items.length - after));
      else if (items) part = items[items.length - after + (i - star - 1)];
      this.observeBinding(s, leaf, part, scope);
    });
  }

  /**
   * One statement: those a model's code runs most here, the rest in execOther. V8 optimises a function once it has
   * run for a number of ticks that grows with its bytecode's size: the whole switch (7.7 KB of bytecode) never got
   * there in hundreds of analyses, as its type feedback kept changing, so every statement ran in V8's interpreter.
   */
  private execStmt(s: Stmt, scope: Scope, mod: ModuleInfo): void {
    switch (s.t) {
      case 'expr': {
        const v = this.eval(s.value, scope, mod);
        this.statementObserver?.bind(s, '', v);
        return;
      }
      case 'assign': {
        const v = this.eval(s.value, scope, mod);
        for (const t of s.targets) this.assign(t, v, scope, mod);
        for (const t of s.targets) this.observeBinding(s, t, v, scope);
        return;
      }
      case 'augassign': return this.execAugAssign(s, scope, mod);
      case 'if': {
        const t = this.test(s.test, scope, mod, s.line);
        this.execBlock(t ? s.body : s.orelse, scope, mod);
        return;
      }
      case 'for': return this.execFor(s, scope, mod);
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
      case 'pass': case 'assert': return;
      case 'return': {
        const v = s.value ? this.eval(s.value, scope, mod) : null;
        if (s.value) this.statementObserver?.bind(s, 'return', v);
        throw new ReturnSignal(v);
      }
      default: return this.execOther(s, scope, mod);
    }
  }

  private execAugAssign(s: Extract<Stmt, { t: 'augassign' }>, scope: Scope, mod: ModuleInfo): void {
    const cur = this.eval(s.target, scope, mod);
    const rhs = this.eval(s.value, scope, mod);
    let v: Value;
    const inplace = isObj(cur) && cur.k === 'inst' && DUNDER[s.op] ? this.lookupClassAttr(cur.cls, `__i${DUNDER[s.op].slice(2)}`) : undefined;
    if (s.op === '+' && isObj(cur) && cur.k === 'list') {
      cur.items.push(...this.iterate(rhs, this.site(s)));
      v = cur;
    } else if (inplace !== undefined && isObj(cur) && cur.k === 'inst') {
      // `blocks += [block]` on an nn.ModuleList: __iadd__ when the class has one, as Python tries first
      v = this.call(this.bindTo(inplace, cur, cur.cls), [rhs], new Map(), this.site(s));
    } else {
      const own = isObj(cur) && cur.k === 'host' ? cur.inplaceBinop?.(s.op, rhs, this.site(s)) : undefined;
      v = own ?? this.binop(s.op, cur, rhs, this.site(s));
    }
    this.assign(s.target, v, scope, mod);
    this.observeBinding(s, s.target, v, scope);
  }

  private execFor(s: Extract<Stmt, { t: 'for' }>, scope: Scope, mod: ModuleInfo): void {
    const iterable = this.iterSource(this.eval(s.iter, scope, mod), this.site(s));
    if (isUnknown(iterable)) {
      // a loop over a value ConvLens cannot know is skipped: what it would have changed is unknown,
      // not left as before (rows appended from a file's lines are not an empty list)
      const why = unknown(`changed in a loop over an unknown value on line ${s.line} (${iterable.reason})`, s.line);
      for (const name of changedNames(s.body, s.target)) this.setName(scope, name, why);
    }
    const items = this.iterate(iterable, this.site(s));
    let broke = false;
    this.loopDepth++;
    try {
      for (const item of items) {
        this.assign(s.target, item, scope, mod);
        if (this.loopBody(s.body, scope, mod)) { broke = true; break; }
      }
    } finally {
      this.loopDepth--;
    }
    if (!broke) this.execBlock(s.orelse, scope, mod);
  }

  /** The statements execStmt leaves to it: definitions, imports, `while`, `try`, `with`, `raise`, `del`, `global`. */
  private execOther(s: Stmt, scope: Scope, mod: ModuleInfo): void {
    switch (s.t) {
      case 'annassign':
        if ((scope as Scope & { isClass?: boolean }).isClass && s.target.t === 'name') {
          // dataclasses need the annotated fields in order
          const prev = scope.vars.get('__annotations_order__');
          const order = prev !== undefined && isObj(prev) && prev.k === 'list' ? prev : list([]);
          scope.vars.set('__annotations_order__', order);
          order.items.push(s.target.id);
        }
        if (s.value) {
          const v = this.eval(s.value, scope, mod);
          this.assign(s.target, v, scope, mod);
          this.observeBinding(s, s.target, v, scope);
        }
        return;
      case 'while': {
        let broke = false;
        this.loopDepth++;
        try {
          while (this.truthy(this.eval(s.test, scope, mod), s.line)) {
            this.tick();
            if (this.loopBody(s.body, scope, mod)) { broke = true; break; }
          }
        } finally {
          this.loopDepth--;
        }
        if (!broke) this.execBlock(s.orelse, scope, mod);
        return;
      }
      case 'def': {
        // read through the statement: an imported module's function bodies are converted on first call
        let fn: Value = new DefFunction(this.makeFunction(s.name, s.params, [], scope, mod, s.line), s);
        fn = this.decorate(fn, s.decorators, scope, mod);
        this.setName(scope, s.name, fn);
        return;
      }
      case 'class': {
        let cls: Value = this.makeClass(s, scope, mod);
        cls = this.decorate(cls, s.decorators, scope, mod);
        this.setName(scope, s.name, cls);
        return;
      }
      case 'import':
        for (const n of s.names) {
          const site = this.site(s);
          if (n.as) this.setName(scope, n.as, this.importer.importModule(n.path, 0, mod, site));
          else {
            // `import a.b.c` binds `a`, and makes sure a.b.c is loaded
            this.importer.importModule(n.path, 0, mod, site);
            this.setName(scope, n.path[0], this.importer.importModule(n.path.slice(0, 1), 0, mod, site));
          }
        }
        return;
      case 'from': {
        const site = this.site(s);
        const bound = s.names === '*' ? '*' : s.names.map((n): [string, string] => [n.as ?? n.name, n.name]);
        if (this.importer.deferFrom?.(s.module, s.level, mod, bound)) return;
        // names whose module waits to run may stay pending in an installed module's globals (`lazy-globals.ts`)
        const pending = scope.vars instanceof LazyGlobals ? scope.vars : undefined;
        if (pending && s.names !== '*' && this.importer.waitingModule?.(s.module, s.level, mod, s.names.map((n) => n.name))) {
          for (const n of s.names) pending.pend(n.as ?? n.name, () => this.importedName(this.importer.importModule(s.module, s.level, mod, site), n.name, site));
          return;
        }
        const m = this.importer.importModule(s.module, s.level, mod, site);
        if (s.names === '*') {
          if (isObj(m) && m.k === 'module') for (const [k, v] of this.starNames(m, site)) this.setName(scope, k, v);
          return;
        }
        for (const n of s.names) {
          if (!s.module.length && this.importer.deferSubmodule?.(s.level, mod, n.name, n.as ?? n.name)) continue;
          if (pending && this.importer.waits?.(m, n.name)) {
            pending.pend(n.as ?? n.name, () => this.importedName(m, n.name, site));
            continue;
          }
          let v: Value;
          if (isUnknown(m)) v = m;
          else {
            // `!== undefined`: a module attribute that is None is still the attribute, not a submodule to import
            const attr = this.getattrOrUndefined(m, n.name, site);
            v = attr !== undefined ? attr : this.importer.importModule([...s.module, n.name], s.level, mod, site);
          }
          this.setName(scope, n.as ?? n.name, v);
        }
        return;
      }
      case 'try': {
        try {
          let raised = false;
          try {
            this.execBlock(s.body, scope, mod);
          } catch (e) {
            if (!(e instanceof PyRaise)) throw e;
            raised = true;
            const h = s.handlers.find((x) => !x.type || this.handles(this.eval(x.type, scope, mod), e));
            if (!h) throw e;
            if (h.name) this.setName(scope, h.name, this.exceptionValue(e));
            this.execBlock(h.body, scope, mod);
          }
          if (!raised) this.execBlock(s.orelse, scope, mod);
        } finally {
          if (s.final.length) this.execBlock(s.final, scope, mod);
        }
        return;
      }
      case 'with': {
        const contexts: Value[] = [];
        for (const item of s.items) {
          const ctx = this.eval(item.ctx, scope, mod);
          contexts.push(ctx);
          if (item.as) this.assign(item.as, ctx, scope, mod);
        }
        try {
          this.execBlock(s.body, scope, mod);
        } catch (e) {
          // an exception leaving the block goes to each __exit__, innermost first; a true answer swallows it
          if (!(e instanceof PyRaise) || !contexts.reverse().some((c) => this.exitSuppresses(c, e, this.site(s)))) throw e;
        }
        return;
      }
      case 'raise': {
        const v = s.exc ? this.eval(s.exc, scope, mod) : null;
        const type = isObj(v) && v.k === 'inst' ? v.cls.name : isObj(v) && v.k === 'class' ? v.name : 'Exception';
        const detail = isObj(v) && v.k === 'inst' ? str(v.attrs.get('args') ?? '') : '';
        throw new PyRaise(type, detail, s.line, v, this.currentFile);
      }
      case 'del':
        for (const t of s.targets) {
          if (t.t === 'name') scope.vars.delete(t.id);
          else if (t.t === 'sub') {
            const obj = this.eval(t.obj, scope, mod);
            const idx = this.eval(t.index, scope, mod);
            if (isObj(obj) && obj.k === 'dict') obj.map.delete(hashKey(idx));
            else if (isObj(obj) && obj.k === 'list' && typeof idx === 'number') obj.items.splice(idx < 0 ? obj.items.length + idx : idx, 1);
            else if (isObj(obj) && obj.k === 'list' && isObj(idx) && idx.k === 'slice') {
              for (const i of sliceIndices(obj.items.length, idx, this.site(t), this).sort((a, b) => b - a)) obj.items.splice(i, 1);
            } else if (isObj(obj) && obj.k === 'inst') {
              const di = this.lookupClassAttr(obj.cls, '__delitem__');
              if (di !== undefined) this.call(this.bindTo(di, obj, obj.cls), [idx], new Map(), this.site(t));
            }
          } else if (t.t === 'attr') {
            this.delattr(this.eval(t.obj, scope, mod), t.name);
          }
        }
        return;
      case 'scope':
        for (const n of s.names) {
          if (s.kind === 'global') (scope.globalNames ??= new Set()).add(n);
          else (scope.nonlocalNames ??= new Set()).add(n);
        }
        return;
    }
  }

  private exitSuppresses(ctx: Value, e: PyRaise, site: CallSite): boolean {
    if (!isObj(ctx) || ctx.k !== 'inst') return false;
    const exit = this.lookupClassAttr(ctx.cls, '__exit__');
    if (exit === undefined) return false;
    const value = e.value ?? unknown(`${e.type}: ${e.detail}`, e.line);
    const type = isObj(value) && value.k === 'inst' ? value.cls : this.builtins.get(e.type) ?? e.type;
    const r = this.call(this.bindTo(exit, ctx, ctx.cls), [type, value, null], new Map(), site);
    return !isUnknown(r) && this.truthy(r, site.line);
  }

  /** eval(source[, globals]): the expression run by this interpreter in the caller's scope, never by JavaScript. */
  private evalString(args: Value[], scope: Scope, mod: ModuleInfo, site: CallSite): Value {
    const src = args[0] ?? null;
    if (typeof src !== 'string') return isUnknown(src) ? src : unknown(`eval() of a ${typeName(src)}`, site.line);
    const parsed = parsePython(src.trim());
    const stmt = parsed.body[0];
    if (parsed.errors.length || parsed.body.length !== 1 || stmt.t !== 'expr') this.raise('SyntaxError', `eval() of ${repr(src)} is not an expression`, site.line);
    const g = args[1] ?? null;
    const dictVars = (d: Value) => new Map(isObj(d) && d.k === 'dict' ? [...d.map.values()].map(([k, v]): [string, Value] => [str(k), v]) : []);
    const target: Scope = isObj(g) && g.k === 'dict' ? { vars: dictVars(args[2] ?? g), globals: dictVars(g) } : scope;
    const prev = this.currentFile;
    this.currentFile = '<string>';
    let v: Value;
    try {
      v = this.eval(stmt.value, target, mod);
    } finally {
      this.currentFile = prev;
    }
    // a name the expression uses that does not exist is Python's NameError (YOLO's parse_model relies on it)
    const missing = isUnknown(v) ? /^name '(.+)' is not defined$/.exec(v.reason) : null;
    if (missing && src.includes(missing[1])) this.raise('NameError', `name '${missing[1]}' is not defined`, site.line);
    return v;
  }

  /** One pass of a loop body; true when it ended with `break` (`continue` just ends the pass). */
  private loopBody(body: Stmt[], scope: Scope, mod: ModuleInfo): boolean {
    try {
      this.execBlock(body, scope, mod);
    } catch (e) {
      if (e === BREAK) return true;
      if (e !== CONTINUE) throw e;
    }
    return false;
  }

  setName(scope: Scope, name: string, v: Value): void {
    if (scope.globalNames?.has(name)) { scope.globals.set(name, v); return; }
    if (scope.nonlocalNames?.has(name)) {
      for (let s = scope.parent; s; s = s.parent) if (s.vars.has(name)) { s.vars.set(name, v); return; }
    }
    scope.vars.set(name, v);
  }

  lookup(name: string, scope: Scope, line: number): Value {
    if (!scope.globalNames?.has(name)) {
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const v = s.vars.get(name);
        if (v !== undefined || s.vars.has(name)) return v as Value;
      }
    }
    if (scope.globals.has(name)) return scope.globals.get(name) as Value;
    if (this.builtins.has(name)) return this.builtins.get(name) as Value;
    return unknown(`name '${name}' is not defined`, line);
  }

  assign(target: Expr, v: Value, scope: Scope, mod: ModuleInfo): void {
    switch (target.t) {
      case 'name': this.setName(scope, target.id, v); return;
      case 'tuple': case 'list': {
        const starIdx = target.items.findIndex((x) => x.t === 'starred');
        let items: Value[];
        if (isUnknown(v)) items = target.items.map(() => v);
        else items = this.iterate(v, this.site(target));
        if (starIdx < 0) {
          if (items.length !== target.items.length && !isUnknown(v)) {
            this.raise('ValueError', `cannot unpack ${items.length} values into ${target.items.length} names`, target.line);
          }
          // `i < length`, not `??`: an unpacked None (null) stays None (NASNet's `x, prev = inputs`)
          target.items.forEach((t, i) => this.assign(t, i < items.length ? items[i] : unknown('unpacking', target.line), scope, mod));
        } else {
          const after = target.items.length - starIdx - 1;
          target.items.slice(0, starIdx).forEach((t, i) => this.assign(t, items[i], scope, mod));
          const star = target.items[starIdx] as Extract<Expr, { t: 'starred' }>;
          this.assign(star.v, list(items.slice(starIdx, items.length - after)), scope, mod);
          target.items.slice(starIdx + 1).forEach((t, i) => this.assign(t, items[items.length - after + i], scope, mod));
        }
        return;
      }
      case 'attr': this.setattr(this.eval(target.obj, scope, mod), target.name, v, this.site(target)); return;
      case 'sub': {
        const obj = this.eval(target.obj, scope, mod);
        const idx = this.eval(target.index, scope, mod);
        this.setitem(obj, idx, v, this.site(target));
        return;
      }
      case 'starred': this.assign(target.v, v, scope, mod); return;
      default: return;
    }
  }

  // ---- functions and classes -----------------------------------------------------------------

  makeFunction(name: string, params: Param[], body: Stmt[] | Expr, scope: Scope, mod: ModuleInfo, line: number): PyFunction {
    const defaults = new Map<string, Value>();
    for (const p of params) if (p.default) defaults.set(p.name, this.eval(p.default, scope, mod));
    // functions defined in a class body do not see the class scope (Python's rule)
    const closure = (scope as Scope & { isClass?: boolean }).isClass ? scope.parent ?? scope : scope;
    return { k: 'func', name, qualname: name, params, defaults, body, closure, module: mod, line };
  }

  decorate(v: Value, decorators: Expr[], scope: Scope, mod: ModuleInfo): Value {
    for (let i = decorators.length - 1; i >= 0; i--) {
      const d = this.eval(decorators[i], scope, mod);
      if (isUnknown(d)) continue;
      try {
        const out = this.call(d, [v], new Map(), this.site(decorators[i]));
        // A decorator we cannot see through keeps the plain definition: it is almost always a
        // registry or a wrapper that passes the arguments on.
        if (!isUnknown(out) && out !== null) {
          if (isObj(out) && out.k === 'func' && isObj(v) && v.k === 'func') (out as PyFunction & { undecorated?: PyFunction }).undecorated = v;
          v = out;
        }
      } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
      }
    }
    return v;
  }

  makeClass(s: Extract<Stmt, { t: 'class' }>, scope: Scope, mod: ModuleInfo): PyClass {
    const bases: PyClass[] = [];
    const unknownBases: PyClass['unknownBases'] = [];
    const site = this.site(s);
    for (const a of s.bases) {
      if (a.kind !== 'pos') continue;
      const b = this.eval(a.value, scope, mod);
      if (isObj(b) && b.k === 'class') bases.push(b);
      else if (isUnknown(b)) unknownBases.push({ written: writtenName(a.value) ?? '?', reason: b.reason });
    }
    const cls: PyClass = { k: 'class', name: s.name, qualname: s.name, bases, mro: [], dict: new Map(), module: mod, line: s.line };
    if (unknownBases.length) cls.unknownBases = unknownBases;
    cls.mro = linearize(cls);
    const metaArg = s.bases.find((a) => a.kind === 'kw' && a.name === 'metaclass');
    const meta = metaArg && 'value' in metaArg ? this.eval(metaArg.value, scope, mod) : cls.mro.find((c) => c.meta)?.meta;
    if (meta !== undefined && isObj(meta) && meta.k === 'class') cls.meta = meta;
    const inherited = cls.mro.find((c) => c.construct);
    if (inherited?.construct && !cls.dict.has('__init__')) cls.construct = inherited.construct;
    const body: Scope & { isClass?: boolean } = { vars: cls.dict, parent: scope, globals: scope.globals, isClass: true };
    cls.dict.set('__module__', mod.name);
    this.execBlock(s.body, body, mod);
    for (const v of cls.dict.values()) {
      const fn = isObj(v) && v.k === 'wrapped' ? v.fn : v;
      if (isObj(fn) && fn.k === 'func') { (fn as PyFunction & { owner?: PyClass }).owner = cls; fn.qualname = `${s.name}.${fn.name}`; }
    }
    // a native base (Enum, NamedTuple…) may want to see the finished class
    const init = cls.mro.find((c) => c.dict.has('__init_subclass_native__'))?.dict.get('__init_subclass_native__');
    if (init) this.call(init, [cls], new Map(), site);
    return cls;
  }

  // ---- calls --------------------------------------------------------------------------------

  bindArgs(fn: PyFunction, args: Value[], kwargs: Map<string, Value>, site: CallSite): Map<string, Value> {
    const vars = new Map<string, Value>();
    const positional = fn.params.filter((p) => p.kind === 'pos');
    const vararg = fn.params.find((p) => p.kind === 'vararg');
    const kwarg = fn.params.find((p) => p.kind === 'kwarg');
    // `*unknown` may have filled any number of positions: the ones after it are unknown, never missing
    const spread = args.findIndex((a) => isUnknown(a) && a.spread);
    positional.forEach((p, i) => {
      if (i < args.length && (spread < 0 || i < spread)) vars.set(p.name, args[i]);
      else if (spread >= 0 && !kwargs.has(p.name)) vars.set(p.name, args[spread]);
    });
    if (vararg) vars.set(vararg.name, tuple(args.slice(positional.length)));
    else if (args.length > positional.length && spread < 0) {
      this.raise('TypeError', `${fn.name}() takes ${positional.length} positional arguments but ${args.length} were given`, site.line);
    }
    const extra: PyDict = { k: 'dict', map: new Map() };
    for (const [k, v] of kwargs) {
      const p = fn.params.find((q) => q.name === k && (q.kind === 'pos' || q.kind === 'kwonly'));
      if (p) vars.set(k, v);
      else if (kwarg) extra.map.set(k, [k, v]);
      else this.raise('TypeError', `${fn.name}() got an unexpected keyword argument '${k}'`, site.line);
    }
    if (kwarg) vars.set(kwarg.name, extra);
    for (const p of fn.params) {
      if (vars.has(p.name)) continue;
      if (fn.defaults.has(p.name)) vars.set(p.name, fn.defaults.get(p.name) as Value);
      else if (p.kind === 'pos' || p.kind === 'kwonly') this.raise('TypeError', `${fn.name}() missing required argument '${p.name}'`, site.line);
    }
    return vars;
  }

  callFunction(fn: PyFunction, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    this.tick();
    if (this.frames.length > 150) this.raise('RecursionError', 'maximum recursion depth exceeded', site.line);
    const vars = this.bindArgs(fn, args, kwargs, site);
    const scope: Scope = { vars, parent: fn.closure, globals: fn.closure.globals };
    // generators run eagerly: the values are what a consumer would pull, side effects happen at the call
    const yields = fn.generator ? [] : undefined;
    const result = (v: Value): Value => (yields ? { k: 'iter', items: yields } : v);
    this.frames.push({ fn, self: args[0], site, yields, vars });
    const prevFile = this.currentFile;
    const prevLoops = this.loopDepth;
    this.currentFile = fn.module.file;
    this.loopDepth = 0;
    try {
      if (!Array.isArray(fn.body)) return this.eval(fn.body as Expr, scope, fn.module);
      this.execBlock(fn.body, scope, fn.module);
      return result(null);
    } catch (e) {
      if (e instanceof ReturnSignal || e instanceof GeneratorFull) return result(e instanceof ReturnSignal ? e.value : null);
      // calls nested deeper than JavaScript's stack: Python's RecursionError, which code may catch
      if (isStackOverflow(e)) throw new PyRaise('RecursionError', TOO_DEEP, site.line, undefined, site.file);
      if (e instanceof PyRaise) e.traceback.push({ file: site.file, line: site.line });
      throw e;
    } finally {
      this.frames.pop();
      this.currentFile = prevFile;
      this.loopDepth = prevLoops;
    }
  }

  call(f: Value, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    if (!isObj(f)) this.raise('TypeError', `'${typeName(f)}' object is not callable`, site.line);
    switch (f.k) {
      case 'func': {
        const out = this.callFunction(f, args, kwargs, site);
        const plain = (f as PyFunction & { undecorated?: PyFunction }).undecorated;
        if (isUnknown(out) && plain) return this.callFunction(plain, args, kwargs, site);
        return out;
      }
      case 'native':
        if (args.length) return f.call(args, kwargs, site, this);
        try {
          return f.call(args, kwargs, site, this);
        } catch (e) {
          // a builtin that reads the argument it was not given (`len()`): Python's TypeError, not an internal error
          if (e instanceof TypeError) this.raise('TypeError', `${f.name}() missing required argument`, site.line);
          throw e;
        }
      case 'bound':
        return f.fn.k === 'func' ? this.call(f.fn, [f.self, ...args], kwargs, site) : f.fn.call([f.self, ...args], kwargs, site, this);
      case 'class': return this.instantiate(f, args, kwargs, site);
      case 'inst': {
        const c = this.lookupClassAttr(f.cls, '__call__');
        if (c === undefined) this.raise('TypeError', `'${f.cls.name}' object is not callable`, site.line);
        return this.call(this.bindTo(c, f, f.cls), args, kwargs, site);
      }
      case 'host':
        if (f.call) return f.call(args, kwargs, site);
        return unknown(`${f.repr()} is not callable`, site.line);
      case 'wrapped': return this.call(f.fn, args, kwargs, site);
      case 'unknown': return this.callUnknown(f, args, kwargs, site);
      default: this.raise('TypeError', `'${typeName(f)}' object is not callable`, site.line);
    }
  }

  /** Calling an unknown value: frameworks may record it; otherwise the result is unknown and remembers what made it. */
  callUnknown(f: PyUnknown, args: Value[], kwargs: Map<string, Value>, site: CallSite, written?: string, receiver?: Value): Value {
    const name = f.made?.name ?? f.name ?? written ?? 'an unknown callable';
    for (const hook of this.unknownCallHooks) {
      const out = hook({ fn: f, name, receiver, args, kwargs, site });
      if (out !== undefined) {
        this.frameworkEvents++;
        return out;
      }
    }
    // calling what an unknown call made (an object's forward) gives a plain unknown, not a new object
    const out = f.made || written === undefined ? unknown(f.reason, f.line) : madeUnknown(f.reason, f.line, name, site);
    // what a non-tensor's method gives is no tensor either (`np.random.rand()`, `x.device.index`)
    return f.notTensor ? { ...out, notTensor: true } : out;
  }

  instantiate(cls: PyClass, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    if (cls.construct) return cls.construct(args, kwargs, site, cls, this);
    // a class's own __new__ (torchmetrics' `Accuracy(task=…)` returns a MulticlassAccuracy): __init__ runs
    // only on an instance of the class, as in Python
    const nu = this.lookupClassAttr(cls, '__new__') ?? null;
    const own = isObj(nu) && nu.k === 'wrapped' && nu.kind === 'static' ? nu.fn : nu;
    const inst = isObj(own) && own.k === 'func' ? this.call(own, [cls, ...args], kwargs, site) : this.rawInstance(cls);
    if (!isObj(inst) || inst.k !== 'inst' || !inst.cls.mro.includes(cls)) return inst;
    const init = this.lookupClassAttr(cls, '__init__');
    const guessed = this.mainGuesses.length;
    if (init !== undefined) this.call(this.bindTo(init, inst, cls), args, kwargs, site);
    if (this.mainGuesses.length > guessed && !this.builtOnGuess.has(inst)) this.builtOnGuess.set(inst, this.mainGuesses[guessed]);
    return inst;
  }

  /** `object.__new__(cls)`: an instance with nothing set, but its framework state (an nn.Module's). */
  rawInstance(cls: PyClass): PyInstance {
    const inst: PyInstance = { k: 'inst', cls, attrs: new Map() };
    if (this.stoppedAt !== undefined) this.builtAfterStop.add(inst);
    if (this.choosingGuesses.length) this.choicesBefore.set(inst, this.choosingGuesses.length);
    for (const hook of this.newInstanceHooks) hook(inst);
    if (inst.ext !== undefined) this.frameworkEvents++;
    return inst;
  }

  lookupClassAttr(cls: PyClass, name: string, after?: PyClass): Value | undefined {
    let skipping = !!after;
    for (const c of cls.mro) {
      if (skipping) { if (c === after) skipping = false; continue; }
      if (c.dict.has(name)) return c.dict.get(name) as Value;
    }
    return undefined;
  }

  /** Turns a class attribute into what attribute access on `self` gives (bound methods, properties). */
  bindTo(v: Value, self: Value, cls: PyClass): Value {
    if (!isObj(v)) return v;
    if (v.k === 'func' || v.k === 'native') return self === null ? v : { k: 'bound', self, fn: v };
    if (v.k === 'wrapped') {
      if (v.kind === 'static') return v.fn;
      if (v.kind === 'class') return isObj(v.fn) && (v.fn.k === 'func' || v.fn.k === 'native') ? { k: 'bound', self: cls, fn: v.fn } : v.fn;
      if (v.kind === 'property') return self === null ? v : this.call(v.fn, [self], new Map(), { line: 0, from: 0, to: 0, file: this.currentFile });
    }
    return v;
  }

  /**
   * A name imported pending, read: its module has run now, and binds it (else the scan was wrong: Python's
   * ImportError belongs at the import, which the analysis made again with every module run there gives).
   */
  private importedName(m: Value, name: string, site: CallSite): Value {
    const v = isObj(m) && m.k === 'module' ? this.getattrOrUndefined(m, name, site) : undefined;
    if (v === undefined) throw new LazyImportsWrong(`${isObj(m) && m.k === 'module' ? m.name : 'a module'} has no ${name} to import pending`);
    return v;
  }

  /** What `from m import *` binds: the names in its `__all__` when it has one (a submodule named there is imported), else its public names. */
  starNames(m: PyModule, site: CallSite): Array<[string, Value]> {
    const all = m.attrs.get('__all__') ?? null;
    if (!isObj(all) || (all.k !== 'list' && all.k !== 'tuple') || !all.items.every((x) => typeof x === 'string')) {
      return [...m.attrs].filter(([k]) => !k.startsWith('_'));
    }
    return (all.items as string[]).map((k) => [k, this.getattrOrUndefined(m, k, site) ?? this.importer.importModule([...m.name.split('.'), k], 0, { name: m.name, file: '', pkg: m.name }, site)]);
  }

  // ---- attributes and items -------------------------------------------------------------------

  getattr(obj: Value, name: string, site: CallSite): Value {
    const v = this.getattrOrUndefined(obj, name, site);
    if (v !== undefined) return v;
    if (isObj(obj) && obj.k === 'module') {
      // `nn.UpSample`: a name that differs from one of the module's only by case is a typo (PyTorch raises there)
      const lower = name.toLowerCase();
      let hint = '';
      for (const k of obj.attrs.keys()) if (k !== name && k.toLowerCase() === lower) { hint = ` (did you mean '${k}'?)`; break; }
      return unknown(`module '${obj.name}' has no attribute '${name}' that ConvLens can see${hint}`, site.line);
    }
    return unknown(`${typeName(obj)} has no attribute '${name}'`, site.line);
  }

  /**
   * `x.a` of an unknown x: unknown for the same reason, but one value per name (`Mode.A` and `Mode.B` are two
   * dict keys, as in Python; the same each time it is read).
   */
  private unknownAttr(obj: PyUnknown, name: string): PyUnknown {
    let attrs = this.unknownAttrs.get(obj);
    if (!attrs) this.unknownAttrs.set(obj, (attrs = new Map()));
    let v = attrs.get(name);
    if (!v) attrs.set(name, (v = { ...obj, attribute: true }));
    return v;
  }

  getattrOrUndefined(obj: Value, name: string, site: CallSite): Value | undefined {
    if (!isObj(obj)) return this.primitiveAttr(obj, name, site);
    switch (obj.k) {
      case 'unknown': return this.unknownAttr(obj, name);
      case 'module': {
        if (obj.attrs.has(name)) return obj.attrs.get(name) as Value;
        if (name === '__name__') return obj.name;
        if (name === '__dict__') return moduleDict(obj);
        const v = obj.getattr?.(name);
        if (v !== undefined) obj.attrs.set(name, v);
        return v;
      }
      case 'inst': {
        if (obj.attrs.has(name)) return obj.attrs.get(name) as Value;
        const ext = obj.ext as InstanceExt | undefined;
        const fromExt = ext?.getattr?.(name);
        if (fromExt !== undefined) return fromExt;
        if (name === '__class__') return obj.cls;
        if (name === '__dict__') return { k: 'dict', map: new Map([...obj.attrs].map(([k, v]) => [k, [k, v]])) };
        const c = this.lookupClassAttr(obj.cls, name);
        if (c !== undefined) return this.bindTo(c, obj, obj.cls);
        const ga = this.lookupClassAttr(obj.cls, '__getattr__');
        if (ga !== undefined && !(isObj(ga) && ga.k === 'native')) return this.call(this.bindTo(ga, obj, obj.cls), [name], new Map(), site);
        return undefined;
      }
      case 'class': {
        if (name === '__name__') return obj.name;
        if (name === '__qualname__') return obj.qualname;
        if (name === '__mro__') return tuple(obj.mro);
        const c = this.lookupClassAttr(obj, name);
        if (c === undefined) {
          // a method of the metaclass is the class's own, bound to it
          const m = obj.meta && this.lookupClassAttr(obj.meta, name);
          return m === undefined ? this.builtinClassAttr(obj, name, site) : this.bindTo(m, obj, obj.meta as PyClass);
        }
        if (isObj(c) && c.k === 'wrapped' && c.kind === 'class') return this.bindTo(c, obj, obj);
        if (isObj(c) && c.k === 'wrapped' && c.kind === 'static') return c.fn;
        return c;
      }
      case 'host': return obj.getattr(name, site);
      case 'bound': case 'func': case 'native':
        if (name === '__name__') return obj.k === 'bound' ? obj.fn.name : obj.name;
        if (name === '__module__') { const f = obj.k === 'bound' ? obj.fn : obj; return f.k === 'func' ? f.wraps?.module ?? f.module.name : 'builtins'; }
        if (name === '__wrapped__' && obj.k === 'func' && obj.wraps) return obj.wraps.wrapped;
        if (name === '__self__' && obj.k === 'bound') return obj.self;
        if (name === '__func__' && obj.k === 'bound') return obj.fn;
        return undefined;
      case 'sym': return this.primitiveAttr(0, name, site);
      default: return this.containerAttr(obj, name, site);
    }
  }

  /** Methods of str/int/float, and of list/dict/tuple/set, come from the builtins module. */
  primitiveAttr: (obj: Value, name: string, site: CallSite) => Value | undefined = () => undefined;
  containerAttr: (obj: PyObject, name: string, site: CallSite) => Value | undefined = () => undefined;
  /** `str.isalnum(c)`, `dict.keys(d)`: a built-in type's method read from the type itself. */
  builtinClassAttr: (cls: PyClass, name: string, site: CallSite) => Value | undefined = () => undefined;

  /** `del obj.name` and `delattr(obj, name)`: a module forgets its child or parameter (Module.__delattr__), an object its attribute. */
  delattr(obj: Value, name: string): void {
    if (isObj(obj) && obj.k === 'inst' && !(obj.ext as InstanceExt | undefined)?.delattr?.(name)) obj.attrs.delete(name);
  }

  setattr(obj: Value, name: string, v: Value, site: CallSite): void {
    if (!isObj(obj)) this.raise('AttributeError', `cannot set '${name}' on ${typeName(obj)}`, site.line);
    switch (obj.k) {
      case 'inst': {
        const ext = obj.ext as InstanceExt | undefined;
        if (ext?.setattr?.(name, v, site)) return;
        const prop = this.lookupClassAttr(obj.cls, name);
        if (prop !== undefined && isObj(prop) && prop.k === 'wrapped' && prop.kind === 'property') return;
        obj.attrs.set(name, v);
        return;
      }
      case 'class': obj.dict.set(name, v); return;
      case 'module': obj.attrs.set(name, v); return;
      case 'host': obj.setattr?.(name, v, site); return;
      default: return; // attributes on unknown values and functions are dropped
    }
  }

  /** `item in obj` by the class's __contains__ (its result taken as bool), else compareValues' rules. */
  private membership(item: Value, obj: PyInstance, positive: boolean, site: CallSite): Value {
    const c = this.lookupClassAttr(obj.cls, '__contains__');
    if (c === undefined) return compareValues(positive ? 'in' : 'not in', item, obj, site, this);
    const v = this.call(this.bindTo(c, obj, obj.cls), [item], new Map(), site);
    if (isUnknown(v)) return v;
    return this.truthy(v, site.line) === positive;
  }

  getitem(obj: Value, idx: Value, site: CallSite): Value {
    if (isUnknown(obj)) return obj;
    if (typeof obj === 'string') {
      if (typeof idx === 'number') return obj[idx < 0 ? obj.length + idx : idx] ?? this.raise('IndexError', 'string index out of range', site.line);
      if (isObj(idx) && idx.k === 'slice') return sliceItems([...obj], idx, site, this).join('');
    }
    if (!isObj(obj)) this.raise('TypeError', `'${typeName(obj)}' object is not subscriptable`, site.line);
    switch (obj.k) {
      case 'list': case 'tuple': {
        if (isObj(idx) && idx.k === 'slice') {
          const u = unknownSlice(idx, site.line);
          if (u) return u;
          const items = sliceItems(obj.items, idx, site, this);
          // a slice of a torch.Size is a torch.Size (`x.shape[1:].numel()`)
          return obj.k === 'list' ? list(items) : obj.size ? { ...tuple(items), size: true } : tuple(items);
        }
        const i = toIndex(idx);
        if (i === undefined) return unknown(`index ${repr(idx)} is not known`, site.line);
        const j = i < 0 ? obj.items.length + i : i;
        if (j < 0 || j >= obj.items.length) this.raise('IndexError', `index ${i} out of range`, site.line);
        return obj.items[j];
      }
      case 'dict': {
        const e = obj.map.get(hashKey(idx));
        if (!e) {
          if (isUnknown(idx)) return idx;
          // a key ConvLens cannot know may be the one asked for: no KeyError it cannot be sure of (the entries
          // as they are: a registry's that waits for its modules, lazy-package.ts, is not listed by this look)
          const unsure = [...Map.prototype.values.call(obj.map) as MapIterator<[Value, Value]>].find(([k]) => isUnknown(k));
          if (unsure) return unknown(`a dict with keys ConvLens cannot know (${(unsure[0] as PyUnknown).reason})`, site.line);
          if (obj.factory !== undefined && obj.factory !== null) {
            const v = this.call(obj.factory, [], new Map(), site);
            obj.map.set(hashKey(idx), [idx, v]);
            return v;
          }
          this.raise('KeyError', repr(idx), site.line);
        }
        return e[1];
      }
      case 'host':
        if (obj.getitem) return obj.getitem(idx, site);
        break;
      case 'inst': {
        const gi = this.lookupClassAttr(obj.cls, '__getitem__');
        if (gi !== undefined) return this.call(this.bindTo(gi, obj, obj.cls), [idx], new Map(), site);
        break;
      }
      case 'class': {
        const members = obj.dict.get('__members__') ?? null;
        if (isObj(members) && members.k === 'dict' && typeof idx === 'string') return this.getitem(members, idx, site); // Color['RED']
        const classGetitem = obj.dict.get('__class_getitem__');
        if (classGetitem !== undefined) return this.call(classGetitem, [idx], new Map(), site); // typing.Optional[T]
        return obj; // typing generics: List[int], Callable[..., nn.Module]
      }
      default: break;
    }
    return unknown(`cannot index ${typeName(obj)}`, site.line);
  }

  setitem(obj: Value, idx: Value, v: Value, site: CallSite): void {
    if (!isObj(obj)) return;
    if (obj.k === 'list') {
      if (isObj(idx) && idx.k === 'slice') return assignSlice(obj.items, idx, this.iterate(v, site), site, this);
      const i = toIndex(idx);
      if (i !== undefined) obj.items[i < 0 ? obj.items.length + i : i] = v;
    } else if (obj.k === 'dict') {
      obj.map.set(hashKey(idx), [idx, v]);
    } else if (obj.k === 'inst') {
      const si = this.lookupClassAttr(obj.cls, '__setitem__');
      if (si !== undefined) this.call(this.bindTo(si, obj, obj.cls), [idx, v], new Map(), site);
    }
  }

  /**
   * What a loop iterates: an object's `__iter__()` result, so that one whose iterator is unknown (a DataLoader
   * past the passes ConvLens follows) is a loop over an unknown value; anything else as it is.
   */
  iterSource(v: Value, site: CallSite): Value {
    if (!isObj(v) || v.k !== 'inst') return v;
    const it = this.lookupClassAttr(v.cls, '__iter__');
    return it === undefined ? v : this.call(this.bindTo(it, v, v.cls), [], new Map(), site);
  }

  iterate(v: Value, site: CallSite): Value[] {
    const items = this.iterItems(v, site);
    if (Array.isArray(items)) return items;
    this.note(site.line, `a loop over an unknown value was skipped (${items.reason})`);
    return [];
  }

  /** The items a loop over `v` takes, or an unknown value when ConvLens cannot list them. */
  iterItems(v: Value, site: CallSite): Value[] | PyUnknown {
    if (typeof v === 'string') { this.allocate(v.length, site); return [...v]; }
    if (!isObj(v)) this.raise('TypeError', `'${typeName(v)}' object is not iterable`, site.line);
    switch (v.k) {
      case 'list': case 'tuple': case 'set': case 'iter': this.allocate(v.items.length, site); return v.items.slice();
      case 'dict': this.allocate(v.map.size, site); return [...v.map.values()].map(([k]) => k);
      case 'host': {
        const items = v.iterate?.();
        if (items) return items;
        break;
      }
      case 'class': {
        const members = v.dict.get('__members__') ?? null;
        // aliases (`DEFAULT = V2`) are not members of their own
        if (isObj(members) && members.k === 'dict') return [...new Set([...members.map.values()].map(([, m]) => m))];
        break;
      }
      case 'inst': {
        const it = this.lookupClassAttr(v.cls, '__iter__');
        if (it !== undefined) return this.iterItems(this.call(this.bindTo(it, v, v.cls), [], new Map(), site), site);
        if (this.lookupClassAttr(v.cls, '__getitem__') !== undefined) return this.sequenceItems(v, site);
        break;
      }
      case 'unknown': return v;
      default: break;
    }
    return unknown(`cannot iterate over ${typeName(v)}`, site.line);
  }

  /**
   * Python's old iteration protocol, `obj[0]`, `obj[1]`, … until IndexError (a Dataset of the user's): run for a
   * known length up to SEQUENCE_ITEMS, else unknown (CIFAR-10's 50,000 samples are not read one by one).
   */
  private sequenceItems(v: PyInstance, site: CallSite): Value[] | PyUnknown {
    const len = this.lookupClassAttr(v.cls, '__len__');
    const n = len === undefined ? undefined : this.call(this.bindTo(len, v, v.cls), [], new Map(), site);
    if (typeof n !== 'number' || n > SEQUENCE_ITEMS) {
      return unknown(`the ${typeof n === 'number' ? `${n} ` : ''}items of a ${v.cls.name}, which ConvLens does not read one by one`, site.line);
    }
    const get = this.bindTo(this.lookupClassAttr(v.cls, '__getitem__') as Value, v, v.cls);
    return Array.from({ length: n }, (_, i) => this.call(get, [i], new Map(), site));
  }

  /** The class of a raised exception: its own, or the builtin one of its name. */
  private exceptionClass(e: PyRaise): PyClass | undefined {
    const v = e.value;
    if (isObj(v ?? null) && (v as PyObject).k === 'inst') return (v as PyInstance).cls;
    if (isObj(v ?? null) && (v as PyObject).k === 'class') return v as PyClass;
    const b = this.builtins.get(e.type);
    return isObj(b ?? null) && (b as PyObject).k === 'class' ? (b as PyClass) : undefined;
  }

  /** Whether `except <spec>` catches it; an unknown spec (an unresolved import's class) is taken to catch. */
  private handles(spec: Value, e: PyRaise): boolean {
    if (!isObj(spec) || isUnknown(spec)) return true;
    if (spec.k === 'tuple' || spec.k === 'list') return spec.items.some((x) => this.handles(x, e));
    if (spec.k !== 'class') return false;
    const cls = this.exceptionClass(e);
    return cls ? cls.mro.includes(spec) : spec.name === e.type;
  }

  /** What `except … as name` binds: the exception instance (made from its class and detail when needed). */
  private exceptionValue(e: PyRaise): Value {
    if (isObj(e.value ?? null) && (e.value as PyObject).k === 'inst') return e.value as Value;
    const cls = this.exceptionClass(e);
    return cls ? { k: 'inst', cls, attrs: new Map([['args', e.detail]]) } : unknown(`exception ${e.type}`);
  }

  /** str(v), or with `asRepr` repr(v), as Python gives it: an instance's own __str__/__repr__ first. */
  text(v: Value, site: CallSite, asRepr = false): string {
    if (isObj(v) && v.k === 'inst') {
      const m = (asRepr ? undefined : this.lookupClassAttr(v.cls, '__str__')) ?? this.lookupClassAttr(v.cls, '__repr__');
      const out = m === undefined ? undefined : this.call(this.bindTo(m, v, v.cls), [], new Map(), site);
      if (typeof out === 'string') return out;
    }
    return asRepr ? repr(v) : str(v);
  }

  /**
   * An `if`'s test. `a or b` with `a` unknown is true when `b` is (and `a and b` false when `b` is false), whatever
   * `a` turns out to be: DropPath's `if drop_prob <= 0. or not self.training: return x` in eval mode. `b` is read
   * only when it calls nothing, so that reading it cannot do what Python would not have done.
   */
  private test(e: Expr, scope: Scope, mod: ModuleInfo, line: number): boolean {
    if (e.t === 'bool') {
      const l = this.eval(e.l, scope, mod);
      if (isUnknown(l) && !callsAnything(e.r)) {
        const r = this.test(e.r, scope, mod, line);
        if (r === (e.op === 'or')) return r;
      }
      if (!isUnknown(l)) {
        const t = this.truthy(l, e.line);
        if (e.op === 'and' ? !t : t) return t;
        return this.test(e.r, scope, mod, line);
      }
      return this.truthy(l, line);
    }
    return this.truthy(this.eval(e, scope, mod), line);
  }

  truthy(v: Value, line: number): boolean {
    if (v === null) return false;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') return v.length > 0;
    switch (v.k) {
      case 'list': case 'tuple': case 'set': case 'iter': return v.items.length > 0;
      case 'dict': return v.map.size > 0;
      case 'sym': return true;
      case 'unknown':
        this.note(line, `a condition on an unknown value was taken as false (${v.reason})`);
        this.guesses.push({ file: this.currentFile, line });
        if (this.currentFile === this.mainFile) {
          const guess = { file: this.currentFile, line };
          this.mainGuesses.push(guess);
          // what the statement binds is read only when a guess is taken under it (once per statement)
          const binds = this.topStatement && changedNames([this.topStatement]);
          this.topStatement = undefined;
          if (binds?.size) this.choosingGuesses.push({ guess, binds });
        }
        return false;
      case 'inst': {
        const b = this.lookupClassAttr(v.cls, '__bool__') ?? this.lookupClassAttr(v.cls, '__len__');
        if (b !== undefined) return this.truthy(this.call(this.bindTo(b, v, v.cls), [], new Map(), { line, from: 0, to: 0, file: this.currentFile }), line);
        return true;
      }
      default: return true;
    }
  }

  binop(op: string, a: Value, b: Value, site: CallSite): Value {
    if (isObj(a) && a.k === 'host' && a.binop) { const r = a.binop(op, b, false, site); if (r !== undefined) return r; }
    if (isObj(b) && b.k === 'host' && b.binop) { const r = b.binop(op, a, true, site); if (r !== undefined) return r; }
    if (isObj(a) && a.k === 'inst') {
      const m = this.lookupClassAttr(a.cls, DUNDER[op] ?? '');
      if (m !== undefined) return this.call(this.bindTo(m, a, a.cls), [b], new Map(), site);
    }
    return arith(op, a, b, site, this);
  }

  // ---- expressions ----------------------------------------------------------------------------

  eval(e: Expr, scope: Scope, mod: ModuleInfo): Value {
    switch (e.t) {
      case 'name': return this.lookup(e.id, scope, e.line);
      case 'num': return e.v;
      case 'str': return e.v;
      case 'const': return e.v === 'ellipsis' ? unknown('...', e.line) : e.v;
      case 'fstr': return e.parts.map((p) => (typeof p === 'string' ? p : this.text(this.eval(p, scope, mod), this.site(e)))).join('');
      case 'attr': return this.getattr(this.eval(e.obj, scope, mod), e.name, this.site(e));
      case 'sub': return this.getitem(this.eval(e.obj, scope, mod), this.eval(e.index, scope, mod), this.site(e));
      case 'slice': return {
        k: 'slice',
        lo: e.lo ? this.eval(e.lo, scope, mod) : null,
        hi: e.hi ? this.eval(e.hi, scope, mod) : null,
        step: e.step ? this.eval(e.step, scope, mod) : null,
      };
      case 'call': {
        // `obj.method(…)`: keep obj, so that an unknown method of a tensor is known to take that tensor
        const receiver = e.fn.t === 'attr' ? this.eval(e.fn.obj, scope, mod) : undefined;
        const fn = e.fn.t === 'attr' ? this.getattr(receiver as Value, e.fn.name, this.site(e.fn)) : this.eval(e.fn, scope, mod);
        const { args, kwargs } = this.evalArgs(e.args, scope, mod, this.site(e));
        if (isUnknown(fn)) return this.callUnknown(fn, args, kwargs, this.site(e), writtenName(e.fn), receiver);
        // eval(), locals(), globals() and vars() see the calling scope, which natives are not given
        const b = this.builtins;
        if (fn === b.get('eval')) return this.evalString(args, scope, mod, this.site(e));
        if (fn === b.get('locals') || (fn === b.get('vars') && !args.length) || fn === b.get('globals')) {
          const vars = fn === b.get('globals') ? scope.globals : scope.vars;
          return { k: 'dict', map: new Map([...vars].map(([k, v]) => [k, [k, v]])) };
        }
        return this.call(fn, args, kwargs, this.site(e));
      }
      case 'bin': return this.binop(e.op, this.eval(e.l, scope, mod), this.eval(e.r, scope, mod), this.site(e));
      case 'unary': {
        const v = this.eval(e.v, scope, mod);
        if (e.op === 'not') return isUnknown(v) ? v : !this.truthy(v, e.line);
        if (isObj(v) && v.k === 'host' && v.unop) { const r = v.unop(e.op, this.site(e)); if (r !== undefined) return r; }
        // negation is exact: a huge float literal (-1e308) must not read as an inexact integer
        if (e.op === '-' && typeof v === 'number') return v === 0 ? 0 : -v;
        if (e.op === '-') return this.binop('-', 0, v, this.site(e));
        if (e.op === '+') return v;
        if (e.op === '~' && typeof v === 'number' && Number.isInteger(v)) return this.binop('-', -1, v, this.site(e)); // ~x == -1 - x
        return unknown(`unary ${e.op} on ${typeName(v)}`, e.line);
      }
      case 'bool': {
        const l = this.eval(e.l, scope, mod);
        if (isUnknown(l)) return l;
        const t = this.truthy(l, e.line);
        if (e.op === 'and') return t ? this.eval(e.r, scope, mod) : l;
        return t ? l : this.eval(e.r, scope, mod);
      }
      case 'cmp': {
        // a < b < c arrives as (a < b) < c: evaluate Python's chain
        if (e.l.t === 'cmp' && !['is', 'is not', 'in', 'not in'].includes(e.op)) {
          const left = this.eval(e.l, scope, mod);
          if (left === false || isUnknown(left)) return left;
          return compareValues(e.op, this.eval(e.l.r, scope, mod), this.eval(e.r, scope, mod), this.site(e), this);
        }
        const a = this.eval(e.l, scope, mod), b = this.eval(e.r, scope, mod);
        if ((e.op === 'in' || e.op === 'not in') && isObj(b) && b.k === 'inst') return this.membership(a, b, e.op === 'in', this.site(e));
        return compareValues(e.op, a, b, this.site(e), this);
      }
      case 'cond': {
        const t = this.eval(e.test, scope, mod);
        return this.truthy(t, e.line) ? this.eval(e.body, scope, mod) : this.eval(e.orelse, scope, mod);
      }
      case 'lambda': return this.makeFunction('<lambda>', e.params, e.body, scope, mod, e.line);
      case 'yield': {
        const out = this.frames[this.frames.length - 1]?.yields;
        if (!out) return unknown("'yield' outside a function", e.line);
        const v = e.value ? this.eval(e.value, scope, mod) : null;
        if (e.delegate) out.push(...this.iterate(v, this.site(e)));
        else out.push(v);
        if (out.length > MAX_YIELDS) throw new GeneratorFull();
        return null;
      }
      case 'tuple': return tuple(this.evalItems(e.items, scope, mod));
      case 'list': return list(this.evalItems(e.items, scope, mod));
      case 'set': return { k: 'set', items: dedupe(this.evalItems(e.items, scope, mod)) };
      case 'dict': {
        const d: PyDict = { k: 'dict', map: new Map() };
        for (const it of e.items) {
          if ('dstar' in it) {
            const other = this.eval(it.dstar, scope, mod);
            if (isObj(other) && other.k === 'dict') for (const [hk, kv] of other.map) d.map.set(hk, kv);
          } else {
            const k = this.eval(it.k, scope, mod);
            d.map.set(hashKey(k), [k, this.eval(it.v, scope, mod)]);
          }
        }
        return d;
      }
      case 'comp': return this.comprehension(e, scope, mod);
      case 'starred': return this.eval(e.v, scope, mod);
      case 'named': {
        const v = this.eval(e.value, scope, mod);
        this.setName(scope, e.target, v);
        return v;
      }
      case 'unknown': return unknown(`unsupported syntax (${e.what})`, e.line);
    }
  }

  evalItems(items: Expr[], scope: Scope, mod: ModuleInfo): Value[] {
    const out: Value[] = [];
    for (const it of items) {
      if (it.t === 'starred') out.push(...this.iterate(this.eval(it.v, scope, mod), this.site(it)));
      else out.push(this.eval(it, scope, mod));
    }
    return out;
  }

  evalArgs(args: Arg[], scope: Scope, mod: ModuleInfo, site: CallSite): { args: Value[]; kwargs: Map<string, Value> } {
    const out: Value[] = [];
    const kwargs = new Map<string, Value>();
    for (const a of args) {
      if (a.kind === 'pos') out.push(this.eval(a.value, scope, mod));
      else if (a.kind === 'star') {
        const v = this.eval(a.value, scope, mod);
        // `nn.Sequential(*unknown)`: an unknown argument, never a call with none (an empty, confident Sequential)
        if (isUnknown(v)) out.push({ ...v, spread: true });
        else out.push(...this.iterate(v, site));
      } else if (a.kind === 'kw') kwargs.set(a.name, this.eval(a.value, scope, mod));
      else {
        const d = this.eval(a.value, scope, mod);
        if (isObj(d) && d.k === 'dict') for (const [k, v] of d.map.values()) kwargs.set(str(k), v);
      }
    }
    return { args: out, kwargs };
  }

  comprehension(e: Extract<Expr, { t: 'comp' }>, outer: Scope, mod: ModuleInfo): Value {
    const scope: Scope = { vars: new Map(), parent: outer, globals: outer.globals };
    const items: Value[] = [];
    const pairs: Array<[Value, Value]> = [];
    // the items of a clause over a value ConvLens cannot list are unknown, never none (`[s for s in dataset]` over
    // CIFAR-10's 50,000 samples is not an empty list); a test on an unknown value is taken as false, as `if` is
    let unsure: PyUnknown | undefined;
    const loop = (i: number): void => {
      this.tick();
      if (i === e.clauses.length) {
        if (e.kind === 'dict') pairs.push([this.eval(e.elt, scope, mod), this.eval(e.value as Expr, scope, mod)]);
        else items.push(this.eval(e.elt, scope, mod));
        return;
      }
      const c = e.clauses[i];
      if (c.kind === 'if') {
        if (this.truthy(this.eval(c.test, scope, mod), e.line)) loop(i + 1);
        return;
      }
      const over = this.iterItems(this.eval(c.iter, scope, mod), this.site(e));
      if (!Array.isArray(over)) { unsure ??= over; return; }
      for (const item of over) {
        this.assign(c.target, item, scope, mod);
        loop(i + 1);
      }
    };
    loop(0);
    if (unsure) return unknown(`a comprehension over values ConvLens does not know (${unsure.reason})`, e.line);
    this.allocate(items.length + pairs.length, this.site(e));
    switch (e.kind) {
      case 'list': return list(items);
      case 'set': return { k: 'set', items: dedupe(items) };
      case 'gen': return { k: 'iter', items };
      case 'dict': return { k: 'dict', map: new Map(pairs.map(([k, v]) => [hashKey(k), [k, v]])) };
    }
  }
}

const TOO_DEEP = 'calls and expressions nested deeper than ConvLens can follow';

/** Items of an object without __iter__ that a loop reads through __getitem__ at most. */
const SEQUENCE_ITEMS = 256;

const DUNDER: Record<string, string> = { '+': '__add__', '-': '__sub__', '*': '__mul__', '/': '__truediv__', '//': '__floordiv__', '%': '__mod__', '@': '__matmul__' };

export function toIndex(v: Value): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

export function sliceItems<T>(items: T[], s: { lo: Value; hi: Value; step: Value }, site: CallSite, interp: Interpreter): T[] {
  return sliceIndices(items.length, s, site, interp).map((i) => items[i]);
}

/** A slice of a bound or step the analysis cannot know: what it selects is unknown (undefined: known). */
export function unknownSlice(s: { lo: Value; hi: Value; step: Value }, line: number): PyUnknown | undefined {
  const u = [s.lo, s.hi, s.step].find(isUnknown);
  return u && unknown(`a slice by a bound that is not known (${u.reason})`, line);
}

/** The positions a slice selects in a sequence of length n, in order. */
export function sliceIndices(n: number, s: { lo: Value; hi: Value; step: Value }, site: CallSite, interp: Interpreter): number[] {
  const step = s.step === null ? 1 : toIndex(s.step);
  if (!step) interp.raise('ValueError', 'slice step must be a known non-zero integer', site.line);
  const norm = (v: Value, dflt: number): number => {
    if (v === null) return dflt;
    const i = toIndex(v);
    if (i === undefined) return dflt;
    if (i < 0) return Math.max(n + i, step > 0 ? 0 : -1);
    return Math.min(i, step > 0 ? n : n - 1);
  };
  const out: number[] = [];
  if (step > 0) for (let i = norm(s.lo, 0), hi = norm(s.hi, n); i < hi; i += step) out.push(i);
  else for (let i = norm(s.lo, n - 1), lo = norm(s.hi, -1); i > lo; i += step) out.push(i);
  return out;
}

/** `items[lo:hi] = new` (any length) and `items[lo:hi:step] = new` (as many as selected). */
function assignSlice(items: Value[], s: PySlice, v: Value[], site: CallSite, interp: Interpreter): void {
  if (s.step === null || toIndex(s.step) === 1) {
    const n = items.length;
    const norm = (x: Value, dflt: number): number => {
      const i = x === null ? dflt : toIndex(x) ?? dflt;
      return i < 0 ? Math.max(n + i, 0) : Math.min(i, n);
    };
    const lo = norm(s.lo, 0);
    items.splice(lo, Math.max(0, norm(s.hi, n) - lo), ...v);
    return;
  }
  const at = sliceIndices(items.length, s, site, interp);
  if (at.length !== v.length) interp.raise('ValueError', `attempt to assign sequence of size ${v.length} to extended slice of size ${at.length}`, site.line);
  at.forEach((i, j) => { items[i] = v[j]; });
}

function dedupe(items: Value[]): Value[] {
  const seen = new Set<unknown>();
  return items.filter((v) => { const h = hashKey(v); if (seen.has(h)) return false; seen.add(h); return true; });
}

/** C3 linearisation; falls back to depth-first order for inconsistent hierarchies. */
function linearize(cls: PyClass): PyClass[] {
  const seqs = [...cls.bases.map((b) => b.mro.slice()), cls.bases.slice()];
  const out: PyClass[] = [cls];
  for (;;) {
    const nonEmpty = seqs.filter((s) => s.length);
    if (!nonEmpty.length) return out;
    const head = nonEmpty.map((s) => s[0]).find((h) => !nonEmpty.some((s) => s.indexOf(h) > 0));
    if (!head) {
      for (const b of cls.bases) for (const c of b.mro) if (!out.includes(c)) out.push(c);
      return out;
    }
    out.push(head);
    for (const s of nonEmpty) if (s[0] === head) s.shift();
  }
}

export { valuesEqual };
export type { PyUnknown };

/** A callee as written when it is a dotted name (`nn.LazyConv2d`); otherwise its last attribute. */
function writtenName(e: Expr): string | undefined {
  if (e.t === 'name') return e.id;
  if (e.t !== 'attr') return undefined;
  const obj = writtenName(e.obj);
  return obj !== undefined && (e.obj.t === 'name' || e.obj.t === 'attr') ? `${obj}.${e.name}` : e.name;
}

/** `x`, `self.feat`: the name a simple assignment target binds, as written (undefined for tuples, subscripts). */
/** What a name holds in the scope just assigned (undefined when it is not there). */
function boundValue(scope: Scope, name: string): Value | undefined {
  if (scope.globalNames?.has(name)) return scope.globals.get(name);
  for (let at: Scope | undefined = scope; at; at = at.parent) if (at.vars.has(name)) return at.vars.get(name);
  return undefined;
}

function targetName(e: Expr): string | undefined {
  if (e.t === 'name') return e.id;
  if (e.t === 'attr') {
    const obj = targetName(e.obj);
    return obj && `${obj}.${e.name}`;
  }
  return undefined;
}

/** The names a loop body binds or changes in place (`x = …`, `x += …`, `x.append(…)`, `x[i] = …`), nested blocks included. */
function changedNames(body: Stmt[], target?: Expr): Set<string> {
  const out = new Set<string>();
  const root = (e: Expr): string | undefined => (e.t === 'name' ? e.id : e.t === 'attr' || e.t === 'sub' ? root(e.obj) : undefined);
  const bind = (e: Expr) => {
    if (e.t === 'tuple' || e.t === 'list') e.items.forEach(bind);
    else if (e.t === 'starred') bind(e.v);
    else { const r = root(e); if (r) out.add(r); }
  };
  const mutations = (e: Expr) => {
    // a method call on a name (`rows.append(x)`) may change the object the name holds
    if (e.t === 'call' && e.fn.t === 'attr') { const r = root(e.fn.obj); if (r) out.add(r); }
  };
  const visit = (ss: Stmt[]) => {
    for (const st of ss) {
      if (st.t === 'assign') st.targets.forEach(bind);
      else if (st.t === 'augassign' || st.t === 'annassign') bind(st.target);
      else if (st.t === 'expr') mutations(st.value);
      else if (st.t === 'for') { bind(st.target); visit(st.body); visit(st.orelse); }
      else if (st.t === 'while' || st.t === 'if') { visit(st.body); visit(st.orelse); }
      else if (st.t === 'with') { st.items.forEach((i) => i.as && bind(i.as)); visit(st.body); }
      else if (st.t === 'try') { visit(st.body); st.handlers.forEach((h) => visit(h.body)); visit(st.orelse); visit(st.final); }
    }
  };
  if (target) bind(target);
  visit(body);
  return out;
}

/** Whether an expression holds a call (or anything else that runs code: a lambda body is not run by reading it). */
function callsAnything(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const t = (e as { t?: string }).t;
  if (t === 'call' || t === 'named' || t === 'yield') return true;
  return Object.values(e).some((v) => (Array.isArray(v) ? v.some(callsAnything) : typeof v === 'object' && callsAnything(v)));
}

/**
 * A module's `__dict__` (`models.__dict__[args.arch]()`): what a module run from source has bound so far, as
 * in Python (a lazy package's listing runs its deferred modules); a built-in stand-in, whose names come on
 * demand, cannot list them, so its namespace is unknown rather than a dict that lacks them.
 */
function moduleDict(m: PyModule): Value {
  if (!m.attrs.has('__file__')) return unknown(`the namespace of module '${m.name}' is not listed by ConvLens`);
  return { k: 'dict', map: new Map([...m.attrs].map(([k, v]) => [k, [k, v]])) };
}
