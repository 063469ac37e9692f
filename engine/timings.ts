// Where the time of one analysis goes, for the editor benchmark's breakdown; measuring changes nothing
// in the report.

/** Milliseconds per phase of one analysis (`trace` and `report` summed over its models). */
export interface AnalysisTimings {
  parse: number;
  /** Checking and copying the snapshot of the file's imports (`import-snapshot.ts`), when one is reused. */
  imports: number;
  interpret: number;
  trace: number;
  report: number;
}

/** Runs `fn`, adding its duration to `timings[phase]` when timings are asked for. */
export function timed<T>(timings: AnalysisTimings | undefined, phase: keyof AnalysisTimings, fn: () => T): T {
  if (!timings) return fn();
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    timings[phase] += performance.now() - t0;
  }
}
