// Import resolution: built-in modules (the standard library, torch, keras) first, then the
// workspace's own files under the analysis roots, then the Python environment's folders (its
// site-packages), then the bundled packages, with packages, `__init__.py` and relative imports
// resolved as Python would. What cannot be found becomes an unknown value with the reason.
import type { ImportResolver, Interpreter } from './interpreter';
import { parseIncremental, skippingBodies, type ParseState } from './parse';
import { keepParse, storedParse } from './parse-store';
import { join, relativeTo } from './paths';
import { BUNDLED_ROOT, BundledPackages } from './bundled';
import { isObj, unknown, type CallSite, type ModuleInfo, type PyModule, type Value } from './values';
import type { SearchPath } from './env/types';
import type { PackageOrigin } from '../report/types';
import type { Module } from './ast';
import { ExportsMap, LazyPackage } from './lazy-package';
import { LazyGlobals } from './lazy-globals';
import { fromImports, scanAggregate, scanCached, scanSubpackage, starImports, submoduleImports, withFreshScans, type ModuleScan } from './registry-scan';
import { withEmptied } from './fresh-cache';

export interface FileSource {
  readFile(path: string): string | undefined;
  /** Whether a folder exists (namespace packages have no __init__.py); optional. */
  isDirectory?(path: string): boolean;
  /**
   * What identifies the file's text now, without reading it (modification time and size; '' when there is
   * no such file); undefined when the host cannot tell (an open document's unsaved text). Optional.
   */
  stamp?(path: string): string | undefined;
}

/** Parses by key; `state` undefined: read back from the parse store (an edit of it is parsed whole). */
const parseCache = new Map<string, { text: string; ast: Module; state?: ParseState }>();

/**
 * Parses with a cache keyed by path: an unchanged file is free, and an edited one is parsed
 * incrementally from its previous version (what the editor does on every keystroke). Imported
 * modules convert function bodies lazily, and are read from (and kept in) the parse store when there
 * is one (`parse-store.ts`); the analysed file is converted whole, so that every syntax error in it is reported.
 */
export function parseCached(path: string, text: string, lazyBodies = false): Module {
  const key = `${lazyBodies ? 'lazy' : 'whole'}:${path}`;
  const hit = parseCache.get(key);
  if (hit && hit.text === text) return hit.ast;
  if (parseCache.size > 500) parseCache.clear();
  const kept = lazyBodies && skippingBodies();
  const stored = kept ? storedParse(path, text) : undefined;
  if (stored) {
    parseCache.set(key, { text, ast: stored });
    return stored;
  }
  const { module, state } = parseIncremental(text, hit?.state, { lazyBodies });
  parseCache.set(key, { text, ast: module, state });
  if (kept) keepParse(path, text, module);
  return module;
}

/** Runs `fn` with empty parse and scan caches, then puts them back (tests compare cached and fresh analyses). */
export function withFreshParseCache<T>(fn: () => T): T {
  return withEmptied(parseCache, () => withFreshScans(fn));
}

/** The absolute name of `from {'.' * level}{path} import` in `from` (undefined: beyond the top-level package). */
function dottedName(path: string[], level: number, from: ModuleInfo): string | undefined {
  if (level === 0) return path.join('.');
  const pkgParts = from.pkg ? from.pkg.split('.') : [];
  if (level - 1 > pkgParts.length || !from.pkg) return undefined;
  return [...pkgParts.slice(0, pkgParts.length - (level - 1)), ...path].join('.');
}

/** How a package's modules are read for its lazy plan, and what identifies their texts (scans are kept by it). */
interface PackageFiles {
  read(path: string): string | undefined;
  stamp(path: string): string | undefined;
}

/** A loader's bookkeeping, kept by an import snapshot (`import-snapshot.ts`). */
/** A lazy package's modules that may run when asked for, and the module whose registries are guarded. */
interface LazyPlan {
  plan: Map<string, ModuleScan>;
  registry?: string;
  /** A plain package's (`plainPlan`): its other modules may wait too when a name is imported from them. */
  plain?: true;
}

export interface LoaderState {
  loaded: Array<[string, PyModule]>;
  builtin: Set<string>;
  failed: Set<string>;
  ownCopy: Map<string, boolean>;
  installedAt: Map<string, SearchPath | null>;
  origins: Map<string, PackageOrigin>;
  /** sys.modules, in order (hash key → [name, module]). */
  sysModules: Array<[unknown, [Value, Value]]>;
}

export class ModuleLoader implements ImportResolver {
  private readonly loaded = new Map<string, PyModule>();
  private readonly failed = new Set<string>();
  /** Per top-level package that is also bundled: whether the roots hold the user's own copy. */
  private readonly ownCopy = new Map<string, boolean>();
  /** Per top-level package: the search-path folder that holds it (Python imports a package from one folder only). */
  private readonly installedAt = new Map<string, SearchPath | null>();
  /** Where each top-level package was read from, in import order. */
  private readonly origins = new Map<string, PackageOrigin>();
  /** The loaded modules that are built in (the standard library's, a framework's). */
  private readonly builtinNames = new Set<string>();
  /** Per package (and namespace package): the import site its submodules are loaded for. */
  private readonly lazySites = new WeakMap<PyModule, CallSite>();
  /** Installed packages whose registry modules run when asked for (`lazy-package.ts`), by dotted name. */
  private readonly lazyPackages = new Map<string, LazyPackage>();

  constructor(
    private readonly interp: Interpreter,
    private readonly host: FileSource,
    private readonly roots: string[],
    private readonly builtin: (name: string) => PyModule | undefined,
    private readonly bundled = new BundledPackages([]),
    /** The Python environment's folders (site-packages, .pth entries, extra paths), searched after the roots. */
    private readonly searchPaths: SearchPath[] = [],
    /** Whether an installed package's registry modules may run when asked for (false: all at the import). */
    private readonly lazyRegistries = false,
  ) {}

  /** Whether some package's modules still wait to be run when asked for (no import snapshot is taken then). */
  get deferring(): boolean {
    return [...this.lazyPackages.values()].some((p) => p.pending);
  }

  /**
   * `from .module import *` or `from .module import names` in a lazy package's `__init__`: true when the module
   * is deferred (what it binds is pending in the package's namespace); false: import it now.
   */
  deferFrom(path: string[], level: number, from: ModuleInfo, names: '*' | Array<[string, string]>): boolean {
    const pkg = this.lazyPackages.get(from.name);
    // a module imported before its package (`import a.b.c` loads a.b.c alone) has run already
    return !!pkg && level === 1 && path.length === 1 && from.pkg === from.name && !this.loaded.has(`${from.name}.${path[0]}`)
      && pkg.defer(path[0], names);
  }

  /** `from . import name as bound` in a lazy package's `__init__`: true when that subpackage is deferred. */
  deferSubmodule(level: number, from: ModuleInfo, name: string, bound: string): boolean {
    const pkg = this.lazyPackages.get(from.name);
    return !!pkg && level === 1 && from.pkg === from.name && !this.loaded.has(`${from.name}.${name}`) && pkg.deferSubpackage(name, bound);
  }

  /**
   * What of a package's `__init__` may run when asked for: its registry modules (`registryPlan`), else, when it
   * only imports names from its modules, the plain ones (`plainPlan`).
   */
  private lazyPlan(dotted: string, file: string, src: string, files: PackageFiles): LazyPlan | undefined {
    return this.registryPlan(dotted, file, src, files) ?? this.plainPlan(dotted, file, src, files);
  }

  /**
   * The plan of a package whose `__init__` star-imports modules that register models: the scans of those that
   * may run when asked for, when they share one registry module (undefined: nothing to defer).
   */
  private registryPlan(dotted: string, file: string, src: string, { read, stamp }: PackageFiles): LazyPlan | undefined {
    const stars = starImports(src);
    if (stars.length < 2) return undefined;
    const dir = file.slice(0, file.lastIndexOf('/'));
    const plan = new Map<string, ModuleScan>();
    const registries = new Set<string>();
    const scanOf = (short: string) => {
      const path = join(dir, `${short}.py`);
      return scanCached(path, stamp(path), () => read(path));
    };
    for (const short of stars) {
      let scan = scanOf(short);
      // a module that only gathers model modules (torchvision's `mobilenet`): deferred as one
      if (scan?.eager) scan = scanAggregate(read(join(dir, `${short}.py`)) ?? '', scanOf) ?? scan;
      if (!scan || scan.eager || !scan.registry) continue;
      plan.set(short, scan);
      // `from torchvision.models._api import register_model` in torchvision.models is `from ._api import ...`
      registries.add(scan.registry.startsWith(`${dotted}.`) ? scan.registry.slice(dotted.length) : scan.registry);
    }
    const [registry] = registries;
    if (registries.size !== 1 || !/^\.\w+$/.test(registry)) return undefined;
    // `from . import segmentation, video`: subpackages whose modules register into the same registry
    for (const short of submoduleImports(src)) {
      const init = read(join(dir, short, '__init__.py'));
      const scan = init === undefined ? undefined : scanSubpackage(init, (m) => {
        const path = join(dir, short, `${m}.py`);
        return scanCached(path, stamp(path), () => read(path));
      });
      if (scan?.registry === registry && !plan.has(short)) plan.set(short, scan);
    }
    // a registry that does not append each name to its module's __all__ (torchvision's): the exports are as written
    if (!/\.__all__\.append\(/.test(read(join(dir, `${registry.slice(1)}.py`)) ?? '')) {
      for (const [short, scan] of plan) {
        if (scan.declared) plan.set(short, { ...scan, exports: scan.declared });
        else plan.delete(short);
      }
    }
    // a name two modules register: which wins depends on the order they run, so both run at the import
    const seen = new Map<string, string>();
    for (const [short, scan] of plan) {
      for (const name of scan.names) {
        const other = seen.get(name);
        if (other !== undefined) { plan.delete(short); plan.delete(other); }
        seen.set(name, short);
      }
    }
    return plan.size ? { plan, registry: registry.slice(1) } : undefined;
  }

  /**
   * The plan of a package whose `__init__` only imports names from its modules (timm.layers, timm.data): the
   * modules whose top level defines only their own names (`scanPlainModule`); a star-imported one needs its
   * `__all__`. The modules that register with torch.fx must share one module (`registry`, whose sets are guarded).
   */
  private plainPlan(dotted: string, file: string, src: string, { read, stamp }: PackageFiles): LazyPlan | undefined {
    const lines = fromImports(src);
    if (!lines) return undefined;
    const dir = file.slice(0, file.lastIndexOf('/'));
    const plan = new Map<string, ModuleScan>();
    const registries = new Set<string>();
    for (const short of new Set(lines.map((l) => l.short))) {
      let text: string | undefined;
      const path = [join(dir, `${short}.py`), join(dir, short, '__init__.py')].find((p) => (text = read(p)) !== undefined);
      const scan = path && scanCached(path, stamp(path), () => text, true);
      // a subpackage's torch.fx registrations name a module of its own, not of this package
      if (!scan || scan.eager || (scan.registry && path.endsWith('__init__.py'))) continue;
      const mine = lines.filter((l) => l.short === short);
      if (mine.some((l) => l.names === '*') && !scan.declared) continue;
      // a name its top level does not bind: Python's ImportError at the import, so it runs there
      if (mine.some((l) => l.names !== '*' && l.names.some(([, name]) => !scan.defines.has(name)))) continue;
      if (scan.registry) registries.add(scan.registry.startsWith(`${dotted}.`) ? scan.registry.slice(dotted.length) : scan.registry);
      plan.set(short, { names: [], exports: scan.declared ?? [], attached: [], defines: scan.defines });
    }
    const [registry] = registries;
    if (registries.size > 1 || (registry !== undefined && !/^\.\w+$/.test(registry))) return undefined;
    return plan.size ? { plan, registry: registry?.slice(1), plain: true } : undefined;
  }

  /** A plain package's module (beside its `__init__`, `file`) as a lazy package defers it, when it may be. */
  private plainScan(file: string, short: string, { read, stamp }: PackageFiles): ModuleScan | undefined {
    const path = join(file.slice(0, file.lastIndexOf('/')), `${short}.py`);
    const scan = scanCached(path, stamp(path), () => read(path), true);
    // torch.fx registrations would reach sets the package does not guard for it
    return scan && !scan.eager && !scan.registry ? { names: [], exports: [], attached: [], defines: scan.defines } : undefined;
  }

  /** Registers the module being analysed, so that circular imports of it resolve. */
  register(info: ModuleInfo, mod: PyModule): void {
    this.remember(info.name, mod);
    this.remember('__main__', mod);
  }

  /** A loaded module, also listed in sys.modules (timm's registry looks entry points' modules up there). */
  private remember(dotted: string, mod: PyModule): void {
    this.loaded.set(dotted, mod);
    this.interp.sysModules.map.set(dotted, [dotted, mod]);
  }

  /** Name and package of a file as seen from the roots (`torchvision.models.resnet`). */
  static moduleInfo(file: string, roots: string[]): ModuleInfo {
    for (const root of roots) {
      const rel = relativeTo(root, file);
      if (!rel) continue;
      const parts = rel.replace(/\.py$/, '').split('/');
      if (parts[parts.length - 1] === '__init__') parts.pop();
      const name = parts.join('.');
      const isPkg = /__init__\.py$/.test(file);
      return { name, file, pkg: isPkg ? name : parts.slice(0, -1).join('.') };
    }
    const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.py$/, '');
    return { name: base, file, pkg: '' };
  }

  importModule(path: string[], level: number, from: ModuleInfo, site: CallSite): Value {
    const dotted = dottedName(path, level, from);
    if (dotted === undefined) return this.fail(`relative import beyond the top-level package (${'.'.repeat(level)}${path.join('.')})`, site);
    return this.load(dotted, site) ?? this.fail(`cannot resolve import '${level ? '.'.repeat(level) : ''}${path.join('.')}'`, site);
  }

  /**
   * `from module import names` at the top level of a module whose globals may hold pending names: whether that
   * module is a lazy package's module still waiting that binds them all (they may then be bound pending).
   */
  waitingModule(path: string[], level: number, from: ModuleInfo, names: string[]): boolean {
    const dotted = dottedName(path, level, from);
    if (dotted === undefined || this.loaded.has(dotted)) return false;
    const pkg = this.lazyPackages.get(dotted.slice(0, Math.max(0, dotted.lastIndexOf('.'))));
    return !!pkg?.waiting(dotted, names);
  }

  /** Whether `name` of a lazy package is bound when its module, not run yet, runs (it may be imported pending). */
  waits(mod: Value, name: string): boolean {
    return isObj(mod) && mod.k === 'module' && mod.attrs instanceof ExportsMap && mod.attrs.waits(name);
  }

  private fail(reason: string, site: CallSite): Value {
    if (!this.failed.has(reason)) {
      this.failed.add(reason);
      this.interp.note(site.line, reason);
    }
    return unknown(reason, site.line);
  }

  /** The module with that dotted name, loading it (and nothing more) on first use. */
  load(dotted: string, site: CallSite): PyModule | undefined {
    const top = dotted.split('.')[0];
    // the engine's own modules and what is found nowhere are listed for the analysed file's imports only
    const own = site.file === this.interp.mainFile;
    const cached = this.loaded.get(dotted);
    if (cached) {
      // what is cached but not listed is a built-in module another file imported first
      if (own && !this.origins.has(top)) this.noteOrigin(top, { name: top, origin: 'modelled' });
      return cached;
    }
    // as Python's import system: a package runs before its submodules (`from torchvision.models.detection.faster_rcnn
    // import …` first runs torchvision.models.detection, whose attributes the file reads next)
    const dot = dotted.lastIndexOf('.');
    if (dot > 0 && !this.loaded.has(dotted.slice(0, dot))) {
      this.load(dotted.slice(0, dot), site);
      const byParent = this.loaded.get(dotted);
      if (byParent) return byParent;
    }
    const b = this.builtin(dotted);
    if (b) {
      if (own) this.noteOrigin(top, { name: top, origin: 'modelled' });
      this.builtinNames.add(dotted);
      this.remember(dotted, b);
      return b;
    }
    const rel = dotted.split('.').join('/');
    const fromBundle = this.bundledOnly(top);
    const installed = fromBundle || this.hasOwn(top) ? undefined : this.installed(top);
    const folders = fromBundle ? [BUNDLED_ROOT] : installed ? [...this.roots, installed.path] : this.roots;
    for (const root of folders) {
      for (const [candidate, isPkg] of [[join(root, `${rel}.py`), false], [join(root, rel, '__init__.py'), true]] as const) {
        const src = fromBundle ? this.bundled.readFile(candidate) : this.host.readFile(candidate);
        if (src === undefined) continue;
        this.noteFound(top, root, installed);
        const mod = this.execute(dotted, candidate, src, isPkg, site);
        if (fromBundle) this.bundled.afterLoad(dotted, mod.attrs);
        return mod;
      }
    }
    // a folder without __init__.py is a namespace package: its attributes are its submodules
    const nsRoot = fromBundle ? undefined : folders.find((root) => this.host.isDirectory?.(join(root, rel)));
    if (nsRoot !== undefined) {
      this.noteFound(top, nsRoot, installed);
      return this.namespace(dotted, site);
    }
    if (own) this.noteOrigin(top, { name: top, origin: 'missing' });
    return undefined;
  }

  /** Where the imported top-level packages were found, in import order. */
  packageOrigins(): PackageOrigin[] {
    return [...this.origins.values()];
  }

  private noteFound(top: string, root: string, installed: SearchPath | undefined): void {
    if (root === BUNDLED_ROOT) {
      const shadowed = this.installed(top)?.path;
      this.noteOrigin(top, { name: top, origin: 'bundled', version: this.bundled.version(top), ...(shadowed ? { shadows: shadowed } : {}) });
    } else if (installed && root === installed.path) {
      this.noteOrigin(top, { name: top, origin: 'installed', path: root, source: installed.source, ...(installed.env ? { env: installed.env } : {}) });
    } else this.noteOrigin(top, { name: top, origin: 'workspace', path: root });
  }

  /** The first answer for a package stays, except that finding it replaces an earlier miss (`a.b` missing, `a` found). */
  private noteOrigin(top: string, origin: PackageOrigin): void {
    const known = this.origins.get(top);
    if (!known || (known.origin === 'missing' && origin.origin !== 'missing')) this.origins.set(top, origin);
  }

  describe(file: string): string {
    const bundled = this.bundled.describe(file);
    if (bundled) return `${relativeTo(BUNDLED_ROOT, file)} of ${bundled}`;
    const own = this.roots.map((root) => relativeTo(root, file)).find((rel) => rel !== undefined);
    if (own !== undefined) return own;
    const sp = this.searchPaths.find((p) => relativeTo(p.path, file) !== undefined);
    return sp ? `${relativeTo(sp.path, file)} (installed in ${sp.path})` : file;
  }

  isInstalledLibrary(file: string): boolean {
    // an environment's site-packages (a workspace's .venv too); folders added by hand may hold the user's own code
    return this.searchPaths.some((p) => p.source !== 'flag' && p.source !== 'setting' && relativeTo(p.path, file) !== undefined);
  }

  /** Whether a file is in the Python environment's folders (an installed package, or one a path given by hand holds). */
  private onSearchPath(file: string): boolean {
    return this.searchPaths.some((p) => relativeTo(p.path, file) !== undefined);
  }

  /** Whether `folder` holds a module, package or folder named `top`. */
  private holds(folder: string, top: string): boolean {
    return this.host.readFile(join(folder, `${top}.py`)) !== undefined
      || this.host.readFile(join(folder, top, '__init__.py')) !== undefined || !!this.host.isDirectory?.(join(folder, top));
  }

  /** Whether the roots (the workspace) hold their own copy of a package. */
  private hasOwn(top: string): boolean {
    let own = this.ownCopy.get(top);
    if (own === undefined) {
      own = this.roots.some((root) => this.holds(root, top));
      this.ownCopy.set(top, own);
    }
    return own;
  }

  /** The first search-path folder that holds `top`, as Python's sys.path order decides. */
  private installed(top: string): SearchPath | undefined {
    let at = this.installedAt.get(top);
    if (at === undefined) {
      at = this.searchPaths.find((p) => this.holds(p.path, top)) ?? null;
      this.installedAt.set(top, at);
    }
    return at ?? undefined;
  }

  /** A bundled package is read only when neither the roots nor the Python environment hold one of that name (a preferred one: the roots). */
  private bundledOnly(top: string): boolean {
    return this.bundled.has(top) && !this.hasOwn(top) && (this.bundled.preferred(top) || !this.installed(top));
  }

  private namespace(dotted: string, site: CallSite): PyModule {
    const mod: PyModule = { k: 'module', name: dotted, attrs: new Map() };
    this.loadsSubmodules(mod, site);
    this.remember(dotted, mod);
    return mod;
  }

  /** Submodules of a package are importable as its attributes. */
  loadsSubmodules(mod: PyModule, site: CallSite): void {
    this.lazySites.set(mod, site);
    // made before it is assigned: see eslint.config.mjs, pretenured closures
    const submodule: PyModule['getattr'] = (name) => this.load(`${mod.name}.${name}`, site);
    mod.getattr = submodule;
  }

  /** The import site a package's submodules are loaded for (undefined: not a package). */
  submoduleSite(mod: PyModule): CallSite | undefined {
    return this.lazySites.get(mod);
  }

  /** A built-in module by dotted name, as an import would give it (undefined: none of that name). */
  builtinModule(dotted: string): PyModule | undefined {
    return this.builtin(dotted);
  }

  /** What an import snapshot keeps of the loader: every loaded module (in order) and what it found out. */
  state(): LoaderState {
    return {
      loaded: [...this.loaded], builtin: new Set(this.builtinNames), failed: new Set(this.failed), ownCopy: new Map(this.ownCopy),
      installedAt: new Map(this.installedAt), origins: new Map(this.origins), sysModules: [...this.interp.sysModules.map],
    };
  }

  /** Puts back what `state()` gave (with the modules copied into this analysis). */
  restore(state: LoaderState): void {
    const set = <K, V>(to: Map<K, V> | Set<K>, from: Map<K, V> | Set<K>) => {
      to.clear();
      for (const e of from) if (to instanceof Map) to.set(...(e as [K, V])); else to.add(e as K);
    };
    set(this.loaded, new Map(state.loaded));
    set(this.builtinNames, state.builtin);
    set(this.failed, state.failed);
    set(this.ownCopy, state.ownCopy);
    set(this.installedAt, state.installedAt);
    set(this.origins, state.origins);
    set(this.interp.sysModules.map, new Map(state.sysModules));
  }

  private execute(dotted: string, file: string, src: string, isPkg: boolean, site: CallSite): PyModule {
    const info: ModuleInfo = { name: dotted, file, pkg: isPkg ? dotted : dotted.split('.').slice(0, -1).join('.') };
    const bundled = relativeTo(BUNDLED_ROOT, file) !== undefined;
    const files: PackageFiles = bundled
      ? { read: (path) => this.bundled.readFile(path), stamp: (path) => this.bundled.stamp(path) }
      : { read: (path) => this.host.readFile(path), stamp: (path) => this.host.stamp?.(path) };
    const lazyOk = this.lazyRegistries && (bundled || this.onSearchPath(file));
    const lazy = isPkg && lazyOk ? this.lazyPlan(dotted, file, src, files) : undefined;
    const pkg = lazy && new LazyPackage(dotted, lazy.plan, {
      load: (d) => this.load(d, site),
      starNames: (m) => this.interp.starNames(m, site),
      origins: () => this.origins.size,
      attr: (m, name) => this.interp.getattrOrUndefined(m, name, site),
      ...(lazy.plain ? { plainScan: (short: string) => this.plainScan(file, short, files) } : {}),
    });
    if (pkg) this.lazyPackages.set(dotted, pkg);
    // an installed module's imports of names whose modules wait may leave them pending (`lazy-globals.ts`)
    const globals = pkg ? pkg.namespace : lazyOk ? new LazyGlobals() : new Map<string, Value>();
    const mod: PyModule = { k: 'module', name: dotted, attrs: globals };
    if (isPkg) this.loadsSubmodules(mod, site);
    this.remember(dotted, mod);
    this.interp.stopIfAsked();
    const ast = parseCached(file, src, true);
    const before = this.interp.notes.length;
    const parent = this.lazyPackages.get(dotted.slice(0, Math.max(0, dotted.lastIndexOf('.'))));
    const finish = parent?.starting(dotted);
    this.interp.runModule(ast.body, info, globals);
    // a statement of the module that raised (Python's import would fail): an error at the importing line,
    // naming the place it was raised, never silence
    const raised = this.interp.notes.slice(before).find((n) => n.error && n.file === file);
    finish?.(mod, !!raised);
    if (raised) this.interp.note(site.line, raised.message, true, raised.origin ?? { file, line: raised.line });
    if (pkg && lazy) pkg.finishInit(lazy.registry === undefined ? undefined : this.load(`${dotted}.${lazy.registry}`, site));
    return mod;
  }
}
