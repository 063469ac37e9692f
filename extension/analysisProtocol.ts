// Messages between the extension and the analysis worker.
import type { AnalysisTimings, AnalyzeOptions, SourceHost } from '../engine/analyze';
import type { DiscoveryInput, EnvHost } from '../engine/python/env/types';
import type { CellSource } from '../engine/notebook/ipynb';
import type { FileReport, MemoryReport } from '../engine/report/types';
import type { DisplayOptions } from './format';
import type { HintItems } from './hintItems';

/** Asks the analysis worker to exit once it has done what follows its last reply (storing an import snapshot). */
export interface StopRequest {
  stop: true;
}

/**
 * Sent to a new worker before any request (workerPrefetch.ts): the `file:` workspace folders whose Python files'
 * imports it prefetches, and how to find their environment (the first folder's).
 */
export interface PrefetchRequest {
  prefetch: { roots: string[]; python: NonNullable<AnalysisRequest['python']> };
}

export interface AnalysisRequest {
  id: number;
  file: string;
  /** The document's text, or a notebook's cells. */
  content: string | CellSource[];
  options: Omit<AnalyzeOptions, 'host'>;
  /** Workspace files whose text changed since the last request (null: the file does not exist). */
  updates: Array<[string, string | null]>;
  /** Files sent before that the worker should read from the disk again (a document closed unsaved). */
  forget: string[];
  /** Whether the worker may read files the extension did not send from the disk (a `file:` workspace). */
  disk: boolean;
  /**
   * What finds the user's Python environment; the worker discovers it once per distinct value (the
   * extension bumps `epoch` when the interpreter or a setting changes, or on a refresh).
   */
  python?: { input: DiscoveryInput; epoch: number };
  /** When the extension posted the request (epoch ms): the worker times how long it waited to start it. */
  postedAt?: number;
  /** The settings the inlay hints are shown with: the worker makes the report's hint items for them. */
  display?: DisplayOptions;
}

export interface AnalysisReply {
  report: FileReport;
  /** Files the engine asked for that the worker could not read (the extension loads them and asks again). */
  misses: string[];
  /** Every file the analysis read or looked for (a change to one of them makes the report stale). */
  read: string[];
  /**
   * From the worker: the report's heavy fields come in an `AnalysisRest` message right after this one
   * (v8-serialized, decoded when a view reads them: lazyReport.ts), so the inlay hints never wait for them.
   */
  restFollows?: boolean;
  /** From the worker, for the request's display options: the report's inlay hints (hintItems.ts). */
  hints?: HintItems;
  /**
   * The engine's phases, and `worker`, the whole analysis (setting up the interpreter included); `gc`, the
   * garbage collector's pauses in the worker meanwhile; `sentAt` is when the worker posted the reply (epoch
   * ms), `transfer` the time it took to arrive; `waited`, in the extension host, from the request to its posting
   * to the worker (other files' analyses before it, a renewed worker's predecessor storing its snapshot);
   * `onCore` / `runQueue`, the worker thread's time on a core and waiting for one until the hints were posted, and
   * `tid` its Linux thread id.
   */
  timings?: AnalysisTimings & { worker?: number; gc?: number; hints?: number; queued?: number; sentAt?: number; transfer?: number; waited?: number; onCore?: number; runQueue?: number; tid?: number }
    & Partial<WorkerStart>;
  /** Lines for the output channel: import snapshots read, written or ignored. */
  log?: string[];
  /** In the extension host: settles once the worker's `AnalysisFigures` for this report were noted (or never come). */
  figures?: Promise<void>;
}

/**
 * When the worker that answered was started (epoch ms, for the editor benchmark's first hints): the extension
 * asked for it, its thread began to run JavaScript ('online'), and its bundle (the engine) had been evaluated.
 */
export interface WorkerStart {
  spawnedAt: number;
  onlineAt: number;
  loadedAt: number;
}

/** What the worker sends right after a reply that says `restFollows`: the report's heavy fields, v8-serialized. */
export interface AnalysisRest {
  id: number;
  rest: Uint8Array;
}

/** A report whose inlay hints are ready before the rest of it is (`Analyzer.analyse`'s `early`). */
export interface EarlyHints {
  report: FileReport;
  hints: HintItems;
}

/**
 * What the worker sends after each reply, off the hints' path: each model's memory at the defaults (the
 * CodeLens's training figure, `memoryText.ts`), undefined where it could not be computed.
 */
export interface AnalysisFigures {
  id: number;
  memory: Array<MemoryReport | undefined>;
}

/**
 * Where the desktop worker keeps what outlives a window, and the ConvLens version that writes it: import snapshots
 * (`dir`) and V8's code cache of its bundle (`codeCache`, a folder: analysisWorkerStart.ts).
 */
export interface SnapshotPlace {
  dir: string;
  version: string;
  codeCache?: string;
  /** Where imported modules' parses are kept (`parse-store-disk.ts`); none: parsed in every worker. */
  parses?: string;
}

/** The disk as the worker reads it (listing folders is for environment discovery). */
export type Disk = Required<Pick<SourceHost, 'readFile' | 'isDirectory'>> & Pick<SourceHost, 'stamp'> & Pick<EnvHost, 'listDir'>;

/**
 * A file reader over the files at hand (the open documents win: unsaved edits), then the disk if
 * there is one; every path asked for goes into `read`, one it cannot answer also into `misses`.
 */
export function hostOf(files: Map<string, string | null>, misses: Set<string>, disk?: Disk, read?: Set<string>): SourceHost {
  return {
    readFile(path) {
      read?.add(path);
      const t = files.get(path);
      if (t !== undefined) return t ?? undefined;
      if (!disk) {
        misses.add(path);
        return undefined;
      }
      return disk.readFile(path);
    },
    isDirectory: disk && ((path) => disk.isDirectory(path)),
    // a file the extension sent (an open document) has no stamp: its text is compared
    stamp: disk?.stamp && ((path) => {
      read?.add(path);
      return files.has(path) ? undefined : disk.stamp?.(path);
    }),
  };
}
