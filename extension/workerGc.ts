// Garbage collection in the analysis worker between analyses rather than during them. One analysis
// allocates ~10 MB (a typical model file) to ~20 MB (2,000 lines), nearly all of it dead once the
// report is posted; V8 empties the young generation whenever it fills, which mid-analysis means copying
// everything the analysis still holds: 8–17 ms pauses, a quarter of the worker's time on every edit.
// So the worker's young generation holds a few analyses (analyzer.ts) and is emptied while the worker
// waits for the next change, once the room left might not hold two more like the last. What a collection
// copies is what is alive then: the last report, which the worker's figures still read (0.4 MB for a typical
// file, 2 MB for 2,000 lines); the rest of the analysis is dead, unless a closure made in V8's old generation
// holds its scope (see eslint.config.mjs: that kept 1.4 / 4.4 MB alive). Node only (the desktop's worker).
import { GCProfiler, getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = () => void;

/** The young generation's bytes in use and free (V8's new space); undefined when V8 does not say. */
export interface YoungSpace {
  used: number;
  available: number;
}

export function youngSpace(): YoungSpace | undefined {
  const s = getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
  return s && { used: s.space_used_size, available: s.space_available_size };
}

/** A collection is skipped while the free room holds this many requests like the last one. */
const ROOM_FOR = 2;

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
  /** The young generation's use when the request began. */
  private usedAtBegin: number | undefined;

  /**
   * `collect`: minorCollector(); without one (V8 did not give it), GC pauses are still timed. `space`: the young
   * generation's use (youngSpace; without it, a collection follows every request).
   */
  constructor(private readonly collect: Collect | undefined, private readonly delayMs = IDLE_DELAY_MS,
    private readonly space: () => YoungSpace | undefined = youngSpace) {}

  /** A request arrived: a collection not yet run waits for the next idle time; GC pauses are timed from now. */
  begin(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.profiler?.stop();
    this.profiler = new GCProfiler();
    this.profiler.start();
    this.usedAtBegin = this.space()?.used;
  }

  /** Milliseconds of GC pauses since begin() (the benchmark's breakdown). */
  end(): number {
    const stats = this.profiler?.stop();
    this.profiler = undefined;
    return (stats?.statistics ?? []).reduce((sum, s) => sum + s.cost, 0) / 1000;
  }

  /**
   * The reply is posted (or more work for it done): collect once the worker has been idle for a moment, unless the
   * young generation has room for ROOM_FOR more requests like this one (what it allocated since begin() or the last
   * collection; a collection by V8 meanwhile, or no figures, collects).
   */
  idle(): void {
    if (!this.collect) return;
    clearTimeout(this.timer);
    const now = this.space();
    const allocated = now && this.usedAtBegin !== undefined ? now.used - this.usedAtBegin : -1;
    if (now && allocated > 0 && now.available > ROOM_FOR * allocated) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.collect?.();
      // what is allocated from here on is what a later idle() weighs (the worker's figures, made after this)
      this.usedAtBegin = this.space()?.used;
    }, this.delayMs);
  }
}
