// Messages between the extension and the analysis worker.
import type { AnalysisTimings, AnalyzeOptions } from '../engine/analyze';
import type { CellSource } from '../engine/notebook/ipynb';
import type { FileReport } from '../engine/report/types';

export interface AnalysisRequest {
  id: number;
  file: string;
  /** The document's text, or a notebook's cells. */
  content: string | CellSource[];
  options: Omit<AnalyzeOptions, 'host'>;
  /** Workspace files whose text changed since the last request (null: the file does not exist). */
  updates: Array<[string, string | null]>;
}

export interface AnalysisReply {
  report: FileReport;
  /** Files the engine asked for that the worker does not hold. */
  misses: string[];
  /** The engine's phases; `sentAt` is when the worker posted the reply (epoch ms), `transfer` the time it took. */
  timings?: AnalysisTimings & { sentAt?: number; transfer?: number };
}

/** A file reader over the files at hand; a path it cannot answer goes into `misses`. */
export function hostOf(files: Map<string, string | null>, misses: Set<string>): NonNullable<AnalyzeOptions['host']> {
  return {
    readFile(path) {
      const t = files.get(path);
      if (t === undefined) misses.add(path);
      return t ?? undefined;
    },
  };
}
