// What a new analysis worker prefetches while no request waits for it (analysisWorker.ts): the installed packages
// the workspace's Python files import, so that their modules' parses (timm's ~4 MB: about half of a cold timm
// analysis) are in memory before the user opens a file that imports them (and on disk through the parse store
// after its analysis's reply).
// The workspace is read cheaply and within bounds: at most PREFETCH_FILES `.py`/`.ipynb` files, found by a walk that
// skips hidden folders, environments and installed packages, and only their import lines (importLines.ts). Only
// packages found in the environment's folders are imported (never the workspace's own modules, which are the
// user's code, nor the standard library, which is not there): each as an analysis of `import <package>`, which any
// analysis of a file importing it runs anyway. Its report is dropped; it gives up at once when `giveWay` says so.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../engine/notebook/analyze-notebook';
import type { PythonEnvironment } from '../engine/python/env/discover';
import { Interrupted } from '../engine/python/values';
import { hostOf, type Disk } from './analysisProtocol';
import { importedPackages, notebookCode } from './importLines';
import { fsPath } from './workerDisk';

/** How many Python files of the workspace are scanned, and how many folders the walk opens to find them. */
export const PREFETCH_FILES = 200;
const FOLDERS = 1_000;
/** How deep the walk goes below a workspace folder. */
const DEPTH = 8;
/** What is read of a file: a `.py`'s head (imports come first), a whole notebook (its JSON holds them anywhere). */
const PY_BYTES = 64 * 1024;
const NOTEBOOK_BYTES = 2 * 1024 * 1024;
/** How many packages are imported, the most often named first. */
export const PREFETCH_PACKAGES = 8;
/** Folders of installed or generated code, never the user's. */
const SKIPPED = new Set(['node_modules', 'site-packages', 'dist-packages', '__pycache__', 'build', 'dist']);

/** The head of a file, up to `bytes` (undefined when it cannot be read). */
function head(path: string, bytes: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.toString('utf8', 0, n);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const isEnvironment = (names: string[]) => names.includes('pyvenv.cfg') || names.includes('conda-meta');

/**
 * The packages the workspace's Python files import, by how many files name them (most first), and the names of
 * the workspace's own modules and packages (its `.py` files' stems and its folders' names).
 */
export function workspaceImports(roots: string[]): { packages: string[]; own: Set<string>; files: number } {
  const counts = new Map<string, number>();
  const own = new Set<string>();
  let files = 0;
  let folders = 0;
  const walk = (dir: string, depth: number): void => {
    if (files >= PREFETCH_FILES || folders >= FOLDERS || depth > DEPTH) return;
    folders++;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    if (depth > 0 && isEnvironment(names)) return;
    const subdirs: string[] = [];
    for (const name of names) {
      if (files >= PREFETCH_FILES) return;
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      const notebook = name.endsWith('.ipynb');
      if (!notebook && !name.endsWith('.py')) {
        if (!SKIPPED.has(name) && statSync(path, { throwIfNoEntry: false })?.isDirectory()) subdirs.push(name);
        continue;
      }
      files++;
      if (!notebook) own.add(name.slice(0, -3));
      const text = head(path, notebook ? NOTEBOOK_BYTES : PY_BYTES);
      if (text === undefined) continue;
      for (const p of importedPackages(notebook ? notebookCode(text) : text)) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    for (const name of subdirs) {
      own.add(name);
      walk(join(dir, name), depth + 1);
    }
  };
  for (const root of roots) walk(root, 0);
  const packages = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([p]) => p);
  return { packages, own, files };
}

/** Whether `name` is a package or module in one of the environment's folders. */
function installed(name: string, env: PythonEnvironment): boolean {
  return env.paths.some(({ path }) => statSync(join(fsPath(path), name), { throwIfNoEntry: false })?.isDirectory()
    || statSync(join(fsPath(path), `${name}.py`), { throwIfNoEntry: false })?.isFile());
}

/**
 * The installed packages the workspace imports (see the head comment), at most PREFETCH_PACKAGES. `roots` and the
 * environment's folders are VS Code's paths (`/c:/x` on Windows), read here with Node's own calls.
 */
export function packagesToPrefetch(roots: string[], env: PythonEnvironment): { packages: string[]; files: number } {
  const found = workspaceImports(roots.map(fsPath));
  const packages = found.packages.filter((p) => !found.own.has(p) && installed(p, env)).slice(0, PREFETCH_PACKAGES);
  return { packages, files: found.files };
}

/**
 * Imports each package in an analysis whose report is dropped: the packages whose import ran to its end (`failed`:
 * those whose import reported an error; the user's analysis will say it where it matters).
 */
export function prefetchPackages(
  packages: string[], root: string, disk: Disk, env: PythonEnvironment, giveWay: () => boolean,
): { done: string[]; failed: string[]; givenUp: boolean } {
  const done: string[] = [];
  const failed: string[] = [];
  const host = hostOf(new Map(), new Set(), disk);
  for (const p of packages) {
    if (giveWay()) return { done, failed, givenUp: true };
    try {
      const report = analyzeDocument(join(root, '__convlens_prefetch__.py'), `import ${p}\n`, { root, host, python: env, interrupt: giveWay });
      (report.diagnostics.some((d) => d.severity === 'error') ? failed : done).push(p);
    } catch (e) {
      if (e instanceof Interrupted) return { done, failed, givenUp: true };
      failed.push(p);
    }
  }
  return { done, failed, givenUp: false };
}
