// The helper thread of parse-ahead.ts (dist/parse-helper.js): from each installed package's `__init__` it is told
// about, parses the modules the interpreter will import, depth first in the order their import statements come
// (the order Python runs them), with function bodies skipped as imports parse them, and posts each as the parse
// store's JSON. A package's lazy plan (`lazy-plan.ts`, whose scans it posts too) says which modules its `__init__`
// defers: those are not parsed, but a name another module imports from the package leads to the module that
// defines it. Only a prediction: the engine checks every item against its own text and parses what is missing.
import { readFileSync, statSync } from 'node:fs';
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { importTargets, type ImportTarget } from '../python/import-targets';
import { lazyPlan } from '../python/lazy-plan';
import { parsePython } from '../python/parse';
import { encodeModule, setParseStore, textHash, type StoredKind } from '../python/parse-store';
import { fromImports, scanCached } from '../python/registry-scan';
import { itemKey, type FromHelper, type ToHelper } from './parse-ahead';

const { port, seq } = workerData as { port: MessagePort; seq: SharedArrayBuffer };
const counter = new Int32Array(seq);

interface Unit {
  file: string;
  dotted: string;
  isPkg: boolean;
}

/** Top-level package name → the folder that holds it (site-packages). */
const roots = new Map<string, string>();
/** Modules to parse, next first. */
const queue: Unit[] = [];
const queued = new Set<string>();
/** Items the engine waits for, first first. */
const needs: string[] = [];
/** Items posted (each once). */
const posted = new Set<string>();
/** Per package: the modules its `__init__` defers, and what names it imports from which module. */
const packages = new Map<string, { deferred: Set<string>; names: Map<string, string> }>();
const texts = new Map<string, string | undefined>();
let busy = false;

function read(file: string): string | undefined {
  if (!texts.has(file)) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
    texts.set(file, text);
  }
  return texts.get(file);
}

/** The folders of bundled packages: their files are the texts the engine sent, none on disk. */
const bundledRoots = new Set<string>();
const isFile = (path: string): boolean => (bundledRoots.has(path.slice(0, path.indexOf('/', 1)))
  ? texts.get(path) !== undefined
  : statSync(path, { throwIfNoEntry: false })?.isFile() ?? false);

function post(m: FromHelper): void {
  port.postMessage(m);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

function made(kind: StoredKind, path: string, text: string, json: string | undefined): void {
  const key = itemKey(kind, path);
  if (posted.has(key)) return;
  posted.add(key);
  post({ done: key, length: text.length, hash: textHash(text), json });
}

// the scans a lazy plan makes go to the engine as they are made
setParseStore({ load: () => undefined, save: (kind, path, text, encode) => made(kind, path, text, encode()) });

/** The module of that dotted name in a known package (undefined: none, or not a package parsed ahead). */
function unitOf(dotted: string): Unit | undefined {
  const root = roots.get(dotted.split('.')[0]);
  if (root === undefined) return undefined;
  const rel = dotted.split('.').join('/');
  if (isFile(`${root}/${rel}.py`)) return { file: `${root}/${rel}.py`, dotted, isPkg: false };
  if (isFile(`${root}/${rel}/__init__.py`)) return { file: `${root}/${rel}/__init__.py`, dotted, isPkg: true };
  return undefined;
}

/** The unit of a file under a known package's folder. */
function unitAt(file: string): Unit | undefined {
  for (const [top, root] of roots) {
    if (!file.startsWith(`${root}/${top}/`) && file !== `${root}/${top}.py`) continue;
    const rel = file.slice(root.length + 1).replace(/\.py$/, '');
    const isPkg = rel.endsWith('/__init__');
    return { file, dotted: (isPkg ? rel.slice(0, -'/__init__'.length) : rel).split('/').join('.'), isPkg };
  }
  return undefined;
}

/** The modules `unit`'s imports name, in order, that the interpreter will run (not queued yet). */
function follow(unit: Unit, targets: ImportTarget[]): Unit[] {
  const pkg = unit.isPkg ? unit.dotted : unit.dotted.split('.').slice(0, -1).join('.');
  const out: Unit[] = [];
  for (const t of targets) {
    const base = pkg.split('.');
    if (t.level > base.length) continue;
    const dotted = [...(t.level ? base.slice(0, base.length - (t.level - 1)) : []), ...t.path].join('.');
    const parent = dotted.slice(0, Math.max(0, dotted.lastIndexOf('.')));
    const short = dotted.slice(parent.length + 1);
    const plan = packages.get(parent);
    let next = unitOf(dotted);
    // a module its package's __init__ defers runs only when asked for
    if (next && plan?.deferred.has(short) && unit.dotted === parent && unit.isPkg) continue;
    // a name imported from a package: the module it comes from, when the package's __init__ says
    const from = !next && plan?.names.get(short);
    if (from) next = unitOf(`${parent}.${from}`);
    if (next && !queued.has(next.file)) {
      queued.add(next.file);
      out.push(next);
    }
  }
  return out;
}

/** A package's plan, made (its scans posted) before its `__init__`'s imports are followed, as the loader does. */
function planOf(unit: Unit, text: string): void {
  if (!unit.isPkg || packages.has(unit.dotted)) return;
  const plan = lazyPlan(unit.dotted, unit.file, text, { read, stamp: () => undefined });
  const names = new Map<string, string>();
  for (const line of fromImports(text) ?? []) if (line.names !== '*') for (const [as] of line.names) names.set(as, line.short);
  packages.set(unit.dotted, { deferred: new Set(plan?.plan.keys()), names });
}

function inbox(m: ToHelper): void {
  if ('need' in m) needs.push(m.need);
  else if ('imports' in m) {
    const unit = unitAt(m.imports);
    const text = unit && read(unit.file);
    if (unit && text !== undefined) {
      planOf(unit, text);
      queue.unshift(...follow(unit, m.targets));
    }
  } else {
    const top = m.package.slice(m.package.lastIndexOf('/') + 1);
    const root = m.package.slice(0, m.package.lastIndexOf('/'));
    if (!roots.has(top)) roots.set(top, root);
    if (m.files) {
      bundledRoots.add(root);
      for (const [rel, text] of Object.entries(m.files)) texts.set(`${root}/${rel}`, text);
    }
    // a package found now is imported now: before what was queued
    const init = unitOf(top);
    if (init && !queued.has(init.file)) {
      queued.add(init.file);
      queue.unshift(init);
    }
  }
  if (!busy) {
    busy = true;
    setImmediate(work);
  }
}

/** Parses a module (and queues what it imports) or makes a scan the engine asked for. */
function make(kind: StoredKind, file: string): void {
  try {
    const text = read(file);
    if (text === undefined) throw new Error('unreadable');
    if (kind !== 'parse') {
      if (kind === 'scan-plain') scanCached(file, undefined, () => text, true);
      else scanCached(file, undefined, () => text);
      return;
    }
    const unit = unitAt(file);
    if (unit) planOf(unit, text);
    const module = parsePython(text, { lazyBodies: true });
    made('parse', file, text, encodeModule(module));
    if (unit) queue.unshift(...follow(unit, importTargets(module)));
  } catch {
    const key = itemKey(kind, file);
    if (!posted.has(key)) {
      posted.add(key);
      post({ failed: key });
    }
  }
}

/** Makes the next item (what the engine waits for first), then lets messages in before the one after. */
function work(): void {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) inbox(m.message as ToHelper);
  let key = needs.shift();
  while (key !== undefined && posted.has(key)) key = needs.shift();
  if (key !== undefined) {
    const at = key.indexOf('\0');
    make(key.slice(0, at) as StoredKind, key.slice(at + 1));
  } else {
    const unit = queue.shift();
    if (!unit) {
      busy = false;
      return;
    }
    if (!posted.has(itemKey('parse', unit.file))) make('parse', unit.file);
  }
  setImmediate(work);
}

port.on('message', inbox);
