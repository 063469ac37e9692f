// The helper thread of parse-ahead-node.ts (dist/parse-helper.js): parses the modules of each installed package
// it is told about, with skipped bodies as imports parse them, depth first in the order their import statements
// come (the order Python runs them), and posts each as plain data with the text it read.
import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { nodeHost } from './node-host';
import { parseIncremental, plainModule } from '../python/parse';
import { importTargets, type ImportTarget } from '../python/parse-ahead';
import type { FromHelper, ToHelper } from './parse-ahead-node';

const { port, seq } = workerData as { port: MessagePort; seq: Int32Array };
/** Files to parse, next first. */
const queue: string[] = [];
const queued = new Set<string>();
const skip = new Set<string>();
/** The packages' folders: absolute imports are followed into these only (not into torch, which ConvLens models). */
const packages = new Set<string>();
let busy = false;

// the engine's paths ('/'-separated; on Windows the editor's '/c:/…' cannot be read here, and the engine parses)
const { dirname, join } = posix;
const isFile = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

/** The file of the module `path` under `base` (a package's __init__.py or a module), if there is one. */
function fileOf(base: string, path: string[]): string | undefined {
  const at = join(base, ...path);
  for (const f of [`${at}.py`, join(at, '__init__.py')]) if (isFile(f)) return f;
  return undefined;
}

/** The files of `targets` (what the file `file` imports) in the packages, in order. */
function imported(file: string, targets: ImportTarget[]): string[] {
  const out: string[] = [];
  for (const t of targets) {
    let f: string | undefined;
    if (t.level > 0) {
      let base = dirname(file);
      for (let i = 1; i < t.level; i++) base = dirname(base);
      f = fileOf(base, t.path);
    } else {
      const pkg = [...packages].find((p) => p.endsWith(`/${t.path[0]}`));
      if (pkg) f = fileOf(dirname(pkg), t.path);
    }
    if (f && !queued.has(f)) {
      queued.add(f);
      out.push(f);
    }
  }
  return out;
}

function post(m: FromHelper): void {
  port.postMessage(m);
  Atomics.add(seq, 0, 1);
  Atomics.notify(seq, 0);
}

function inbox(m: ToHelper): void {
  if ('skip' in m) skip.add(m.skip);
  else if ('imports' in m) queue.unshift(...imported(m.imports, m.targets));
  else if (!packages.has(m.package)) {
    packages.add(m.package);
    const init = join(m.package, '__init__.py');
    if (!queued.has(init)) {
      queued.add(init);
      queue.push(init);
    }
  }
  if (!busy) {
    busy = true;
    setImmediate(work);
  }
}

/** Parses the next file, then lets messages in before the one after. */
function work(): void {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) inbox(m.message as ToHelper);
  const file = queue.shift();
  if (file === undefined) {
    busy = false;
    return;
  }
  if (!skip.has(file)) {
    post({ started: file });
    const text = nodeHost.readFile(file);
    if (text === undefined) post({ failed: file });
    else {
      try {
        const { module } = parseIncremental(text, undefined, { lazyBodies: true });
        post({ done: file, text, plain: plainModule(module) });
        queue.unshift(...imported(file, importTargets(module)));
      } catch {
        post({ failed: file });
      }
    }
  }
  setImmediate(work);
}

port.on('message', inbox);
