// What running a file's leading imports left behind, kept so that the next analysis of the file starts
// from it instead of running them again (timm's ~280 modules take seconds). A snapshot holds a copy of
// every module the imports loaded, the file's globals, the loader's bookkeeping and the interpreter's
// notes and counters; built-in objects are named by path (`world-copy.ts`). It is kept as a table
// (`snapshot-serial.ts`) that each later analysis reads lazily into its own world (`snapshot-read.ts`).
// It is taken only when the imports left the built-in world as a fresh one is: imports that set an
// attribute of `torch`, or fill a list of the standard library, are run every time.
import type { Interpreter } from './interpreter';
import type { LoaderState, ModuleLoader } from './imports';
import { BuiltinRef, MAIN_GLOBALS, MAIN_MODULE, NotCopyable, WorldCopy, type BuiltinPath, type PathStep } from './world-copy';
import { isObj, type CallSite, type PyClass, type PyModule, type Value } from './values';

/** The parts of an analysis's world a snapshot is taken from and put into. */
export interface SnapshotWorld {
  interp: Interpreter;
  loader: ModuleLoader;
  /** The analysed file's module (its attributes are the file's globals). */
  main: PyModule;
}

export interface ImportSnapshot {
  loader: LoaderState;
  globals: Array<[string, Value]>;
  notes: Interpreter['notes'];
  steps: number;
  elements: number;
  inheritedAt: WeakMap<PyClass, number>;
  /** Per copied package: the site its submodules are imported for. */
  lazy: Map<PyModule, CallSite>;
}

/** A snapshot as read into an analysis's world: its objects are that world's. */
export type ReadImports = Omit<ImportSnapshot, 'inheritedAt' | 'lazy'>;

const SITE: CallSite = { line: 0, from: 0, to: 0, file: '<snapshot>' };

/** Every object of the built-in world the imports could reach, with the first path to it. */
function builtinPaths(w: SnapshotWorld, modules: Array<[string, PyModule]>): Map<object, BuiltinPath> {
  const paths = new Map<object, BuiltinPath>();
  const queue: Array<[object, BuiltinPath]> = [];
  const visit = (v: unknown, path: BuiltinPath) => {
    // sys.modules lists the imported modules too: it is put back from the loader's state
    if (typeof v !== 'object' || v === null || paths.has(v) || v === w.interp.sysModules || v === w.main || v === w.main.attrs) return;
    paths.set(v, path);
    queue.push([v, path]);
  };
  const step = (path: BuiltinPath, s: PathStep): BuiltinPath => ({ root: path.root, steps: [...path.steps, s] });
  for (const [name, m] of modules) visit(m, { root: { module: name }, steps: [] });
  for (const [key, v] of w.interp.builtins) visit(v, { root: { builtins: true }, steps: [{ t: 'dict', key }] });
  while (queue.length) {
    const [v, path] = queue.shift() as [object, BuiltinPath];
    const o = v as Value;
    if (!isObj(o)) continue;
    switch (o.k) {
      case 'module': for (const [key, x] of o.attrs) visit(x, step(path, { t: 'attr', key })); break;
      case 'class': for (const [key, x] of o.dict) visit(x, step(path, { t: 'dict', key })); break;
      case 'wrapped': visit(o.fn, step(path, { t: 'fn' })); break;
      case 'list': case 'tuple': case 'set': o.items.forEach((x, i) => visit(x, step(path, { t: 'item', i }))); break;
      case 'dict': [...o.map.values()].forEach(([, x], i) => visit(x, step(path, { t: 'entry', i }))); break;
      case 'inst': for (const [key, x] of o.attrs) visit(x, step(path, { t: 'iattr', key })); break;
    }
  }
  return paths;
}

const describe = (p: BuiltinPath): string =>
  ['module' in p.root ? p.root.module : 'builtins', ...p.steps.map((s) => ('key' in s ? s.key : 'i' in s ? `[${s.i}]` : s.t))].join('.');

/** Looks a built-in path up in a world (making lazily made attributes, as the original world did). */
export function resolver(w: SnapshotWorld): (path: BuiltinPath) => unknown {
  const roots = new Map<string, PyModule | undefined>();
  return (path) => {
    let cur: unknown;
    if ('module' in path.root) {
      const name = path.root.module;
      if (!roots.has(name)) roots.set(name, w.loader.builtinModule(name));
      cur = roots.get(name);
    } else cur = w.interp.builtins;
    for (const s of path.steps) {
      const o = cur as Value;
      if (cur instanceof Map && s.t === 'dict') cur = cur.get(s.key);
      else if (!isObj(o)) cur = undefined;
      else if (s.t === 'attr' && o.k === 'module') cur = w.interp.getattrOrUndefined(o, s.key, SITE);
      else if (s.t === 'dict' && o.k === 'class') cur = o.dict.get(s.key);
      else if (s.t === 'fn' && o.k === 'wrapped') cur = o.fn;
      else if (s.t === 'item' && (o.k === 'list' || o.k === 'tuple' || o.k === 'set')) cur = o.items[s.i];
      else if (s.t === 'entry' && o.k === 'dict') cur = [...o.map.values()][s.i]?.[1];
      else if (s.t === 'iattr' && o.k === 'inst') cur = o.attrs.get(s.key);
      else cur = undefined;
      if (cur === undefined) throw new NotCopyable(`the built-in ${describe(path)} is gone`);
    }
    return cur;
  };
}

/**
 * Whether the built-in world `w` reached is what a fresh world gives at the same paths: same
 * attributes, class dicts and container items, each the same built-in object or an equal plain value.
 */
function builtinsUnchanged(old: SnapshotWorld, paths: Map<object, BuiltinPath>, fresh: SnapshotWorld): string | undefined {
  const resolve = resolver(fresh);
  const same = (a: unknown, b: unknown): boolean => {
    if (Object.is(a, b) || (a === old.interp.sysModules && b === fresh.interp.sysModules)) return true;
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
    const pa = paths.get(a);
    if (pa) {
      try {
        return resolve(pa) === b;
      } catch {
        return false;
      }
    }
    const [x, y] = [a as Value, b as Value];
    return isObj(x) && isObj(y) && x.k === 'unknown' && y.k === 'unknown' && x.reason === y.reason;
  };
  /** The first key whose value differs ('' when none does). */
  const sameMap = (a: Map<string, Value>, b: Map<string, Value>, lookup: (key: string) => unknown): string => {
    for (const key of b.keys()) if (!a.has(key)) return key;
    for (const [key, x] of a) if (!same(x, lookup(key))) return key;
    return '';
  };
  for (const [v, path] of paths) {
    let other: unknown;
    try {
      other = resolve(path);
    } catch {
      return `the built-in ${describe(path)} is gone`;
    }
    const o = v as Value, f = other as Value;
    if (!isObj(o) || !isObj(f) || o.k !== f.k) {
      if (!Object.is(o, f) && !(isObj(o) && isObj(f))) return `the imports changed the built-in ${describe(path)}`;
      continue;
    }
    let differs = '';
    if (o.k === 'module' && f.k === 'module') differs = sameMap(o.attrs, new Map(f.attrs), (key) => fresh.interp.getattrOrUndefined(f, key, SITE));
    else if (o.k === 'class' && f.k === 'class') differs = sameMap(o.dict, f.dict, (key) => f.dict.get(key));
    else if (o.k === 'inst' && f.k === 'inst') differs = sameMap(o.attrs, f.attrs, (key) => f.attrs.get(key));
    else if ((o.k === 'list' || o.k === 'tuple' || o.k === 'set') && (f.k === 'list' || f.k === 'tuple' || f.k === 'set')) {
      if (o.items.length !== f.items.length || !o.items.every((x, i) => same(x, f.items[i]))) differs = 'items';
    } else if (o.k === 'dict' && f.k === 'dict') {
      const fv = [...f.map.values()];
      if (o.map.size !== f.map.size || ![...o.map.values()].every(([k, x], i) => same(k, fv[i][0]) && same(x, fv[i][1]))) differs = 'entries';
    }
    if (differs) return `the imports changed the built-in ${describe(path)}: ${differs}`;
  }
  const differs = sameMap(old.interp.builtins, fresh.interp.builtins, (key) => fresh.interp.builtins.get(key));
  return differs ? `the imports changed the builtin ${differs}` : undefined;
}

/**
 * A snapshot of `w` after its file's leading imports ran, or why none can be taken. `fresh` makes a
 * new world, against which the built-in world is compared.
 */
export function captureImports(w: SnapshotWorld, fresh: () => SnapshotWorld): ImportSnapshot | string {
  const state = w.loader.state();
  const paths = builtinPaths(w, state.loaded.filter(([n]) => state.builtin.has(n)));
  const scratch = fresh();
  const stamps = (x: SnapshotWorld) => JSON.stringify(x.interp.stateStamps.map((f) => f()));
  if (stamps(w) !== stamps(scratch)) return 'the imports changed state the built-in modules keep';
  const changed = builtinsUnchanged(w, paths, scratch);
  if (changed) return changed;
  const inheritedAt = new WeakMap<PyClass, number>();
  const lazy = new Map<PyModule, CallSite>();
  const copy = new WorldCopy((v) => {
    if (v === w.main) return MAIN_MODULE;
    if (v === w.main.attrs) return MAIN_GLOBALS;
    if (v === w.interp.sysModules) throw new NotCopyable('sys.modules held in a module');
    const path = paths.get(v);
    return path && new BuiltinRef(path);
  }, inheritedAt, (out, original) => {
    const site = w.loader.submoduleSite(original);
    if (site) lazy.set(out, site);
  });
  try {
    // a built-in module is imported again by name
    const loaded = state.loaded.map(([n, m]): [string, PyModule] => [n, state.builtin.has(n) ? MAIN_MODULE : copy.value(m) as PyModule]);
    const sysModules = state.sysModules.map(([h, [k, m]]): [unknown, [Value, Value]] => [h, [k, copy.value(m)]]);
    const globals = [...w.main.attrs].map(([k, v]): [string, Value] => [k, copy.value(v)]);
    copy.finish();
    return {
      loader: { ...state, loaded, sysModules }, globals, notes: w.interp.notes.map((n) => ({ ...n })),
      steps: w.interp.steps, elements: w.interp.elements, inheritedAt, lazy,
    };
  } catch (e) {
    if (e instanceof NotCopyable) return e.message;
    throw e;
  }
}

/** Puts what a snapshot's imports left, read into `w`'s world (`snapshot-read.ts`), into `w`: the loader's state, the file's globals, notes and counters. */
export function adoptImports(snap: ReadImports, w: SnapshotWorld): void {
  const resolve = resolver(w);
  const state = snap.loader;
  // a built-in module is imported again by name
  const loaded = state.loaded.map(([n, m]): [string, PyModule] => [n, state.builtin.has(n) ? resolve({ root: { module: n }, steps: [] }) as PyModule : m]);
  for (const [k, v] of snap.globals) w.main.attrs.set(k, v);
  w.loader.restore({ ...state, loaded });
  w.interp.notes.push(...snap.notes.map((n) => ({ ...n })));
  w.interp.steps = snap.steps;
  w.interp.elements = snap.elements;
}
