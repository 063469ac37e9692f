// An import snapshot (`import-snapshot.ts`) as a table of entries that refer to each other by index, the
// form every analysis reads it from (lazily, `snapshot-read.ts`) and, as JSON, the form a new editor
// window or CLI run starts from (`import-cache.ts` keeps it through a `SnapshotStore`). Built-in objects
// stay named by path, shared natives by their recipe (`portable.ts`). On disk, functions are kept by
// place, not by AST: a `def` is parsed again from its file when first called (`SourcePieces`). In memory,
// the table also holds what JSON cannot (`live`: parsed bodies, natives without a recipe, functions of an
// open document's unsaved text); a table with such an entry stays in memory only (a reason is given).
import type { Expr, Param, Stmt } from './ast';
import type { ImportSnapshot } from './import-snapshot';
import type { Interpreter } from './interpreter';
import { DefFunction } from './def-function';
import { isCopyableExt, isShared, recipeOf, type CopyableExt, type Recipe } from './portable';
import { BuiltinRef, MAIN_GLOBALS, MAIN_MODULE, NotCopyable, type BuiltinPath } from './world-copy';
import type { CallSite, ModuleInfo, PyFunction, PyObject, Scope, Value } from './values';

/** Bumped whenever what is written changes meaning: an older file is then ignored. */
export const SNAPSHOT_FORMAT = 1;

/**
 * A value: strings, booleans and None as they are, an object as its index in the table, a number in an
 * array (`[3]`, `["NaN"]` for those JSON lacks): most values are objects, so their references are shortest.
 */
export type Enc = null | boolean | number | string | [number | 'NaN' | 'Infinity' | '-Infinity' | '-0'];

export type Place = { from: number; to: number; line: number };
export type Entry =
  | { k: 'builtin'; path: BuiltinPath } | { k: 'main' } | { k: 'mainGlobals' } | { k: 'shared'; recipe: Recipe }
  | { k: 'live' } // in memory only: the object itself, in `live`
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

/** What a function entry's `live` holds in memory: its parameters and statement or body as parsed. */
export interface LiveFunction {
  params: Param[];
  def?: Extract<Stmt, { t: 'def' }>;
  body?: Stmt[] | Expr;
  generator?: boolean;
}

/** A snapshot's table in memory: what is written to disk, and per entry what JSON cannot hold. */
export interface SnapshotTable {
  serial: SerialSnapshot;
  live: unknown[];
  /** Why it cannot be written to disk (undefined: it can). */
  unwritable?: string;
}

/** A table's entries: all at hand, or read one by one when first asked for (a file on disk, `snapshot-store.ts`). */
export type Entries = Pick<Entry[], 'length' | 'at'>;

export interface SerialSnapshot {
  format: number;
  entries: Entries;
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
 * `snap` as a table, or why it cannot be made (an object of a kind it does not know). It cannot be written
 * to disk (`unwritable`) when it holds a function of a file that cannot be read again (`readable`: the files
 * the imports read from disk and the sources the engine ships), or a shared object no recipe makes again.
 */
export function serializeSnapshot(snap: ImportSnapshot, readable: (file: string) => boolean): SnapshotTable | string {
  const index = new Map<object, number>();
  const entries: Entry[] = [];
  const live: unknown[] = [];
  let unwritable: string | undefined;
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
  const entry = (o: object, i: number): Entry => {
    if (o instanceof BuiltinRef) return { k: 'builtin', path: o.path };
    if (o === MAIN_MODULE) return { k: 'main' };
    if (o === MAIN_GLOBALS) return { k: 'mainGlobals' };
    if (o instanceof Map) return map(o as Map<string, Value>);
    const recipe = recipeOf(o);
    if (recipe) return { k: 'shared', recipe };
    if (isShared(o) || typeof o === 'function') {
      if (!isShared(o)) throw new NotCopyable('a native function that is not shared');
      unwritable ??= 'a native without a recipe';
      live[i] = o;
      return { k: 'live' };
    }
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
      case 'func': return func(v, i);
      case 'wrapped': return { k: 'wrapped', kind: v.kind, fn: enc(v.fn) };
      case 'bound': return { k: 'bound', self: enc(v.self), fn: enc(v.fn) };
      case 'class': {
        const inherit = snap.inheritedAt.get(v);
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
  const func = (v: PyFunction, i: number): Entry => {
    const extra = v as PyFunction & { undecorated?: Value; owner?: Value };
    let place: Pick<Extract<Entry, { k: 'func' }>, 'def' | 'lambda'> = {};
    if (v instanceof DefFunction) {
      place = { def: { from: v.def.from, to: v.def.to, line: v.def.line, name: v.def.name } };
      live[i] = { params: v.params, def: v.def } satisfies LiveFunction;
    } else {
      if (!Array.isArray(v.body)) place = { lambda: { from: v.body.from, to: v.body.to, line: v.line } };
      else unwritable ??= `the function ${v.name}, which no statement made`;
      live[i] = { params: v.params, body: v.body, ...(v.generator !== undefined ? { generator: v.generator } : {}) } satisfies LiveFunction;
    }
    if (!readable(v.module.file)) unwritable ??= `a function of ${v.module.file}, which is not a file on disk`;
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
    for (let i = 0; i < queue.length; i++) entries[i] = entry(queue[i], i);
    const serial = { format: SNAPSHOT_FORMAT, entries, mods: modInfos, globals, loader, notes: snap.notes, steps: snap.steps, elements: snap.elements };
    return { serial, live, ...(unwritable ? { unwritable } : {}) };
  } catch (e) {
    if (e instanceof NotCopyable) return e.message;
    throw e;
  }
}

