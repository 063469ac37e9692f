// Reads an import snapshot's table (`snapshot-serial.ts`) into an analysis's world, lazily: an object is
// made when something made before refers to it, and the contents of every Map (a module's attributes, a
// class's dict, a scope's variables, a dict's entries) when the analysis first uses it (`LazyMap`). So an
// analysis builds only what it reaches: a timm file reaches a few dozen of timm's ~280 modules. Every
// analysis reads the table afresh, so what one analysis changes in an imported module never reaches the
// next. Anything unexpected in the table throws NotCopyable when first read.
import type { Expr, Param, Stmt } from './ast';
import type { ImportSnapshot } from './import-snapshot';
import type { LoaderState } from './imports';
import { DefFunction } from './def-function';
import { LazyMap } from './lazy-map';
import { SourcePieces } from './parse';
import { remake } from './portable';
import { SNAPSHOT_FORMAT, type Enc, type Entry, type LiveFunction, type Place, type SnapshotTable } from './snapshot-serial';
import { NotCopyable, inheritConstructors, type BuiltinPath } from './world-copy';
import {
  PyRaise, hashKey,
  type CallSite, type ModuleInfo, type PyClass, type PyDict, type PyFunction, type PyInstance, type PyModule, type Scope, type Value,
} from './values';

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

  /** The parameters' annotations, which the snapshot's table does not keep (inspect.signature reads them). */
  get annotations(): Array<Expr | undefined> {
    return this.force().params.map((p) => p.annotation);
  }
}

const bad = (why: string): never => {
  throw new NotCopyable(`the snapshot is damaged: ${why}`);
};

/**
 * The analysis's world a snapshot is read into: built-in objects are looked up in it, the file's module
 * is its own, packages load their submodules through its loader.
 */
export interface SnapshotTarget {
  builtin(path: BuiltinPath): unknown;
  main: PyModule;
  lazy(m: PyModule, site: CallSite): void;
}

/** A parameter list read from a table: defaults are values the function holds, never evaluated again. */
function paramsOf(e: Extract<Entry, { k: 'func' }>): Param[] {
  return e.params.map(([name, kind, hasDefault]) => ({
    name, kind, ...(hasDefault ? { default: { t: 'unknown', what: 'a default value, evaluated when the function was made', line: e.line, from: 0, to: 0 } as Expr } : {}),
  }));
}

/**
 * The snapshot `table` holds, read into `into`'s world: its globals, loader state, notes and counters,
 * with the objects they reach made as they are first used. `functions` parses functions of a table read
 * from disk when first called (the snapshot was checked against those files' stamps before it is used).
 */
export function readSnapshot(table: SnapshotTable, functions: FunctionSources, into: SnapshotTarget): Omit<ImportSnapshot, 'inheritedAt' | 'lazy'> {
  const d = table.serial;
  if (typeof d !== 'object' || d === null || d.format !== SNAPSHOT_FORMAT || typeof d.entries?.at !== 'function') bad('not this version');
  const { entries, mods } = d;
  const { live } = table;
  const objects: unknown[] = new Array(entries.length);
  const inheritedAt = new WeakMap<PyClass, number>();
  /** Objects made whose fields are still to fill, dicts whose entries are still to put in, classes still to inherit. */
  const toFill: number[] = [];
  const dicts: Array<[PyDict, Array<[Value, Value]>]> = [];
  const inheriting: PyClass[] = [];
  const modInfo = (i: number | undefined): ModuleInfo => (i !== undefined && mods[i]) || bad('a module info');

  const obj = (i: number): unknown => {
    if (!(Number.isInteger(i) && i >= 0 && i < objects.length)) bad(`entry ${i}`);
    let o = objects[i];
    if (o === undefined) {
      o = shell(entries.at(i) as Entry, i);
      objects[i] = o;
      toFill.push(i);
    }
    return o;
  };
  const dec = (e: Enc): Value => {
    if (typeof e === 'number') return obj(e) as Value;
    if (e === null || typeof e !== 'object') return e;
    return e[0] === '-0' ? -0 : Number(e[0]);
  };
  /** Fills in everything that was made, until nothing is left (no recursion: tables can be deep). */
  const settle = (): void => {
    for (;;) {
      const i = toFill.pop();
      if (i !== undefined) fill(entries.at(i) as Entry, objects[i]);
      else if (dicts.length) {
        // keys are hashed once every tuple made so far has its items
        for (const [out, pairs] of dicts.splice(0)) for (const [k, v] of pairs) out.map.set(hashKey(k), [k, v]);
      } else if (inheriting.length) inheritConstructors(inheriting.splice(0), inheritedAt);
      else return;
    }
  };
  const lazyMap = (i: number): Map<string, Value> => {
    const m = obj(i);
    return m instanceof Map ? m : bad(`entry ${i} is no map`);
  };

  function shell(e: Entry, i: number): unknown {
    switch (e?.k) {
      case 'builtin': return into.builtin(e.path);
      case 'main': return into.main;
      case 'mainGlobals': return into.main.attrs;
      case 'shared': return remake(e.recipe) ?? bad(`no factory for ${e.recipe.kind}`);
      case 'live': return live[i] ?? bad(`entry ${i} is not in memory`);
      case 'map': return new LazyMap<string, Value>((m) => {
        for (let j = 0; j < e.e.length; j += 2) m.set(e.e[j] as string, dec(e.e[j + 1] as Enc));
        settle();
      });
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
      case 'func': return func(e, i);
      case 'wrapped': return { k: 'wrapped', kind: e.kind, fn: null };
      case 'bound': return { k: 'bound', self: null, fn: null };
      case 'class': {
        const out: PyClass = { k: 'class', name: e.name, qualname: e.qualname, bases: [], mro: [], dict: new Map(), line: e.line };
        if (e.mod !== undefined) out.module = modInfo(e.mod);
        if (e.unknownBases) out.unknownBases = e.unknownBases.map((b) => ({ ...b }));
        if (e.tag !== undefined) out.tag = e.tag;
        return out;
      }
      case 'inst': return { k: 'inst', cls: null, attrs: new Map() };
      case 'module': {
        const m: PyModule = { k: 'module', name: e.name, attrs: new Map() };
        if (e.lazy) into.lazy(m, e.lazy);
        return m;
      }
      default: return bad(`entry ${i} of kind ${(e as { k: string } | undefined)?.k}`);
    }
  }

  function func(e: Extract<Entry, { k: 'func' }>, i: number): PyFunction {
    const module = modInfo(e.mod);
    const made = live[i] as LiveFunction | undefined;
    const params = made?.params ?? paramsOf(e);
    const fields = { name: e.name, qualname: e.qualname, params, defaults: new Map<string, Value>(), closure: {} as Scope, module, line: e.line };
    if (made?.def) return new DefFunction(fields, made.def);
    if (made?.body) return { k: 'func', ...fields, body: made.body, ...(made.generator !== undefined ? { generator: made.generator } : {}) };
    if (e.def) return new DefFunction(fields, functions.def(e.def, module.file, params));
    if (!e.lambda) return bad(`the function ${e.name} has no place`);
    const lambda = functions.pieces(module.file)?.lambda(e.lambda.from, e.lambda.to) ?? bad(`the lambda at ${module.file}:${e.lambda.line}`);
    return { k: 'func', ...fields, params: lambda.params, body: lambda.body };
  }

  function fill(e: Entry, o: unknown): void {
    switch (e.k) {
      case 'scope': {
        const s = o as Scope & { isClass?: boolean };
        s.vars = lazyMap(e.vars);
        if (e.parent !== undefined) s.parent = obj(e.parent) as Scope;
        s.globals = lazyMap(e.globals);
        if (e.globalNames) s.globalNames = new Set(e.globalNames);
        if (e.nonlocalNames) s.nonlocalNames = new Set(e.nonlocalNames);
        if (e.isClass) s.isClass = true;
        break;
      }
      case 'list': case 'tuple': case 'set': case 'iter': (o as { items: Value[] }).items.push(...e.items.map(dec)); break;
      case 'dict': {
        const out = o as PyDict;
        if (e.factory !== undefined) out.factory = dec(e.factory);
        const pairs: Array<[Value, Value]> = [];
        for (let j = 0; j < e.e.length; j += 2) pairs.push([dec(e.e[j]), dec(e.e[j + 1])]);
        dicts.push([out, pairs]);
        break;
      }
      case 'slice': Object.assign(o as object, { lo: dec(e.lo), hi: dec(e.hi), step: dec(e.step) }); break;
      case 'func': {
        const f = o as PyFunction & { undecorated?: Value; owner?: Value };
        f.defaults = lazyMap(e.defaults);
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
        c.dict = lazyMap(e.dict);
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
        inst.attrs = lazyMap(e.attrs);
        if (e.ext) inst.ext = remake({ kind: e.ext.kind, args: e.ext.values.map(dec) }) ?? bad(`no factory for ${e.ext.kind}`);
        break;
      }
      case 'module': (o as PyModule).attrs = lazyMap(e.attrs); break;
    }
  }

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
  const globals = d.globals.map(([k, v]): [string, Value] => [k, dec(v)]);
  settle();
  return { loader, globals, notes: d.notes, steps: d.steps, elements: d.elements };
}
