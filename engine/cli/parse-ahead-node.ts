// The parser ahead on Node (the CLI, the editor's analysis worker): a helper thread (parse-helper.ts) parses
// an installed package's modules in the order the interpreter will import them and posts each module as plain
// data; the interpreter takes one synchronously (receiveMessageOnPort) when it imports it, waits when the
// helper is parsing it right then, and otherwise parses it itself and tells the helper to skip it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { moduleFromPlain, type PlainModule } from '../python/parse';
import { importTargets, setParseAhead, type ImportTarget, type ParseAhead } from '../python/parse-ahead';
import type { Module } from '../python/ast';

/** How long an import waits for the module the helper is parsing before it parses it itself. */
const WAIT_MS = 3_000;

/** What the helper posts: a module it starts on, one it parsed (with the text it read), one it could not. */
export type FromHelper = { started: string } | { done: string; text: string; plain: PlainModule } | { failed: string };
/**
 * What the helper is told: an installed package's folder, a module the interpreter parses itself, and what such
 * a module imports (the helper goes on from there).
 */
export type ToHelper = { package: string } | { skip: string } | { imports: string; targets: ImportTarget[] };

export class ThreadParseAhead implements ParseAhead {
  private port: MessagePort | undefined;
  private worker: Worker | undefined;
  /** Bumped by the helper after each message: an import waiting for a module sleeps on it. */
  private readonly seq = new Int32Array(new SharedArrayBuffer(4));
  private readonly packages = new Set<string>();
  private readonly started = new Set<string>();
  private readonly done = new Map<string, { text: string; plain: PlainModule } | undefined>();
  /** Modules taken from the helper, parsed here, and waited for (the benchmark's breakdown, tests). */
  readonly stats = { taken: 0, here: 0, waited: 0 };

  constructor(private readonly script: string) {}

  package(dir: string): void {
    if (this.packages.has(dir)) return;
    this.packages.add(dir);
    this.send({ package: dir });
  }

  /** How many modules parsed ahead wait to be taken (tests). */
  waiting(): number {
    this.drain();
    return this.done.size;
  }

  take(path: string, text: string): Module | undefined {
    if (!this.port) return undefined;
    let deadline: number | undefined;
    for (;;) {
      const seen = Atomics.load(this.seq, 0);
      this.drain();
      if (this.done.has(path)) {
        const r = this.done.get(path);
        this.done.delete(path);
        this.started.delete(path);
        if (!r || r.text !== text) break;
        this.stats.taken++;
        return moduleFromPlain(r.plain, text);
      }
      if (!this.started.has(path)) {
        this.send({ skip: path });
        break;
      }
      deadline ??= Date.now() + WAIT_MS;
      const left = deadline - Date.now();
      if (left <= 0) break;
      this.stats.waited++;
      Atomics.wait(this.seq, 0, seen, left);
    }
    this.stats.here++;
    return undefined;
  }

  parsedHere(path: string, module: Module): void {
    if (this.port && [...this.packages].some((p) => path.startsWith(`${p}/`))) this.send({ imports: path, targets: importTargets(module) });
  }

  /** Stops the helper (what it parsed and was not taken is dropped). */
  stop(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.port = undefined;
  }

  private send(m: ToHelper): void {
    if (!this.port) {
      const { port1, port2 } = new MessageChannel();
      this.worker = new Worker(this.script, { workerData: { port: port2, seq: this.seq }, transferList: [port2] });
      // the helper never keeps a process alive, and a helper that fails only leaves the parsing here
      this.worker.unref();
      this.worker.on('error', () => this.stop());
      this.port = port1;
    }
    this.port.postMessage(m);
  }

  private drain(): void {
    for (let m = this.port && receiveMessageOnPort(this.port); m; m = this.port && receiveMessageOnPort(this.port)) {
      const msg = m.message as FromHelper;
      if ('started' in msg) this.started.add(msg.started);
      else if ('done' in msg) this.done.set(msg.done, { text: msg.text, plain: msg.plain });
      else this.done.set(msg.failed, undefined);
    }
  }
}

/**
 * Parses installed packages ahead on a helper thread, from `dir`/parse-helper.js (the build puts it beside the
 * CLI and the analysis worker); nothing when that file is missing or CONVLENS_NO_PARSE_AHEAD is set (to compare).
 */
export function startParseAhead(dir: string): ThreadParseAhead | undefined {
  const script = join(dir, 'parse-helper.js');
  if (process.env.CONVLENS_NO_PARSE_AHEAD || !existsSync(script)) return undefined;
  const ahead = new ThreadParseAhead(script);
  setParseAhead(ahead);
  return ahead;
}
