// Garbage collection in the analysis worker between analyses rather than during them. One analysis
// allocates ~10 MB (a typical model file) to ~20 MB (2,000 lines), nearly all of it dead once the
// report is posted; V8 empties the young generation whenever it fills, which mid-analysis means copying
// everything the analysis still holds: 8–17 ms pauses, a quarter of the worker's time on every edit.
// So the worker's young generation holds an analysis (analyzer.ts) and is emptied while the worker
// waits for the next change, when almost nothing in it is alive. Node only (the desktop's worker).
import { GCProfiler, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = () => void;

/** How long after a reply the collection waits: the extension host first takes the report to the editor. */
const IDLE_DELAY_MS = 15;

/**
 * V8's minor (young generation) collection, without `--expose-gc` for the whole extension host: the flag
 * is on only while one new context is made, which then holds `gc`. Undefined if V8 does not give it.
 */
export function minorCollector(): Collect | undefined {
  const exposed = (globalThis as { gc?: unknown }).gc;
  let gc: unknown = exposed;
  if (typeof gc !== 'function') {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc');
    } catch {
      gc = undefined;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  if (typeof gc !== 'function') return undefined;
  const run = gc as (options: { type: 'minor' }) => void;
  return () => run({ type: 'minor' });
}

export class IdleCollector {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private profiler: GCProfiler | undefined;

  /** `collect`: minorCollector(); without one (V8 did not give it), GC pauses are still timed. */
  constructor(private readonly collect: Collect | undefined, private readonly delayMs = IDLE_DELAY_MS) {}

  /** A request arrived: a collection not yet run waits for the next idle time; GC pauses are timed from now. */
  begin(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.profiler?.stop();
    this.profiler = new GCProfiler();
    this.profiler.start();
  }

  /** Milliseconds of GC pauses since begin() (the benchmark's breakdown). */
  end(): number {
    const stats = this.profiler?.stop();
    this.profiler = undefined;
    return (stats?.statistics ?? []).reduce((sum, s) => sum + s.cost, 0) / 1000;
  }

  /** The reply is posted: collect once the worker has been idle for a moment. */
  idle(): void {
    if (!this.collect) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.collect?.();
    }, this.delayMs);
  }
}
