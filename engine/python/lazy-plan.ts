// Which modules of an installed (or bundled) package's `__init__` may run when asked for (`lazy-package.ts`),
// from scans of their texts, never a parse: the loader's plan, and what a parser ahead on another thread
// (`cli/parse-ahead.ts`) follows so that it does not parse the modules the loader will not run.
import { join } from './paths';
import { fromImports, scanCached, scanSubpackage, starImports, submoduleImports, type ModuleScan } from './registry-scan';

/** How a package's modules are read for its lazy plan, and what identifies their texts (scans are kept by it). */
export interface PackageFiles {
  read(path: string): string | undefined;
  stamp(path: string): string | undefined;
}

/** A lazy package's modules that may run when asked for, and the module whose registries are guarded. */
export interface LazyPlan {
  plan: Map<string, ModuleScan>;
  registry?: string;
}

/**
 * What of a package's `__init__` may run when asked for: its registry modules (`registryPlan`), else, when it
 * only imports names from its modules, the plain ones (`plainPlan`).
 */
export function lazyPlan(dotted: string, file: string, src: string, files: PackageFiles): LazyPlan | undefined {
  return registryPlan(dotted, file, src, files) ?? plainPlan(dotted, file, src, files);
}

/**
 * The plan of a package whose `__init__` star-imports modules that register models: the scans of those that
 * may run when asked for, when they share one registry module (undefined: nothing to defer).
 */
function registryPlan(dotted: string, file: string, src: string, { read, stamp }: PackageFiles): LazyPlan | undefined {
  const stars = starImports(src);
  if (stars.length < 2) return undefined;
  const dir = file.slice(0, file.lastIndexOf('/'));
  const plan = new Map<string, ModuleScan>();
  const registries = new Set<string>();
  for (const short of stars) {
    const path = join(dir, `${short}.py`);
    const scan = scanCached(path, stamp(path), () => read(path));
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
function plainPlan(dotted: string, file: string, src: string, { read, stamp }: PackageFiles): LazyPlan | undefined {
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
    plan.set(short, { names: [], exports: scan.declared ?? [], attached: [] });
  }
  const [registry] = registries;
  if (registries.size > 1 || (registry !== undefined && !/^\.\w+$/.test(registry))) return undefined;
  return plan.size ? { plan, registry: registry?.slice(1) } : undefined;
}
