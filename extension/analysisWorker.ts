// The analysis worker (dist/analysis-worker.js): runs the engine off the extension host's main
// thread. It keeps the workspace files it was sent, and the engine's parse cache, between requests,
// and reads what else the imports name from the disk itself. The report goes with its inlay hints
// (hintItems.ts) first; its heavy fields follow in a second message once the hints are on their way
// (REST_DELAY_MS), as bytes the extension host decodes only when a view reads them (lazyReport.ts). Import snapshots go to the folder the
// extension names (its global storage), under ConvLens's version and this bundle's own stamp, so a
// rebuilt engine never reads what another build wrote. Garbage is collected between analyses (workerGc.ts).
import { serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { fileStamp } from '../engine/cli/node-files';
import { DiskSnapshotStore } from '../engine/cli/snapshot-store';
import { DiskParseStore } from '../engine/cli/parse-store-disk';
import { setParseStore } from '../engine/python/parse-store';
import type { FileReport } from '../engine/report/types';
import { discoverEnvironment } from '../engine/python/env/discover';
import type { AnalysisFigures, AnalysisRequest, AnalysisRest, PrefetchRequest, SnapshotPlace, StopRequest } from './analysisProtocol';
import { makeHintItems } from './hintItems';
import { epochMs } from './latency';
import { splitReport } from './lazyReport';
import { defaultMemories } from './memoryText';
import { WorkerAnalysis } from './workerAnalysis';
import { workerDisk } from './workerDisk';
import { IdleCollector, minorCollector } from './workerGc';
import { IdleTask } from './idleTask';
import { warmUpEngine } from './workerWarmUp';
import { packagesToPrefetch, prefetchPackages } from './workerPrefetch';
import { scheduleSince, threadId, threadSchedule } from './threadSchedule';

/** Lines for the output channel since the last reply. */
const log: string[] = [];
const data = workerData as { snapshots?: SnapshotPlace; signal?: SharedArrayBuffer; prefetch?: PrefetchRequest['prefetch'] } | null;
const place = data?.snapshots;
/**
 * Set by the extension: [0] when it asks this worker to stop, [1] counts the requests it posted (a message waits
 * until the reply's settle() is done; these are seen during it).
 */
const signal = data?.signal && new Int32Array(data.signal);
const store = place && new DiskSnapshotStore(place.dir, `${place.version}+${fileStamp(__filename)}`, (line) => log.push(line));
const parses = place?.parses === undefined ? undefined : new DiskParseStore(place.parses, `${place.version}+${fileStamp(__filename)}`, (line) => log.push(line));
setParseStore(parses);
const disk = workerDisk();
const analysis = new WorkerAnalysis(disk, store, true);
const collector = new IdleCollector(minorCollector());
/**
 * Each reply's figures (the CodeLens's memory: 4 ms of CPU for the typical file, 14 for 2,000 lines, 6–15% of an
 * analysis) are made once the worker has been idle FIGURES_IDLE_MS, so the next edit's analysis never waits for
 * them and a burst of typing makes them once, at its end; a request that comes first drops them (empty figures:
 * the CodeLens asks the newer report, or the extension computes them if that version is still shown). VS Code
 * asks for CodeLenses 250 ms or more after an edit, so they are there by then.
 */
const FIGURES_IDLE_MS = 150;
const figures = new IdleTask(FIGURES_IDLE_MS);
/**
 * The rest of a report (its heavy fields: 0.2–0.9 MB to encode, 3–11 ms of CPU) is posted REST_DELAY_MS after its
 * hints, or at once when the next request comes (it must arrive before that one's reply): its encoding, the report's
 * arrival on the extension host (diagnostics, CodeLens, status bar) and the collection after it then no longer take
 * the two cores from the extension host and the workbench while they carry the hints to the editor (~20–35 ms).
 */
const REST_DELAY_MS = 40;
const restTask = new IdleTask(REST_DELAY_MS);
const postFigures = (f: AnalysisFigures) => parentPort?.postMessage(f);
/**
 * Imports run again in full for a snapshot (`ImportCache.later`: timm's ~280 modules, 1–3 s of CPU, the first time
 * of a window) start once the worker has been idle FULL_IMPORTS_IDLE_MS. Started after every reply, they took a
 * core from the editor while it showed the hints, gave way at the next edit (up to ~0.7 s later: a module's parse
 * asked nobody) and started over after its reply, so that in a burst of edits they never ended.
 */
const FULL_IMPORTS_IDLE_MS = 500;
const fullImports = new IdleTask(FULL_IMPORTS_IDLE_MS);

/**
 * V8 optimises the engine's code over a worker's first ~40 analyses, on its own helper threads: in plain Node, CPU
 * per typical edit falls from ~16 ms on the worker's thread plus ~13 ms on V8's helpers to ~9 plus 1–5 ms once
 * warm. Those first edits, a user's first minutes of typing in a new window, wait for a core behind V8's compiler.
 * So once the worker has been idle WARM_IDLE_MS after a reply, it analyses the same request again and drops the
 * report, one analysis per idle moment, up to WARM_MAX in its life; each gives way at once (every ~2,000
 * interpreter steps) when a request is posted. Only quick analyses (under WARM_UNDER_MS on a core) are repeated: a long
 * one would hold a core, and a cold first analysis is not what the next ones cost.
 */
const WARM_IDLE_MS = 300;
const WARM_AGAIN_MS = 20;
const WARM_MAX = 40;
const WARM_UNDER_MS = 100;
let warmed = 0;
const warmFirst = new IdleTask(WARM_IDLE_MS);
const warmAgain = new IdleTask(WARM_AGAIN_MS);

/** The next warm-up analysis of `req` (see WARM_MAX), given up when `giveWay` says so. */
function warmUp(req: AnalysisRequest, task: IdleTask, giveWay: () => boolean): void {
  if (warmed >= WARM_MAX) return;
  task.set(() => {
    warmed++;
    collector.begin();
    try {
      analysis.analyse(req, giveWay);
    } catch {
      // interrupted by a request (or failing as the reply did): that request's reply matters, not this one
      return;
    } finally {
      collector.end();
      collector.idle();
    }
    warmUp(req, warmAgain, giveWay);
  }, () => undefined);
}

/** When this module's imports (the whole engine) had been evaluated: the end of the worker's start. */
const loadedAt = epochMs();
const tid = threadId();

parentPort?.on('message', (req: AnalysisRequest | StopRequest | PrefetchRequest) => {
  if ('prefetch' in req) return prefetch(req.prefetch);
  // the last report's rest first: the extension host settles that report with it
  restTask.drop();
  fullImports.drop();
  warmFirst.drop();
  warmAgain.drop();
  // messages come in order: the snapshot of the last analysis is stored by now
  if ('stop' in req) process.exit(0);
  const queued = req.postedAt === undefined ? undefined : epochMs() - req.postedAt;
  // what the work after the reply gives way to: the next request ([1] changes: it is posted only once this reply
  // has come), or a stop too ([0]: imports run again in full for a snapshot)
  const posted = signal && Atomics.load(signal, 1);
  const requested = signal && (() => Atomics.load(signal, 1) !== posted);
  const giveWay = signal && (() => Atomics.load(signal, 0) !== 0 || Atomics.load(signal, 1) !== posted);
  figures.drop();
  collector.begin();
  const scheduled = threadSchedule();
  let full: FileReport | undefined;
  let quick = false;
  try {
    const reply = analysis.analyse(req);
    full = reply.report;
    // its time on a core where known (on a busy machine most of the wall time is waiting for one)
    quick = (scheduleSince(scheduled)?.onCore ?? reply.timings?.worker ?? Infinity) < WARM_UNDER_MS && !reply.misses.length;
    const made = performance.now();
    const hints = req.display && makeHintItems(full, req.display);
    const hinted = performance.now() - made;
    const { report, rest } = splitReport(full);
    const thread = scheduleSince(scheduled);
    parentPort?.postMessage({
      id: req.id, ...reply, report, restFollows: true, hints,
      timings: {
        ...reply.timings, hints: hinted, queued, gc: collector.end(), sentAt: epochMs(), loadedAt,
        ...(thread ? { onCore: thread.onCore, runQueue: thread.waited, tid } : {}),
      },
      log: log.splice(0),
    });
    const postRest = () => {
      parentPort?.postMessage({ id: req.id, rest: serialize(rest) } satisfies AnalysisRest);
      // the imported modules' parses are written once the rest is on its way (timm's: 0.1-0.5 s, the report waited
      // for them before), giving way to the next request (written after its reply) but not to a stop: the next worker
      // starts once this one exits, and reads them
      parses?.flush(requested);
      // what the analysis left is collected once the rest is on its way, not while the hints are
      collector.idle();
    };
    restTask.set(postRest, postRest);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    parentPort?.postMessage({
      id: req.id, misses: [], read: [], log: log.splice(0),
      report: { file: req.file, models: [], diagnostics: [{ line: 1, severity: 'warning', code: 'internal-error', message: `ConvLens could not analyse this file (${message}).` }] },
    });
    parses?.flush(requested);
  }
  // after the report, so that the hints never wait for them
  figures.set(() => {
    postFigures({ id: req.id, memory: defaultMemories(full) });
    // the figures allocate too: is there still room for the next request?
    collector.idle();
  }, () => postFigures({ id: req.id, memory: [] }));
  // likewise the import snapshot it took (its table, and the file on disk); a snapshot stored takes ~0.5 s for
  // timm's: the report is not kept waiting behind it
  if (analysis.imports.storesWaiting) restTask.drop();
  keepSnapshots(() => analysis.imports.storeTaken());
  // imports run again in full for the snapshot give way to the next request and to a stop (the next worker starts
  // at once, and analyses as a cold one would); what they parsed (timm's model modules the lazy analysis did not
  // run) is written after them
  if (analysis.imports.importsWaiting) {
    fullImports.set(() => {
      keepSnapshots(() => analysis.imports.settle(giveWay));
      parses?.flush(requested);
      collector.idle();
    }, () => undefined);
  }
  // with a rest still to post, the collection follows it
  if (!restTask.pending) collector.idle();
  if (quick && giveWay && !analysis.imports.importsWaiting && !analysis.imports.storesWaiting) warmUp(req, warmFirst, giveWay);
});

/** Whether a request was posted to this worker, or it was asked to stop: what the work before its first request gives way to. */
const asked = signal && (() => Atomics.load(signal, 0) !== 0 || Atomics.load(signal, 1) !== 0);

/**
 * The installed packages the workspace imports, prefetched before the first request (workerPrefetch.ts): given with
 * the worker's start (before the warm-up below: a timm file's parses are what its first analysis waits for most), or
 * posted later; ignored once a request was posted. What it parsed goes to the parse store's folder after the first reply.
 */
function prefetch({ roots, python }: PrefetchRequest['prefetch']): void {
  if (!asked || asked()) return;
  const t = performance.now();
  collector.begin();
  try {
    const env = discoverEnvironment(disk, python.input);
    const { packages, files } = packagesToPrefetch(roots, env);
    const scanned = performance.now() - t;
    // its parses are written after the first reply, not now: a stored parse keeps the function bodies read by then
    // converted, and those the first analysis reads (timm's `create_model`, the model's class) are not read yet
    const { done, failed, givenUp } = prefetchPackages(packages, roots[0], disk, env, asked);
    const ms = (performance.now() - t).toFixed(0);
    log.push(`prefetched the workspace's imports before its first request: ${done.join(', ') || 'none'} of`
      + ` ${packages.length} installed package(s) named in ${files} file(s), ${ms} ms (${scanned.toFixed(0)} to find them)`
      + `${failed.length ? `; failed: ${failed.join(', ')}` : ''}${givenUp ? ', given up for a request' : ''}`);
  } catch (e) {
    log.push(`prefetch of the workspace's imports failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    collector.end();
    collector.idle();
  }
}

// a new worker that no request waits for yet (a window opened before its first Python file) prefetches, then warms V8
// up, giving way to the first request (workerWarmUp.ts)
if (asked) {
  setImmediate(() => {
    if (data?.prefetch) prefetch(data.prefetch);
    if (asked()) return;
    const t = performance.now();
    collector.begin();
    const whole = warmUpEngine(asked);
    collector.end();
    collector.idle();
    const ms = (performance.now() - t).toFixed(0);
    log.push(`V8 warmed up at the worker's start: ${ms} ms${whole ? '' : ', given up for a request'}`);
  });
}

function keepSnapshots(store: () => void): void {
  try {
    store();
  } catch (e) {
    log.push(`import snapshot not kept: ${e instanceof Error ? e.message : String(e)}`);
  }
}
