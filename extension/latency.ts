// Where the time of the last analysis of each document went, for `npm run bench:editor` (through the
// API that activate() returns): the engine's phases, the transfer from the worker, the whole request
// as the extension saw it, and the inlay hint provider's own work.
import type { AnalysisTimings } from '../engine/analyze';
import type { WorkerStart } from './analysisProtocol';

/** The worker's start (`WorkerStart`) is in epoch ms. */
export interface LatencyBreakdown extends AnalysisTimings, WorkerStart {
  /** The whole analysis in the worker (the phases, and setting up the interpreter and frameworks). */
  worker: number;
  /**
   * From the request to its posting to the worker: other files' analyses before it (one at a time) and, in a
   * renewed worker, the old one's exit once it has stored its import snapshot.
   */
  waited: number;
  /** From the extension's posting of the request to the worker's start on it (the worker busy with the one before). */
  queued: number;
  /** Making the report's inlay hint items in the worker (after the analysis, before the reply). */
  hints: number;
  /** The garbage collector's pauses in the worker during the request (serialising the report included). */
  gc: number;
  /**
   * Of the worker's time on the request until its hints were posted: on a core, and runnable but waiting for one
   * (Linux's per-thread scheduler statistics, threadSchedule.ts; absent elsewhere).
   */
  onCore?: number;
  runQueue?: number;
  /** The worker's Linux thread id (the benchmark reads its CPU beside other threads'). */
  tid?: number;
  /** From the worker's postMessage to its arrival in the extension host (serialising included). */
  transfer: number;
  /** From the request to the report, as the extension host saw it (every round included). */
  analysis: number;
  /** From the request to the report's inlay hints, as the extension host saw it (before the rest of the report). */
  hintsReady: number;
  /** When the request left for the analysis (the extension host's performance.now()). */
  startedAt: number;
  /** Analyses run for this version (more than one when imported files had to be read first). */
  rounds: number;
  /** The inlay hint provider's work once it had the report. */
  provider: number;
  /** When VS Code last called the inlay hint provider and when it answered (the extension host's performance.now()). */
  askedAt: number;
  answeredAt: number;
  /** When the provider first answered with hints for this document (what VS Code's editor then draws). */
  firstHintsAt: number;
  /** When the inlay hints' change event last fired for this document (VS Code then asks again after its debounce). */
  changedAt: number;
  /** How many times it fired for this document. */
  changes: number;
}

/** One inlay hint request as the provider saw it (the extension host's performance.now()). */
export interface HintRequestLog {
  askedAt: number;
  answeredAt: number;
  /** The document's version asked about, and the range's lines (0-based, inclusive). */
  version: number;
  from: number;
  to: number;
  /** How many hints the answer held, and why it held none when it did not. */
  hints: number;
  outcome: 'hints' | 'first-empty' | 'cancelled' | 'stale' | 'none-in-range' | 'off';
}

const last = new Map<string, Partial<LatencyBreakdown>>();
/** The last REQUESTS_KEPT hint requests of each document, for the benchmark's log of every request. */
const requests = new Map<string, HintRequestLog[]>();
const REQUESTS_KEPT = 50;

export function noteHintRequest(key: string, r: HintRequestLog): void {
  let list = requests.get(key);
  if (!list) requests.set(key, (list = []));
  list.push(r);
  if (list.length > REQUESTS_KEPT) list.shift();
}

export const hintRequestsOf = (key: string): HintRequestLog[] => requests.get(key)?.slice() ?? [];

export function noteLatency(key: string, part: Partial<LatencyBreakdown>): void {
  const was = last.get(key);
  last.set(key, { ...was, ...part, ...(was?.firstHintsAt !== undefined ? { firstHintsAt: was.firstHintsAt } : {}) });
}

export const latencyOf = (key: string): Partial<LatencyBreakdown> | undefined => last.get(key);

export const zeroTimings = (): AnalysisTimings => ({ parse: 0, imports: 0, interpret: 0, trace: 0, report: 0 });

/** Milliseconds since the epoch, comparable between threads (each has its own performance.timeOrigin). */
export const epochMs = (): number => performance.timeOrigin + performance.now();
