// Where the engine runs for the editor. On the desktop (Node extension host) it runs in a worker
// thread, so a long analysis never blocks the extension host, and the worker reads the files the
// imports name from the disk itself; in VS Code for the Web the extension host is already a web
// worker and the engine runs in it directly (createAnalyzer.ts picks, per build). Either way an analysis
// is one request: the document's text plus the open documents it may import, and the answer is the
// report plus the files it asked for that could not be read (the caller loads them and asks again).
// A worker's report comes in two messages: the report with its inlay hints, then its heavy fields; the
// hints are handed out at the first (`early`), the report at the second.
import * as vscode from 'vscode';
import type { AnalyzeOptions } from '../engine/analyze';
import type { CellSource } from '../engine/notebook/ipynb';
import type { FileReport } from '../engine/report/types';
import type { DisplayOptions } from './format';
import { noteHintItems } from './hintItems';
import type { AnalysisFigures, AnalysisReply, AnalysisRequest, AnalysisRest, EarlyHints, PrefetchRequest, SnapshotPlace, StopRequest, WorkerStart } from './analysisProtocol';
import { epochMs } from './latency';
import { LatestQueue } from './latestQueue';
import { joinReport } from './lazyReport';
import { noteDefaultMemory } from './memoryText';

export interface Analyzer extends vscode.Disposable {
  /** True when analyses run off the extension host's thread: then a change is analysed at once. */
  readonly inBackground: boolean;
  /**
   * The report of `content`; undefined when a newer request for the same file came before this one
   * started (only the newest version of a document is worth analysing). `disk`: the worker may read
   * files that `files` lacks from the disk. `hints`: the inlay hints' settings, for which a worker makes the
   * report's hint items, and `early`, called with them (and the report, whose heavy fields are not there
   * yet: read none) as soon as they come. `background`: a document nobody is looking at, analysed after
   * every other waiting request.
   */
  analyse(
    file: string, content: string | CellSource[], options: Omit<AnalyzeOptions, 'host'>, files: Map<string, string | null>, disk?: boolean,
    python?: AnalysisRequest['python'], hints?: HintRequest, background?: boolean,
  ): Promise<AnalysisReply | undefined>;
  /** Starts the engine afresh, with nothing kept in memory, as a new window does (the editor benchmark). */
  renew?(): void;
  /** What each new worker prefetches before its first request (workerPrefetch.ts); none without a worker. */
  prefetch?(p: PrefetchRequest['prefetch']): void;
}

/** What the inlay hints are shown with, and who takes them before the rest of the report has come. */
export interface HintRequest {
  display: DisplayOptions;
  early?: (hints: EarlyHints) => void;
}

/** How long one analysis may take before the worker is restarted (the step budget usually ends it first). */
const TIMEOUT_MS = 20_000;
/** How long a worker asked to stop may take to store what its last analysis took (timm: ~0.5 s of CPU). */
const STOP_MS = 10_000;
/**
 * The worker's young generation (a third of it is where new objects go): room for what one analysis of a
 * 2,000-line file allocates (~20 MB), or a few of a typical file's, so that its garbage is collected between
 * analyses (workerGc.ts).
 * V8 grows it only as far as it is used.
 */
const YOUNG_GENERATION_MB = 192;

/**
 * Runs the engine in a Node worker thread (desktop), one request at a time, only the newest per file
 * (LatestQueue). Files are sent once and then only when they change.
 */
export class WorkerAnalyzer implements Analyzer {
  readonly inBackground = true;
  private worker: import('node:worker_threads').Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, {
    resolve: (r: AnalysisReply) => void; timer: ReturnType<typeof setTimeout>; file: string; early?: HintRequest['early']; waited: number;
    /** Called at the reply's first message: the next request may be posted (the worker posts this one's rest first). */
    answered: () => void;
  }>();
  /** Replies whose heavy fields (AnalysisRest) have not come yet, with where those go. */
  private readonly awaitingRest = new Map<number, { reply: AnalysisReply; bytes: { rest?: Uint8Array } }>();
  /** Replies whose figures (AnalysisFigures) have not come yet. */
  private readonly awaitingFigures = new Map<number, { report: FileReport; done: () => void }>();
  /** What the worker holds, so that only changes are sent. */
  private sent = new Map<string, string | null>();
  /**
   * One request at a time, the next posted once the worker's first message for this one has come (its rest, held back
   * while the hints reach the editor, then comes before the next reply): `whole` is the reply, once the rest has come.
   */
  private readonly queue = new LatestQueue<{ whole: Promise<AnalysisReply> }>();
  /** The exit of a worker asked to stop (`renew`): the next one starts after it, so it reads what that one stored. */
  private stopping: Promise<void> | undefined;
  /** Set by dispose(): no worker starts after it. */
  private disposed = false;
  /** Given to each new worker as it starts (`prefetch`). */
  private prefetched: PrefetchRequest['prefetch'] | undefined;
  /**
   * Per worker: what tells it, while it runs imports again in full for a snapshot, to give way: [0] it is to stop,
   * [1] the requests posted to it.
   */
  private readonly signals = new WeakMap<import('node:worker_threads').Worker, Int32Array>();

  /** `snapshots`: where the worker keeps import snapshots across windows (none: in memory only). */
  constructor(private readonly script: string, private readonly snapshots?: SnapshotPlace) {}

  /** Starts the worker thread (at activation, so that loading it overlaps with opening the first file). */
  start(): import('node:worker_threads').Worker {
    if (this.worker) return this.worker;
    // Loaded lazily so that the browser build never evaluates it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    // when this worker was asked for and came online (epoch ms), for its replies' timings
    const started: Pick<WorkerStart, 'spawnedAt' | 'onlineAt'> = { spawnedAt: epochMs(), onlineAt: 0 };
    const signal = new SharedArrayBuffer(8);
    const w = new Worker(this.script, {
      workerData: { snapshots: this.snapshots, signal, prefetch: this.prefetched }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.signals.set(w, new Int32Array(signal));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { deserialize } = require('node:v8') as typeof import('node:v8');
    w.once('online', () => { started.onlineAt = epochMs(); });
    w.on('message', (m: (AnalysisReply & { id: number }) | AnalysisRest | AnalysisFigures) => {
      if ('rest' in m) return this.noteRest(m);
      if (!('report' in m)) return this.noteFigures(m);
      this.awaitingRest.delete(m.id);
      this.pending.get(m.id)?.answered();
      const { restFollows, ...reply } = m;
      if (reply.timings?.sentAt) reply.timings = { ...reply.timings, transfer: epochMs() - reply.timings.sentAt, ...started };
      reply.figures = new Promise((done) => this.awaitingFigures.set(m.id, { report: reply.report, done }));
      if (!restFollows) return this.settle(m.id, reply);
      const bytes: { rest?: Uint8Array } = {};
      reply.report = joinReport(reply.report, () => {
        // the report is handed out (settle) only once its rest has come; `early` takers read no heavy field
        if (!bytes.rest) throw new Error('a heavy field of the report was read before it came from the analysis worker');
        return deserialize(bytes.rest);
      });
      if (reply.hints) {
        noteHintItems(reply.report, reply.hints);
        // a report that misses imported files is followed by another analysis: its hints are not the document's
        if (!reply.misses.length) this.pending.get(m.id)?.early?.({ report: reply.report, hints: reply.hints });
      }
      this.awaitingRest.set(m.id, { reply, bytes });
    });
    w.on('error', (e) => { if (this.worker === w) this.restart(`the analysis worker failed: ${e.message}`); });
    w.on('exit', () => { if (this.worker === w) this.restart('the analysis worker stopped'); });
    this.worker = w;
    this.sent = new Map();
    return w;
  }

  private noteRest(r: AnalysisRest): void {
    const waiting = this.awaitingRest.get(r.id);
    if (!waiting) return;
    this.awaitingRest.delete(r.id);
    waiting.bytes.rest = r.rest;
    this.settle(r.id, waiting.reply);
  }

  private noteFigures(f: AnalysisFigures): void {
    const waiting = this.awaitingFigures.get(f.id);
    if (!waiting) return;
    this.awaitingFigures.delete(f.id);
    f.memory.forEach((memory, i) => {
      const model = waiting.report.models[i];
      if (memory && model) noteDefaultMemory(model, memory);
    });
    waiting.done();
  }

  private settle(id: number, reply: AnalysisReply): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.answered();
    if (reply.timings) reply.timings.waited = p.waited;
    p.resolve(reply);
  }

  /** `gently`: the worker finishes what follows its last reply (an import snapshot stored to disk) before it exits. */
  private restart(why: string, gently = false): void {
    const w = this.worker;
    this.worker = undefined;
    if (w && gently) {
      this.stopping = new Promise((exited) => {
        const timer = setTimeout(() => void w.terminate(), STOP_MS);
        timer.unref?.();
        w.once('exit', () => {
          clearTimeout(timer);
          exited();
        });
        // a snapshot's table still being stored is waited for; imports run again in full (seconds) are not
        const signal = this.signals.get(w);
        if (signal) Atomics.store(signal, 0, 1);
        w.postMessage({ stop: true } satisfies StopRequest);
      });
    } else void w?.terminate();
    this.awaitingRest.clear();
    for (const [id, p] of this.pending) this.settle(id, failed(p.file, why));
    // figures that will not come: the views compute them from the report
    for (const f of this.awaitingFigures.values()) f.done();
    this.awaitingFigures.clear();
  }

  analyse(
    file: string, content: string | CellSource[], options: Omit<AnalyzeOptions, 'host'>, files: Map<string, string | null>, disk = false,
    python?: AnalysisRequest['python'], hints?: HintRequest, background = false,
  ): Promise<AnalysisReply | undefined> {
    const asked = performance.now();
    return this.queue.push(file, () => this.send(file, content, options, files, disk, python, hints, asked), background)
      .then((posted) => posted?.whole);
  }

  /** Posts the request; resolves at the reply's first message, with the whole reply to come. */
  private async send(file: string, content: string | CellSource[], options: Omit<AnalyzeOptions, 'host'>, files: Map<string, string | null>, disk: boolean, python: AnalysisRequest['python'], hints: HintRequest | undefined, asked: number): Promise<{ whole: Promise<AnalysisReply> }> {
    await this.stopping;
    this.stopping = undefined;
    const worker = this.start();
    const updates: Array<[string, string | null]> = [];
    for (const [path, t] of files) if (this.sent.get(path) !== t) { updates.push([path, t]); this.sent.set(path, t); }
    // a document closed without saving: the worker reads the file again
    const forget = [...this.sent.keys()].filter((path) => !files.has(path));
    for (const path of forget) this.sent.delete(path);
    const id = this.nextId++;
    const request: AnalysisRequest = { id, file, content, options, updates, forget, disk, python, display: hints?.display, postedAt: epochMs() };
    const waited = performance.now() - asked;
    let answered = () => {};
    const first = new Promise<void>((r) => { answered = r; });
    const whole = new Promise<AnalysisReply>((resolve) => {
      const timer = setTimeout(() => this.restart(`the analysis took longer than ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
      this.pending.set(id, { resolve, timer, file, early: hints?.early, waited, answered });
      const signal = this.signals.get(worker);
      if (signal) Atomics.add(signal, 1, 1);
      worker.postMessage(request);
    });
    await first;
    return { whole };
  }

  /**
   * Given to each new worker with its start (it prefetches before its warm-up), and posted to the running one, which
   * ignores it once it has had a request.
   */
  prefetch(p: PrefetchRequest['prefetch']): void {
    this.prefetched = p;
    this.worker?.postMessage({ prefetch: p } satisfies PrefetchRequest);
  }

  renew(): void {
    this.restart('a new analysis worker was asked for', true);
    // the new one starts once the old one has exited (it reads what that one stored), as at activation: it warms
    // up while no request waits for it (workerWarmUp.ts)
    const stopping = this.stopping;
    const start = () => {
      if (this.stopping !== stopping || this.disposed) return;
      this.stopping = undefined;
      this.start();
    };
    if (stopping) void stopping.then(start);
    else start();
  }

  dispose(): void {
    this.disposed = true;
    this.queue.clear();
    this.restart('ConvLens is shutting down', true);
  }
}

function failed(file: string, why: string): AnalysisReply {
  const report: FileReport = { file, models: [], diagnostics: [{ line: 1, severity: 'warning', code: 'internal-error', message: `ConvLens could not analyse this file: ${why}.` }] };
  return { report, misses: [], read: [] };
}
