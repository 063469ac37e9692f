// A package whose `__init__.py` star-imports model modules that only fill a registry (timm.models: ~90
// modules run so that `@register_model` sees every model) runs each of them when something asks for a name
// it registers or exports, not at the import. What a user sees is what running them all would give:
// - the package's namespace (`ExportsMap`) holds each deferred module's exports as pending; reading one runs
//   its module, and anything else it is asked for that it lacks runs them all first;
// - the registry module's dicts (`GuardedMap`) and sets run the module that registers a key asked for and not
//   there (a name, `name.tag` or a module's name), and every module before any listing of them;
// - each module run on demand is checked against the scan (its `__all__`, the registry keys it wrote, that it
//   raised nothing and found no new package): a difference throws `LazyImportsWrong`, and the analysis is
//   made again with every module run at the import (`analyze.ts`), never a silently wrong registry.
import type { ModuleScan } from './registry-scan';
import type { PyDict, PyModule, PySet, Value } from './values';
import { isObj } from './values';

/** The scan was wrong or a module run on demand behaved otherwise: the analysis is made again without deferring. */
export class LazyImportsWrong extends Error {}

/** Counts since the process started (tests and benchmarks): modules deferred, run on demand, analyses made again. */
export const lazyStats = { deferred: 0, ranOnDemand: 0, fallbacks: 0, lastFallback: '' };

interface Deferred {
  dotted: string;
  short: string;
  scan: ModuleScan;
  /** Its place among the package's `from .module import` statements (the first that names it). */
  rank: number;
  state: 'pending' | 'loading' | 'loaded';
  /** Whether a star import binds its exports. */
  star: boolean;
  /** What explicit imports bind: [as, name in the module]. */
  binds: Array<[string, string]>;
}

export interface LazyHost {
  /** Runs the module (the loader's `load`, at the star import's site). */
  load(dotted: string): PyModule | undefined;
  /** What `from module import *` binds, as the interpreter binds it. */
  starNames(mod: PyModule): Array<[string, Value]>;
  /** How many top-level packages the loader has found (a module run on demand must find no new one). */
  origins(): number;
  /** A module's attribute as `from module import name` reads it (undefined: it has none). */
  attr(mod: PyModule, name: string): Value | undefined;
  /**
   * A plain package's module its `__init__` does not import from, when it may wait until a name imported from it
   * is read (`scanPlainModule`: it only defines its own names, and registers nothing); undefined: it may not.
   */
  plainScan?(short: string): ModuleScan | undefined;
}

export class LazyPackage {
  readonly namespace: ExportsMap;
  private readonly modules: Deferred[] = [];
  private readonly byDotted = new Map<string, Deferred>();
  /** A module a deferred one gathers (`ModuleScan.members`) → that one, and the names the module registers. */
  private readonly members = new Map<string, { d: Deferred; names: string[] }>();
  /** The names the gathered modules running now (imported by a module run on demand) register. */
  private readonly registering: string[][] = [];
  /** Registry key (a name, a module's short name) → the module that writes it. */
  private readonly owners = new Map<string, Deferred>();
  private readonly loading: Deferred[] = [];
  /** `from .module import` statements seen so far in the package's `__init__` (deferred or not): the next rank. */
  private stars = 0;
  private initDone = false;
  /** Keys the registry was written with while each module ran on demand. */
  private written: unknown[] = [];

  constructor(readonly dotted: string, private readonly plan: Map<string, ModuleScan>, private readonly host: LazyHost) {
    this.namespace = new ExportsMap(this);
  }

  /**
   * `from .short import *` (`names` '*') or `from .short import a, b as c` in the package's `__init__`: true
   * when deferred (what it binds made pending). A module named again by a later statement stays deferred.
   */
  defer(short: string, names: '*' | Array<[string, string]>): boolean {
    const d = this.deferred(short, false);
    if (!d) return false;
    if (names === '*') d.star = true;
    else d.binds.push(...names);
    for (const name of names === '*' ? d.scan.exports : names.map(([as]) => as)) this.namespace.claim(name, d);
    return true;
  }

  /** `from . import short as bound` of a subpackage in the plan: true when deferred (`bound` made pending). */
  deferSubpackage(short: string, bound: string): boolean {
    const d = this.deferred(short, true);
    if (!d) return false;
    d.binds.push([bound, short]);
    this.namespace.claim(bound, d);
    return true;
  }

  /** The module's entry, made at its first import statement (undefined: it runs now). */
  private deferred(short: string, subpackage: boolean): Deferred | undefined {
    const rank = this.stars++;
    const d = this.byDotted.get(`${this.dotted}.${short}`);
    if (d && d.state !== 'pending') return undefined;
    const scan = this.plan.get(short);
    if (!scan || !!scan.subpackage !== subpackage) return undefined;
    return d ?? this.add(short, scan, rank);
  }

  private add(short: string, scan: ModuleScan, rank: number): Deferred {
    const d: Deferred = { dotted: `${this.dotted}.${short}`, short, scan, rank, state: 'pending', star: false, binds: [] };
    this.modules.push(d);
    lazyStats.deferred++;
    this.byDotted.set(d.dotted, d);
    for (const name of [...scan.names, short]) this.owners.set(name, d);
    for (const [m, names] of Object.entries(scan.members ?? {})) this.members.set(`${this.dotted}.${m}`, { d, names });
    return d;
  }

  /**
   * A module still waiting that binds every one of `names` at its top level (its scan's `defines`): `from .module
   * import names` elsewhere than in the `__init__` may bind them pending (undefined: import it now).
   */
  waiting(dotted: string, names: string[]): Deferred | undefined {
    const binds = (scan: ModuleScan) => !!scan.defines && names.every((n) => scan.defines!.has(n));
    const d = this.byDotted.get(dotted);
    if (d) return d.state === 'pending' && binds(d.scan) ? d : undefined;
    // one the `__init__` has not reached yet, or does not name (create_attn's attention layers): deferred from now
    const short = dotted.slice(this.dotted.length + 1);
    if (!dotted.startsWith(`${this.dotted}.`) || short.includes('.')) return undefined;
    const scan = this.plan.get(short) ?? this.host.plainScan?.(short);
    return scan && !scan.subpackage && binds(scan) ? this.add(short, scan, this.stars++) : undefined;
  }

  isDeferred(dotted: string): boolean {
    return this.byDotted.has(dotted);
  }

  /** Whether modules are still waiting (a world with any is not one an import snapshot may copy). */
  get pending(): boolean {
    return this.modules.some((d) => d.state === 'pending');
  }

  /** The `__init__` ran: the registry module's containers answer for the modules not run yet. */
  finishInit(registry: PyModule | undefined): void {
    this.initDone = true;
    if (!registry || !this.pending) return;
    for (const v of registry.attrs.values()) {
      if (!isObj(v)) continue;
      if (v.k === 'dict' && !(v.map instanceof GuardedMap)) guardDict(v, this);
      else if (v.k === 'set') guardSet(v, this);
    }
  }

  /** Runs a deferred module now (it binds its exports when it has run: `ran`). */
  ensure(d: Deferred): void {
    if (d.state === 'pending') this.host.load(d.dotted);
  }

  /** The loader is about to run `dotted`; returns how to finish (undefined: not one of ours). */
  starting(dotted: string): ((mod: PyModule, raised: boolean) => void) | undefined {
    const d = this.byDotted.get(dotted);
    if (!d || d.state !== 'pending') return this.memberStarting(dotted);
    d.state = 'loading';
    lazyStats.ranOnDemand++;
    this.loading.push(d);
    const origins = this.host.origins();
    const written = this.written;
    this.written = [];
    return (mod, raised) => {
      this.loading.pop();
      d.state = 'loaded';
      const keys = this.written;
      this.written = written;
      this.check(d, mod, keys, origins, raised);
      // a subpackage binds itself (`from . import segmentation`)
      const values = d.binds.map(([as, name]): [string, Value | undefined] => [as, d.scan.subpackage ? mod : this.host.attr(mod, name)]);
      const lacking = d.binds.find((_, i) => values[i][1] === undefined);
      if (lacking) throw new LazyImportsWrong(`${d.dotted}, run on demand: it has no ${lacking[1]}`);
      const star = d.star ? this.host.starNames(mod) : [];
      for (const [name, v] of [...star, ...values]) if (this.namespace.claimOf(name) === d) this.namespace.bind(name, v as Value);
      for (const other of this.modules) if (other.scan.attached.includes(d.short)) this.ensure(other);
    };
  }

  /**
   * A module that a deferred one gathers, imported first by another module run on demand (torchvision's
   * segmentation imports mobilenetv3, which mobilenet gathers): the registry keys it writes are checked against
   * what the gathering one registers, not taken for the running module's.
   */
  private memberStarting(dotted: string): (() => void) | undefined {
    const member = this.members.get(dotted);
    if (!member || member.d.state !== 'pending' || !this.loading.length) return undefined;
    const written = this.written;
    this.written = [];
    this.registering.push(member.names);
    return () => {
      this.registering.pop();
      const keys = this.written;
      this.written = written;
      this.checkKeys(member.names, keys, dotted);
    };
  }

  /** Every registry key a module wrote on demand is one its scan names, and new. */
  private checkKeys(names: string[], keys: unknown[], dotted: string): void {
    const own = new Set(names);
    for (const k of keys) if (typeof k !== 'string' || !own.has(k.split('.')[0])) throw new LazyImportsWrong(`${dotted}, run on demand: it wrote registry key ${String(k)}`);
  }

  private check(d: Deferred, mod: PyModule, keys: unknown[], origins: number, raised: boolean): void {
    const wrong = (why: string) => { throw new LazyImportsWrong(`${d.dotted}, run on demand: ${why}`); };
    if (raised) wrong('it raised at its top level');
    if (this.host.origins() !== origins) wrong('it imported a package nothing before it had');
    const all = mod.attrs.get('__all__');
    const actual = all !== undefined && isObj(all) && all.k === 'list' ? all.items : undefined;
    if (d.star && (!actual || JSON.stringify(actual) !== JSON.stringify(d.scan.exports))) wrong('its __all__ is not the one scanned');
    this.checkKeys([...d.scan.names, d.short], keys, d.dotted);
  }

  /** Runs every module still waiting, in the order of the package's star imports (before `below`, while one runs). */
  loadAll(below = Infinity): void {
    for (const d of this.modules) if (d.rank < below) this.ensure(d);
  }

  /** The rank of the module running on demand now (Infinity: none, or the `__init__` is done). */
  private get current(): number {
    return this.loading.length ? this.loading[this.loading.length - 1].rank : this.initDone ? Infinity : this.stars;
  }

  /** A registry container was asked for `key` and lacks it: run what may write it. */
  missing(key: unknown): void {
    const d = typeof key === 'string' ? this.owners.get(key) ?? this.owners.get(key.split('.')[0]) : undefined;
    // a name a gathered module running now registers: rightly missing until it does
    if (typeof key === 'string' && this.registering.some((names) => names.includes(key.split('.')[0]))) return;
    const now = this.current;
    if (now !== Infinity) {
      // while a module runs (or the __init__), a key of a later module is rightly missing
      if (d && d.rank < now) this.ensure(d);
      return;
    }
    if (d) this.ensure(d); // once its module ran, a key it did not write is rightly missing
    else this.loadAll();
  }

  /** A registry container is listed (iterated, sized): every module that would have written it first. */
  listed(): void {
    this.loadAll(this.current);
  }

  /** A registry set was read or changed: adding while a module runs is as usual; any other use runs every module. */
  setUsed(): void {
    if (this.current === Infinity) this.loadAll();
  }

  /** A registry container got a key: noted for the check of the module running. */
  wrote(key: unknown): void {
    if (this.loading.length) this.written.push(key);
  }

  /** The namespace was asked for a name it lacks (not pending): every module first, unless that cannot give it. */
  unknownName(name: string): void {
    if (!this.initDone || this.loading.length || name.startsWith('__') || this.owners.get(name)?.short === name) return;
    this.loadAll();
  }
}

/** A Map that calls `beforeListing` before anything that walks or counts it (size, forEach, keys, values, entries). */
export abstract class ListingGuardedMap<K, V> extends Map<K, V> {
  protected abstract beforeListing(): void;

  override get size(): number {
    this.beforeListing();
    return super.size;
  }

  override forEach(f: (value: V, key: K, map: Map<K, V>) => void, self?: unknown): void {
    this.beforeListing();
    super.forEach(f, self);
  }

  override keys(): MapIterator<K> {
    this.beforeListing();
    return super.keys();
  }

  override values(): MapIterator<V> {
    this.beforeListing();
    return super.values();
  }

  override entries(): MapIterator<[K, V]> {
    this.beforeListing();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    this.beforeListing();
    return super[Symbol.iterator]();
  }
}

/** The package's namespace: pending exports run their module when read; a listing runs every module first. */
export class ExportsMap extends ListingGuardedMap<string, Value> {
  private readonly pending = new Map<string, Deferred>();

  constructor(private readonly pkg: LazyPackage) {
    super();
  }

  protected beforeListing(): void {
    this.pkg.loadAll();
  }

  claim(name: string, d: Deferred): void {
    this.pending.set(name, d);
  }

  claimOf(name: string): Deferred | undefined {
    return this.pending.get(name);
  }

  /** Whether `name` is bound when its module, not run yet, runs. */
  waits(name: string): boolean {
    return this.pending.get(name)?.state === 'pending';
  }

  /** What the module run on demand binds: its star import, as it would have been at the import. */
  bind(name: string, v: Value): void {
    this.pending.delete(name);
    super.set(name, v);
  }

  private resolve(name: string): void {
    const d = this.pending.get(name);
    if (d) this.pkg.ensure(d);
    else if (!super.has(name)) this.pkg.unknownName(name);
  }

  override get(name: string): Value | undefined {
    this.resolve(name);
    return super.get(name);
  }

  override has(name: string): boolean {
    this.resolve(name);
    return super.has(name);
  }

  override set(name: string, v: Value): this {
    // a later binding wins over a deferred module's star import
    this.pending.delete(name);
    return super.set(name, v);
  }

  override delete(name: string): boolean {
    this.resolve(name);
    return super.delete(name);
  }
}

type Entry = [Value, Value];

/** What a module run on demand wrote when it changed a key already there (another module's: order matters). */
const OVERWRITE = Symbol('overwrite');

/** A registry dict: a key it lacks runs the module that writes it; a listing runs the modules first. */
class GuardedMap extends ListingGuardedMap<unknown, Entry> {
  private readonly pkg: LazyPackage;

  constructor(entries: Map<unknown, Entry>, pkg: LazyPackage) {
    super();
    for (const [k, v] of entries) super.set(k, v);
    this.pkg = pkg;
  }

  protected beforeListing(): void {
    this.pkg.listed();
  }

  override get(key: unknown): Entry | undefined {
    if (!super.has(key)) this.pkg.missing(key);
    return super.get(key);
  }

  override has(key: unknown): boolean {
    if (!super.has(key)) this.pkg.missing(key);
    return super.has(key);
  }

  override set(key: unknown, v: Entry): this {
    this.pkg.wrote(super.has(key) ? OVERWRITE : key);
    return super.set(key, v);
  }

  override delete(key: unknown): boolean {
    this.pkg.listed();
    return super.delete(key);
  }
}

function guardDict(d: PyDict, pkg: LazyPackage): void {
  d.map = new GuardedMap(d.map, pkg);
}

/** A registry set: adding while a module runs is as usual; any other use runs the modules before it first. */
function guardSet(s: PySet, pkg: LazyPackage): void {
  const items = s.items;
  s.items = new Proxy(items, {
    get(target, prop, receiver) {
      pkg.setUsed();
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
