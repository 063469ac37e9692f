// Installed packages parsed ahead on a second thread (Node: the CLI, the editor's analysis worker). A first-ever
// analysis of a timm file parses ~94 modules (lezer and the converter warming up: ~half of it) while the
// interpreter runs each one's top level as soon as it has its AST; the helper (`parse-helper.ts`) parses and scans
// the modules the imports will ask for next, in the order Python runs them, and posts each as the parse store's
// JSON. This store hands them to the engine as if read from disk, checked against the text read here (length and
// hash); anything else (no helper, another text, not parsed yet, a helper that failed) is parsed here as before,
// so a report never depends on it. Where no thread can be made (the web build) nothing of this is loaded.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Module } from '../python/ast';
import { importTargets, type ImportTarget } from '../python/import-targets';
import { encodeModule, textHash, type ParseStore, type StoredKind } from '../python/parse-store';

/** How long the engine waits for an item it asked the helper for before it makes it itself. */
const WAIT_MS = 1_000;

/** A stored item's key: its kind and the module's path. */
export const itemKey = (kind: StoredKind, path: string): string => `${kind}\0${path}`;

/** What the helper posts: an item it made (for a text of that length and hash), or one it could not make. */
export type FromHelper = { done: string; length: number; hash: string; json: string | undefined } | { failed: string };
/**
 * What it is told: a package's folder to start from (a bundled one's texts by path under its root), an item the
 * engine waits for (made next), and what a module parsed here imports (it goes on from there).
 */
export type ToHelper = { package: string; files?: Record<string, string> } | { need: string } | { imports: string; targets: ImportTarget[] };

/** A store that flushes what it kept (the disk's). */
export type FlushingStore = ParseStore & { flush(giveWay?: () => boolean): void };

export class ParseAhead implements ParseStore {
  private port: MessagePort | undefined;
  private worker: Worker | undefined;
  /** Bumped by the helper after each message: the engine waiting for an item sleeps on it. */
  private readonly seq = new Int32Array(new SharedArrayBuffer(4));
  /** The packages' folders the helper was told about (their items are asked of it). */
  private readonly packages = new Set<string>();
  private readonly done = new Map<string, Extract<FromHelper, { done: string }> | undefined>();
  /** Items taken from the helper, made here, and the time spent waiting for it (benchmarks, tests). */
  readonly stats = { taken: 0, here: 0, waitedMs: 0 };

  /** The helper starts at once: its thread and bundle load while the engine starts. */
  constructor(private readonly script: string, private readonly inner: FlushingStore | undefined) {
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(this.script, { workerData: { port: port2, seq: this.seq.buffer }, transferList: [port2] });
    // the helper never keeps a process alive, and one that fails only leaves the parsing here
    this.worker.unref();
    this.worker.on('error', () => this.stop());
    this.port = port1;
  }

  load<T>(kind: StoredKind, path: string, text: string, decode: (json: string) => T): T | undefined {
    const kept = this.inner?.load(kind, path, text, decode);
    if (kept !== undefined) return kept;
    const json = this.take(itemKey(kind, path), path, text);
    if (json !== undefined) {
      try {
        const value = decode(json);
        // kept on disk as if made here (a parse with the bodies read by the time it is written)
        this.inner?.save(kind, path, text, kind === 'parse' ? () => encodeModule(value as Module) : () => json);
        this.stats.taken++;
        return value;
      } catch {
        // what the helper made does not decode: made here
      }
    }
    this.stats.here++;
    return undefined;
  }

  save(kind: StoredKind, path: string, text: string, encode: () => string | undefined): void {
    this.inner?.save(kind, path, text, encode);
  }

  parsed(path: string, module: Module): void {
    if (this.covers(path)) this.send({ imports: path, targets: importTargets(module) });
  }

  packageFound(dir: string, files?: Record<string, string>): void {
    if (this.packages.has(dir) || !this.port) return;
    // a package whose __init__ the disk holds was parsed by an earlier run: its modules are read back, not parsed
    const init = `${dir}/__init__.py`;
    let text = files?.[init.slice(dir.lastIndexOf('/') + 1)];
    try {
      text ??= readFileSync(init, 'utf8');
    } catch {
      return;
    }
    if (this.inner?.load('parse', init, text, (json) => json) !== undefined) return;
    this.packages.add(dir);
    this.send({ package: dir, files });
  }

  flush(giveWay?: () => boolean): void {
    this.inner?.flush(giveWay);
  }

  /** Stops the helper (what it made and was not taken is dropped). */
  stop(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.port = undefined;
  }

  private covers(path: string): boolean {
    if (!this.port) return false;
    for (const dir of this.packages) if (path.startsWith(`${dir}/`)) return true;
    return false;
  }

  /** The helper's JSON of the item for this text (asked for and waited for); undefined: make it here. */
  private take(key: string, path: string, text: string): string | undefined {
    if (!this.covers(path)) return undefined;
    this.drain();
    if (!this.done.has(key)) this.send({ need: key });
    const since = performance.now();
    const deadline = since + WAIT_MS;
    for (;;) {
      const seen = Atomics.load(this.seq, 0);
      this.drain();
      if (this.done.has(key)) break;
      const now = performance.now();
      if (now >= deadline || !this.port) break;
      Atomics.wait(this.seq, 0, seen, deadline - now);
    }
    this.stats.waitedMs += performance.now() - since;
    const r = this.done.get(key);
    this.done.delete(key);
    return r?.json !== undefined && r.length === text.length && r.hash === textHash(text) ? r.json : undefined;
  }

  private send(m: ToHelper): void {
    this.port?.postMessage(m);
  }

  private drain(): void {
    for (let m = this.port && receiveMessageOnPort(this.port); m; m = this.port && receiveMessageOnPort(this.port)) {
      const msg = m.message as FromHelper;
      if ('done' in msg) this.done.set(msg.done, msg);
      else this.done.set(msg.failed, undefined);
    }
  }
}

/**
 * The store the engine reads parses from: `inner` (the disk's, or none) with packages parsed ahead by
 * `dir`/parse-helper.js (the build puts it beside the CLI and the analysis worker); `inner` alone when that file
 * is missing or CONVLENS_NO_PARSE_AHEAD is set (to compare).
 */
export function withParseAhead(dir: string, inner: FlushingStore | undefined): FlushingStore | undefined {
  const script = join(dir, 'parse-helper.js');
  if (process.env.CONVLENS_NO_PARSE_AHEAD || !existsSync(script)) return inner;
  return new ParseAhead(script, inner);
}
