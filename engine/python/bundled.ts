// Python packages shipped inside the engine (their original sources), read when the user's own copy
// is not found: the import system falls back to them package by package, never file by file, so an
// installed package is never mixed with a bundled one.
import { relativeTo } from './paths';
import type { Value } from './values';

export interface BundledPackage {
  /** The top-level import name (`torchvision`). */
  name: string;
  version: string;
  /** Sources by path inside the package's parent folder (`torchvision/models/resnet.py`). */
  files: Record<string, string>;
  /**
   * Read even when the Python environment holds the package (a workspace's own copy still wins): a stand-in
   * that models all that matters to ConvLens where the real code needs more Python than the interpreter has.
   */
  preferred?: boolean;
  /** The engine's own (a stand-in for a standard-library module, or for modules read under other names): never
   * listed among the packages a file imports. */
  hidden?: boolean;
  /** Runs after a bundled module's code (by dotted name): what the left-out files would have added. */
  afterLoad?: (dotted: string, globals: Map<string, Value>) => void;
}

/** The folder the bundled sources seem to live in: no real file is ever read there. */
export const BUNDLED_ROOT = '/convlens-bundled';

export class BundledPackages {
  private readonly byName = new Map<string, BundledPackage>();

  constructor(packages: BundledPackage[]) {
    for (const p of packages) this.byName.set(p.name, p);
  }

  afterLoad(dotted: string, globals: Map<string, Value>): void {
    this.byName.get(dotted.split('.')[0])?.afterLoad?.(dotted, globals);
  }

  has(topLevel: string): boolean {
    return this.byName.has(topLevel);
  }

  hidden(topLevel: string): boolean {
    return this.byName.get(topLevel)?.hidden === true;
  }

  preferred(topLevel: string): boolean {
    return this.byName.get(topLevel)?.preferred === true;
  }

  version(topLevel: string): string | undefined {
    return this.byName.get(topLevel)?.version;
  }

  readFile(path: string): string | undefined {
    const rel = relativeTo(BUNDLED_ROOT, path);
    return rel === undefined ? undefined : this.byName.get(rel.split('/')[0])?.files[rel];
  }

  /**
   * What identifies a bundled file's text (`FileSource.stamp`; undefined: no such file): it ships with the engine,
   * so what is made of it (a scan) is kept for the process, not made again per analysis.
   */
  stamp(path: string): string | undefined {
    const rel = relativeTo(BUNDLED_ROOT, path);
    const p = rel === undefined ? undefined : this.byName.get(rel.split('/')[0]);
    return p && rel !== undefined && p.files[rel] !== undefined ? `bundled ${p.name} ${p.version}` : undefined;
  }

  /** `the torchvision 0.14.1 bundled with ConvLens` for a file of a bundled package, else undefined. */
  describe(path: string): string | undefined {
    const rel = relativeTo(BUNDLED_ROOT, path);
    const p = rel === undefined ? undefined : this.byName.get(rel.split('/')[0]);
    return p && `the ${p.name} ${p.version} bundled with ConvLens`;
  }
}
