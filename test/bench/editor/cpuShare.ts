// Who had the machine's cores during an edit: every thread's time on a core (Linux's /proc/<pid>/task/<tid>/schedstat,
// nanoseconds) read before the edit and when its hints came back, grouped as the analysis worker, the extension host's
// main thread and its other threads (V8's collector and compiler, libuv), code-server's other processes, the
// workbench's renderer main thread and chromium's other threads, and everything else on the machine (other sessions:
// the machine's busy time from /proc/stat, in 10 ms ticks, less the rest). A worker that waits for a core while these
// run shows whose CPU an edit's tail is. Only the benchmark's own processes are read per snapshot (`trackProcesses`
// finds them): reading every thread of a busy machine took ~35 ms. Linux only; elsewhere empty.
import { readdirSync, readFileSync } from 'node:fs';

/** Nanoseconds on a core per thread id, with the process each belongs to; `machine`: the machine's busy ms. */
export interface CpuSnapshot {
  threads: Map<number, { pid: number; ns: number }>;
  machine: number;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Per process (read once): its name, session id and whether it is one of chromium's renderers. */
const processes = new Map<number, { comm: string; session: number; renderer: boolean }>();

function processOf(pid: number): { comm: string; session: number; renderer: boolean } {
  let p = processes.get(pid);
  if (!p) {
    const stat = read(`/proc/${pid}/stat`) ?? '';
    // "pid (comm) state ppid pgrp session …": the name may hold spaces and brackets
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    const renderer = (read(`/proc/${pid}/cmdline`) ?? '').includes('--type=renderer');
    p = { comm: stat.slice(stat.indexOf('(') + 1, close), session: Number(fields[3]), renderer };
    processes.set(pid, p);
  }
  return p;
}

/** The processes a snapshot reads: this one, chromium's and code-server's (found again by `trackProcesses`). */
let tracked: number[] = [process.pid];

/** Finds the benchmark's processes (a scan of every process: call it before a loop of edits, not per edit). */
export function trackProcesses(): void {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return;
  }
  tracked = pids.filter((pid) => pid === process.pid || groupOf(pid, -1, undefined) !== 'other processes');
}

/** The machine's busy time (ms) from /proc/stat's first line: user, nice, system, irq, softirq and steal ticks. */
function machineBusy(): number {
  const f = (read('/proc/stat') ?? '').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return ((f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0)) * 10;
}

export function cpuSnapshot(): CpuSnapshot {
  const threads = new Map<number, { pid: number; ns: number }>();
  for (const pid of tracked) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tids) {
      const ns = Number(read(`/proc/${pid}/task/${t}/schedstat`)?.split(' ')[0]);
      if (Number.isFinite(ns)) threads.set(Number(t), { pid, ns });
    }
  }
  return { threads, machine: machineBusy() };
}

/** The groups a thread's CPU is booked to (see the header); `worker`: the analysis worker's thread id. */
export type CpuGroup = 'worker' | 'host main' | 'host other threads' | 'code-server' | 'workbench renderer' | 'chromium other'
  | 'other processes';
export const CPU_GROUPS: CpuGroup[] = ['worker', 'host main', 'host other threads', 'code-server', 'workbench renderer',
  'chromium other', 'other processes'];

function groupOf(pid: number, tid: number, worker: number | undefined): CpuGroup {
  if (tid === worker) return 'worker';
  if (pid === process.pid) return tid === pid ? 'host main' : 'host other threads';
  const p = processOf(pid);
  // a renderer's main thread (its thread id is the process's) runs the workbench's JavaScript and layout
  if (/chrom/i.test(p.comm)) return p.renderer && tid === pid ? 'workbench renderer' : 'chromium other';
  // code-server runs in its own session (setsid), with the extension host and its file watcher
  if (p.session === processOf(process.pid).session) return 'code-server';
  return 'other processes';
}

/** Milliseconds on a core per group from `a` to `b`. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, worker: number | undefined): Record<CpuGroup, number> {
  const out = Object.fromEntries(CPU_GROUPS.map((g) => [g, 0])) as Record<CpuGroup, number>;
  let ours = 0;
  for (const [tid, { pid, ns }] of b.threads) {
    const was = a.threads.get(tid)?.ns ?? 0;
    if (ns <= was) continue;
    out[groupOf(pid, tid, worker)] += (ns - was) / 1e6;
    ours += (ns - was) / 1e6;
  }
  out['other processes'] = Math.max(0, b.machine - a.machine - ours);
  return out;
}
