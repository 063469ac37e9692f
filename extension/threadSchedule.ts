// How long the calling thread ran on a core and how long it was runnable but waited for one, from Linux's
// per-thread scheduler statistics (/proc/thread-self/schedstat: nanoseconds on a core, nanoseconds waiting on a
// run queue, time slices). The editor benchmark splits the worker's time per request with it: on a 2-core machine
// shared with VS Code's processes, a slow edit's analysis is mostly waiting for a core, not work. Node only; other
// systems (and a kernel without schedstats) give undefined.
import { readFileSync, readlinkSync } from 'node:fs';

export interface ThreadSchedule {
  /** Milliseconds this thread has run on a core. */
  onCore: number;
  /** Milliseconds it was ready to run but waited for a core. */
  waited: number;
}

/** `text`: the schedstat line; undefined when it does not hold two numbers. */
export function parseSchedstat(text: string): ThreadSchedule | undefined {
  const [run, wait] = text.trim().split(/\s+/).map(Number);
  return Number.isFinite(run) && Number.isFinite(wait) ? { onCore: run / 1e6, waited: wait / 1e6 } : undefined;
}

export function threadSchedule(): ThreadSchedule | undefined {
  try {
    return parseSchedstat(readFileSync('/proc/thread-self/schedstat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** What the thread did from `from` to now: its time on a core and waiting for one (undefined when unknown). */
export function scheduleSince(from: ThreadSchedule | undefined): ThreadSchedule | undefined {
  const now = from && threadSchedule();
  return now && { onCore: now.onCore - from.onCore, waited: now.waited - from.waited };
}

/** The calling thread's Linux thread id (the editor benchmark finds the worker's CPU by it); undefined elsewhere. */
export function threadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) ? tid : undefined;
  } catch {
    return undefined;
  }
}
