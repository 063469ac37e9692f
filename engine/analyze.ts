// The engine's front door: Python source in, model report out.
import type { FileReport } from './report/types';
import type { Dim } from './shapes/dim';

/** How the engine reads other files (workspace modules); Node, the browser and tests each give one. */
export interface SourceHost {
  readFile(path: string): string | undefined;
  isDirectory?(path: string): boolean;
}

export interface AnalyzeOptions {
  /** Python expression evaluated in the file's namespace that yields the model (`Net()`). */
  entry?: string;
  /** Input shape given explicitly (CLI `--input`); wins over every other source. */
  input?: Dim[];
  /** Folder from which absolute imports resolve (default: the file's folder). */
  root?: string;
  /** `convlens.defaultInputShape`. */
  defaultInputShape?: number[];
  /** Upper bound on interpreter steps for the whole analysis. */
  maxSteps?: number;
  host?: SourceHost;
}

export declare function analyzeSource(file: string, source: string, options?: AnalyzeOptions): FileReport;
