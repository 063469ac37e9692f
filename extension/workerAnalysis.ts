// The analysis worker's side of a request, without the thread (so that it is unit-tested): the files
// the extension sent (open documents, with their unsaved edits) win, then the disk of a `file:`
// workspace is read on demand, so an analysis never stops to ask the extension for the files its
// imports name. Without a disk, a path it lacks is a miss: the extension loads it and asks again.
import { analyzeDocument } from '../engine/notebook/analyze-notebook';
import { discoverEnvironment, type PythonEnvironment } from '../engine/python/env/discover';
import { hostOf, type AnalysisReply, type AnalysisRequest, type Disk } from './analysisProtocol';
import { zeroTimings } from './latency';
import { ImportCache, type SnapshotStore } from '../engine/python/import-cache';

/** How many discovered environments are kept (one per workspace folder and setting, in practice). */
const ENVIRONMENTS_KEPT = 16;

export class WorkerAnalysis {
  /** Text by path, as the extension sent it (null: the file does not exist). */
  private readonly files = new Map<string, string | null>();
  /** Discovered environments by their input: discovery runs once per folder, not per keystroke. */
  private readonly environments = new Map<string, PythonEnvironment>();
  /** How many discoveries ran (the tests check the cache). */
  discoveries = 0;
  /** What files' leading imports made, reused while the files they read are unchanged (and kept in `snapshots`). */
  readonly imports: ImportCache;

  /** `deferStores`: snapshots are stored when `imports.settle()` is called (after the reply) or by the next analysis. */
  constructor(private readonly disk?: Disk, snapshots?: SnapshotStore, deferStores = false) {
    this.imports = new ImportCache(snapshots, deferStores);
  }

  /**
   * The Python environment for a request: discovered on the disk and cached; without a disk (the web),
   * only the folders given by hand, as they are.
   */
  private environment(req: Omit<AnalysisRequest, 'id'>): PythonEnvironment | undefined {
    if (!req.python) return undefined;
    const { input } = req.python;
    if (!req.disk || !this.disk) return { paths: (input.extraPaths ?? []).map((path) => ({ path, source: 'setting' })), problems: [] };
    // the walk upwards depends on the file's folder: files of one folder share an entry
    const key = JSON.stringify(req.python);
    let env = this.environments.get(key);
    if (!env) {
      if (this.environments.size >= ENVIRONMENTS_KEPT) this.environments.clear();
      env = discoverEnvironment(this.disk, input);
      this.discoveries++;
      this.environments.set(key, env);
    }
    return env;
  }

  /** `interrupt`: see AnalyzeOptions (an interrupted analysis throws `Interrupted`). */
  analyse(req: Omit<AnalysisRequest, 'id'>, interrupt?: () => boolean): AnalysisReply {
    for (const path of req.forget) this.files.delete(path);
    for (const [path, text] of req.updates) this.files.set(path, text);
    const misses = new Set<string>();
    const read = new Set<string>();
    const timings = zeroTimings();
    const start = performance.now();
    const host = hostOf(this.files, misses, req.disk ? this.disk : undefined, read);
    const python = this.environment(req);
    const report = analyzeDocument(req.file, req.content, { ...req.options, host, timings, importCache: this.imports, ...(python ? { python } : {}), ...(interrupt ? { interrupt } : {}) });
    return { report, misses: [...misses], read: [...read], timings: { ...timings, worker: performance.now() - start } };
  }
}
