// An import snapshot (`import-snapshot.ts`) as JSON, so that a new editor window or CLI run starts from
// what an earlier process's imports made (`import-cache.ts` keeps it through a `SnapshotStore`). Objects
// are a table of entries that refer to each other by index; built-in objects stay named by path, shared
// natives by their recipe (`portable.ts`). Functions are kept by place, not by AST: a `def` is parsed
// again from its file when first called (`SourcePieces`), so reading a snapshot parses nothing up front.
// Anything it does not know how to write makes the snapshot stay in memory only (a reason is returned);
// anything unexpected when reading throws NotCopyable, and the imports run as if there were no snapshot.
import type { Expr, Param, Stmt } from './ast';
import type { ImportSnapshot } from './import-snapshot';
import type { LoaderState } from './imports';
import type { Interpreter } from './interpreter';
import { DefFunction } from './def-function';
import { SourcePieces } from './parse';
import { isCopyableExt, recipeOf, remake, type CopyableExt, type Recipe } from './portable';
import { BuiltinRef, MAIN_GLOBALS, MAIN_MODULE, NotCopyable, inheritConstructors, type BuiltinPath } from './world-copy';
import {
  PyRaise, hashKey,
  type CallSite, type ModuleInfo, type PyClass, type PyDict, type PyFunction, type PyInstance, type PyModule, type PyObject, type Scope, type Value,
} from './values';

/** Bumped whenever what is written changes meaning: an older file is then ignored. */
export const SNAPSHOT_FORMAT = 1;

/**
 * A value: strings, booleans and None as they are, an object as its index in the table, a number in an
 * array (`[3]`, `["NaN"]` for those JSON lacks): most values are objects, so their references are shortest.
 */
type Enc = null | boolean | number | string | [number | 'NaN' | 'Infinity' | '-Infinity' | '-0'];

type Place = { from: number; to: number; line: number };
type Entry =
  | { k: 'builtin'; path: BuiltinPath } | { k: 'main' } | { k: 'mainGlobals' } | { k: 'shared'; recipe: Recipe }
  | { k: 'map'; e: Array<string | Enc> } // key, value, key, value, …
  | { k: 'scope'; vars: number; globals: number; parent?: number; globalNames?: string[]; nonlocalNames?: string[]; isClass?: true }
  | { k: 'list' | 'tuple' | 'set' | 'iter'; items: Enc[]; deque?: true; size?: true }
  | { k: 'dict'; e: Enc[]; ordered?: boolean; factory?: Enc } // key, value, …
  | { k: 'slice'; lo: Enc; hi: Enc; step: Enc }
  | { k: 'sym' | 'unknown'; v: PyObject }
  | {
    k: 'func'; name: string; qualname: string; params: Array<[string, Param['kind'], 1?]>; defaults: number; closure: number;
    mod: number; line: number; def?: Place & { name: string }; /** a lambda's body expression */ lambda?: Place; wraps?: { module: string; wrapped: Enc };
    undecorated?: Enc; owner?: Enc;
  }
  | { k: 'wrapped'; kind: 'static' | 'class' | 'property'; fn: Enc }
  | { k: 'bound'; self: Enc; fn: Enc }
  | {
    k: 'class'; name: string; qualname: string; bases: number[]; mro: number[]; dict: number; mod?: number; line: number;
    unknownBases?: Array<{ written: string; reason: string }>; tag?: string; meta?: number; construct?: number; inherit?: number;
  }
  | { k: 'inst'; cls: number; attrs: number; ext?: { kind: string; values: Enc[] } }
  | { k: 'module'; name: string; attrs: number; lazy?: CallSite };

export interface SerialSnapshot {
  format: number;
  entries: Entry[];
  /** Module infos (file, dotted name, package), shared by functions and classes. */
  mods: ModuleInfo[];
  globals: Array<[string, Enc]>;
  loader: {
    loaded: Array<[string, Enc]>; builtin: string[]; failed: string[]; ownCopy: Array<[string, boolean]>;
    installedAt: Array<[string, unknown]>; origins: Array<[string, unknown]>; sysModules: Array<[Enc, Enc]>;
  };
  notes: Interpreter['notes'];
  steps: number;
  elements: number;
}

/**
 * `snap` as JSON, or why it cannot be written: a function of a file that cannot be read again (`readable`:
 * the files the imports read from disk and the sources the engine ships), or an object no recipe makes again.
 */
export function serializeSnapshot(snap: ImportSnapshot, readable: (file: string) => boolean): SerialSnapshot | string {
  const index = new Map<object, number>();
  const entries: Entry[] = [];
  const queue: object[] = [];
  const mods = new Map<string, number>();
  const modInfos: ModuleInfo[] = [];
  const ref = (o: object): number => {
    let i = index.get(o);
    if (i === undefined) {
      i = entries.length;
      index.set(o, i);
      entries.push({ k: 'main' });
      queue.push(o);
    }
    return i;
  };
  const enc = (v: Value): Enc => {
    if (typeof v === 'number') return [Number.isFinite(v) && !Object.is(v, -0) ? v : Object.is(v, -0) ? '-0' : String(v) as 'NaN'];
    return v === null || typeof v !== 'object' ? v : ref(v);
  };
  const mod = (m: ModuleInfo): number => {
    const key = JSON.stringify([m.name, m.file, m.pkg]);
    let i = mods.get(key);
    if (i === undefined) {
      i = modInfos.push({ name: m.name, file: m.file, pkg: m.pkg }) - 1;
      mods.set(key, i);
    }
    return i;
  };
  const map = (m: Map<string, Value>): Entry => ({ k: 'map', e: [...m].flatMap(([key, x]) => [key, enc(x)]) });
  const entry = (o: object): Entry => {
    if (o instanceof BuiltinRef) return { k: 'builtin', path: o.path };
    if (o === MAIN_MODULE) return { k: 'main' };
    if (o === MAIN_GLOBALS) return { k: 'mainGlobals' };
    if (o instanceof Map) return map(o as Map<string, Value>);
    const recipe = recipeOf(o);
    if (recipe) return { k: 'shared', recipe };
    if (typeof o === 'function') throw new NotCopyable('a native function without a recipe');
    if ('vars' in o && 'globals' in o) {
      const s = o as Scope & { isClass?: boolean };
      return {
        k: 'scope', vars: ref(s.vars), globals: ref(s.globals), ...(s.parent ? { parent: ref(s.parent) } : {}),
        ...(s.globalNames ? { globalNames: [...s.globalNames] } : {}), ...(s.nonlocalNames ? { nonlocalNames: [...s.nonlocalNames] } : {}),
        ...(s.isClass ? { isClass: true as const } : {}),
      };
    }
    const v = o as PyObject;
    switch (v.k) {
      case 'list': case 'tuple': case 'set': case 'iter':
        return { k: v.k, items: v.items.map(enc), ...(v.k === 'list' && v.deque ? { deque: true as const } : {}), ...(v.k === 'tuple' && v.size ? { size: true as const } : {}) };
      case 'dict':
        return { k: 'dict', e: [...v.map.values()].flatMap(([key, x]) => [enc(key), enc(x)]), ...(v.ordered !== undefined ? { ordered: v.ordered } : {}), ...(v.factory !== undefined ? { factory: enc(v.factory) } : {}) };
      case 'slice': return { k: 'slice', lo: enc(v.lo), hi: enc(v.hi), step: enc(v.step) };
      case 'sym': case 'unknown': return { k: v.k, v };
      case 'func': return func(v);
      case 'wrapped': return { k: 'wrapped', kind: v.kind, fn: enc(v.fn) };
      case 'bound': return { k: 'bound', self: enc(v.self), fn: enc(v.fn) };
      case 'class': {
        const inherit = snap.inheritedAt.get(v);
        if (v.construct && inherit === undefined && !recipeOf(v.construct)) throw new NotCopyable(`the class ${v.name}'s constructor`);
        return {
          k: 'class', name: v.name, qualname: v.qualname, bases: v.bases.map(ref), mro: v.mro.map(ref), dict: ref(v.dict),
          ...(v.module ? { mod: mod(v.module) } : {}), line: v.line, ...(v.unknownBases ? { unknownBases: v.unknownBases } : {}),
          ...(v.tag !== undefined ? { tag: v.tag } : {}), ...(v.meta ? { meta: ref(v.meta) } : {}),
          ...(v.construct && inherit === undefined ? { construct: ref(v.construct) } : {}), ...(inherit !== undefined ? { inherit } : {}),
        };
      }
      case 'inst': {
        if (v.ext !== undefined && !isCopyableExt(v.ext)) throw new NotCopyable(`an instance of ${v.cls.name} with framework state`);
        const ext = v.ext as CopyableExt | undefined;
        return { k: 'inst', cls: ref(v.cls), attrs: ref(v.attrs), ...(ext ? { ext: { kind: ext.extKind, values: ext.extValues().map(enc) } } : {}) };
      }
      case 'module': {
        const lazy = snap.lazy.get(v);
        return { k: 'module', name: v.name, attrs: ref(v.attrs), ...(lazy ? { lazy } : {}) };
      }
      default: throw new NotCopyable(`a ${v.k} object`);
    }
  };
  const func = (v: PyFunction): Entry => {
    if (!readable(v.module.file)) throw new NotCopyable(`a function of ${v.module.file}, which is not a file on disk`);
    const extra = v as PyFunction & { undecorated?: Value; owner?: Value };
    let place: Pick<Extract<Entry, { k: 'func' }>, 'def' | 'lambda'>;
    if (v instanceof DefFunction) place = { def: { from: v.def.from, to: v.def.to, line: v.def.line, name: v.def.name } };
    else if (!Array.isArray(v.body)) place = { lambda: { from: v.body.from, to: v.body.to, line: v.line } };
    else throw new NotCopyable(`the function ${v.name}, which no statement made`);
    return {
      k: 'func', name: v.name, qualname: v.qualname, params: v.params.map((p) => (p.default ? [p.name, p.kind, 1] : [p.name, p.kind])),
      defaults: ref(v.defaults), closure: ref(v.closure), mod: mod(v.module), line: v.line, ...place,
      ...(v.wraps ? { wraps: { module: v.wraps.module, wrapped: enc(v.wraps.wrapped) } } : {}),
      ...(extra.undecorated !== undefined ? { undecorated: enc(extra.undecorated) } : {}), ...(extra.owner !== undefined ? { owner: enc(extra.owner) } : {}),
    };
  };
  try {
    const globals = snap.globals.map(([k, v]): [string, Enc] => [k, enc(v)]);
    const s = snap.loader;
    const loader: SerialSnapshot['loader'] = {
      loaded: s.loaded.map(([n, m]) => [n, enc(m)]), builtin: [...s.builtin], failed: [...s.failed], ownCopy: [...s.ownCopy],
      installedAt: [...s.installedAt], origins: [...s.origins], sysModules: s.sysModules.map(([, [k, m]]) => [enc(k), enc(m)]),
    };
    for (let i = 0; i < queue.length; i++) entries[i] = entry(queue[i]);
    return { format: SNAPSHOT_FORMAT, entries, mods: modInfos, globals, loader, notes: snap.notes, steps: snap.steps, elements: snap.elements };
  } catch (e) {
    if (e instanceof NotCopyable) return e.message;
    throw e;
  }
}

type DefStatement = Extract<Stmt, { t: 'def' }>;

/**
 * The files a snapshot's functions are parsed from, and the def statements made: every reading of one
 * snapshot shares them, so a body is parsed once however many times the snapshot is read.
 */
export class FunctionSources {
  private readonly files = new Map<string, SourcePieces | undefined>();
  private readonly defs = new Map<string, DefStatement>();

  /** `readText`: a file's text when a function of it is first called. */
  constructor(private readonly readText: (file: string) => string | undefined) {}

  pieces(file: string): SourcePieces | undefined {
    if (!this.files.has(file)) {
      const text = this.readText(file);
      this.files.set(file, text === undefined ? undefined : new SourcePieces(text));
    }
    return this.files.get(file);
  }

  def(place: Place & { name: string }, file: string, params: Param[]): DefStatement {
    const key = `${file}:${place.from}`;
    let d = this.defs.get(key);
    if (!d) {
      d = new LazyDef(place, params, () => this.pieces(file)?.def(place.from, place.to, place.name), file) as unknown as DefStatement;
      this.defs.set(key, d);
    }
    return d;
  }
}

/** A def statement whose body is parsed from its file when first read (getters on the prototype: thousands are made). */
class LazyDef {
  readonly t = 'def';
  readonly name: string;
  readonly line: number;
  readonly from: number;
  readonly to: number;
  readonly decorators: Expr[] = [];
  private parsed: DefStatement | undefined;

  constructor(place: Place & { name: string }, readonly params: Param[], private readonly parse: () => DefStatement | undefined, private readonly file: string) {
    this.name = place.name;
    this.line = place.line;
    this.from = place.from;
    this.to = place.to;
  }

  private force(): DefStatement {
    this.parsed ??= this.parse();
    // the file had the stamp the snapshot was checked against: a bug, or a file changed within its clock's step
    if (!this.parsed) throw new PyRaise('RuntimeError', `ConvLens could not read the function ${this.name} of ${this.file} again: reopen the file to analyse it afresh`, this.line);
    return this.parsed;
  }

  get body(): Stmt[] {
    return this.force().body;
  }

  get generator(): boolean | undefined {
    return this.force().generator;
  }
}

const bad = (why: string): never => {
  throw new NotCopyable(`the snapshot on disk is damaged: ${why}`);
};

/**
 * An analysis's world that a snapshot is read straight into (its first use: no copy): built-in objects
 * are looked up in it, the file's module is its own, packages load their submodules through its loader.
 */
export interface DirectTarget {
  builtin(path: BuiltinPath): unknown;
  main: PyModule;
  lazy(m: PyModule, site: CallSite): void;
}

/**
 * The snapshot `data` holds, with fresh objects (of `into`'s world when given, else placeholders for
 * built-ins as `captureImports` makes them). `functions` parses its functions when first called (the
 * snapshot was checked against those files' stamps before it is used).
 */
export function deserializeSnapshot(data: unknown, functions: FunctionSources, into?: DirectTarget): ImportSnapshot {
  const d = data as SerialSnapshot;
  if (typeof d !== 'object' || d === null || d.format !== SNAPSHOT_FORMAT || !Array.isArray(d.entries)) bad('not this version');
  const { entries, mods } = d;
  const objects: unknown[] = new Array(entries.length);
  const inheritedAt = new WeakMap<PyClass, number>();
  const inheriting: PyClass[] = [];
  const lazy = new Map<PyModule, CallSite>();
  const modInfo = (i: number | undefined): ModuleInfo => (i !== undefined && mods[i]) || bad('a module info');
  const obj = (i: number): unknown => (Number.isInteger(i) && i >= 0 && i < objects.length ? objects[i] : bad(`entry ${i}`));
  const dec = (e: Enc): Value => {
    if (typeof e === 'number') return obj(e) as Value;
    if (e === null || typeof e !== 'object') return e;
    return e[0] === '-0' ? -0 : Number(e[0]);
  };
  // first every object as an empty shell (entries refer to each other in cycles), then their contents
  entries.forEach((e, i) => {
    objects[i] = shell(e, i);
  });
  function shell(e: Entry, i: number): unknown {
    switch (e.k) {
      case 'builtin': return into ? into.builtin(e.path) : new BuiltinRef(e.path);
      case 'main': return into ? into.main : MAIN_MODULE;
      case 'mainGlobals': return into ? into.main.attrs : MAIN_GLOBALS;
      case 'shared': return remake(e.recipe) ?? bad(`no factory for ${e.recipe.kind}`);
      case 'map': return new Map<string, Value>();
      case 'scope': return {};
      case 'list': case 'tuple': case 'set': case 'iter': {
        const out = { k: e.k, items: [] } as { k: typeof e.k; items: Value[]; deque?: true; size?: true };
        if (e.deque) out.deque = true;
        if (e.size) out.size = true;
        return out;
      }
      case 'dict': return e.ordered !== undefined ? { k: 'dict', map: new Map(), ordered: e.ordered } : { k: 'dict', map: new Map() };
      case 'slice': return { k: 'slice', lo: null, hi: null, step: null };
      case 'sym': case 'unknown': return e.v;
      case 'func': return funcShell(e);
      case 'wrapped': return { k: 'wrapped', kind: e.kind, fn: null };
      case 'bound': return { k: 'bound', self: null, fn: null };
      case 'class': {
        const out: PyClass = { k: 'class', name: e.name, qualname: e.qualname, bases: [], mro: [], dict: new Map(), line: e.line };
        if (e.mod !== undefined) out.module = modInfo(e.mod);
        if (e.unknownBases) out.unknownBases = e.unknownBases;
        if (e.tag !== undefined) out.tag = e.tag;
        return out;
      }
      case 'inst': return { k: 'inst', cls: null, attrs: new Map() };
      case 'module': return { k: 'module', name: e.name, attrs: new Map() };
      default: return bad(`entry ${i} of kind ${(e as { k: string }).k}`);
    }
  }
  function funcShell(e: Extract<Entry, { k: 'func' }>): PyFunction {
    const module = modInfo(e.mod);
    const params: Param[] = e.params.map(([name, kind, hasDefault]) => ({
      name, kind, ...(hasDefault ? { default: { t: 'unknown', what: 'a default value, evaluated when the function was made', line: e.line, from: 0, to: 0 } as Expr } : {}),
    }));
    const fields = { name: e.name, qualname: e.qualname, params, defaults: new Map<string, Value>(), closure: {} as Scope, module, line: e.line };
    if (e.def) return new DefFunction(fields, functions.def(e.def, module.file, params));
    if (!e.lambda) return bad(`the function ${e.name} has no place`);
    const lambda = functions.pieces(module.file)?.lambda(e.lambda.from, e.lambda.to) ?? bad(`the lambda at ${module.file}:${e.lambda.line}`);
    return { k: 'func', ...fields, params: lambda.params, body: lambda.body };
  }
  const mapOf = (i: number): Map<string, Value> => {
    const m = obj(i);
    return m instanceof Map ? m : bad(`entry ${i} is no map`);
  };
  entries.forEach((e, i) => {
    const o = objects[i];
    switch (e.k) {
      case 'map': for (let j = 0; j < e.e.length; j += 2) (o as Map<string, Value>).set(e.e[j] as string, dec(e.e[j + 1] as Enc)); break;
      case 'scope': {
        const s = o as Scope & { isClass?: boolean };
        s.vars = mapOf(e.vars);
        if (e.parent !== undefined) s.parent = obj(e.parent) as Scope;
        s.globals = mapOf(e.globals);
        if (e.globalNames) s.globalNames = new Set(e.globalNames);
        if (e.nonlocalNames) s.nonlocalNames = new Set(e.nonlocalNames);
        if (e.isClass) s.isClass = true;
        break;
      }
      case 'list': case 'tuple': case 'set': case 'iter': (o as { items: Value[] }).items.push(...e.items.map(dec)); break;
      case 'dict': {
        const out = o as PyDict;
        if (e.factory !== undefined) out.factory = dec(e.factory);
        for (let j = 0; j < e.e.length; j += 2) {
          const key = dec(e.e[j]);
          out.map.set(hashKey(key), [key, dec(e.e[j + 1])]);
        }
        break;
      }
      case 'slice': Object.assign(o as object, { lo: dec(e.lo), hi: dec(e.hi), step: dec(e.step) }); break;
      case 'func': {
        const f = o as PyFunction & { undecorated?: Value; owner?: Value };
        f.defaults = mapOf(e.defaults);
        f.closure = obj(e.closure) as Scope;
        if (e.wraps) f.wraps = { module: e.wraps.module, wrapped: dec(e.wraps.wrapped) };
        if (e.undecorated !== undefined) f.undecorated = dec(e.undecorated);
        if (e.owner !== undefined) f.owner = dec(e.owner);
        break;
      }
      case 'wrapped': (o as { fn: Value }).fn = dec(e.fn); break;
      case 'bound': Object.assign(o as object, { self: dec(e.self), fn: dec(e.fn) }); break;
      case 'class': {
        const c = o as PyClass;
        c.bases = e.bases.map((b) => obj(b) as PyClass);
        c.mro = e.mro.map((b) => obj(b) as PyClass);
        c.dict = mapOf(e.dict);
        if (e.meta !== undefined) c.meta = obj(e.meta) as PyClass;
        if (e.construct !== undefined) c.construct = obj(e.construct) as PyClass['construct'];
        if (e.inherit !== undefined) {
          inheritedAt.set(c, e.inherit);
          inheriting.push(c);
        }
        break;
      }
      case 'inst': {
        const inst = o as PyInstance;
        inst.cls = obj(e.cls) as PyClass;
        inst.attrs = mapOf(e.attrs);
        if (e.ext) inst.ext = remake({ kind: e.ext.kind, args: e.ext.values.map(dec) }) ?? bad(`no factory for ${e.ext.kind}`);
        break;
      }
      case 'module': {
        const m = o as PyModule;
        m.attrs = mapOf(e.attrs);
        if (e.lazy) lazy.set(m, e.lazy);
        if (e.lazy) into?.lazy(m, e.lazy);
        break;
      }
    }
  });
  // in a world, a class statement over a built-in class gets that base's constructor (bases first)
  if (into) inheritConstructors(inheriting, inheritedAt);
  const l = d.loader;
  const loader: LoaderState = {
    loaded: l.loaded.map(([n, m]) => [n, dec(m) as PyModule]), builtin: new Set(l.builtin), failed: new Set(l.failed),
    ownCopy: new Map(l.ownCopy), installedAt: new Map(l.installedAt as LoaderState['installedAt'] extends Map<infer K, infer V> ? Array<[K, V]> : never),
    origins: new Map(l.origins as LoaderState['origins'] extends Map<infer K, infer V> ? Array<[K, V]> : never),
    sysModules: l.sysModules.map(([k, m]) => {
      const key = dec(k);
      return [hashKey(key), [key, dec(m)]];
    }),
  };
  return {
    loader, globals: d.globals.map(([k, v]) => [k, dec(v)]), notes: d.notes, steps: d.steps, elements: d.elements, inheritedAt, lazy,
  };
}
