// Who had the machine's cores during an edit: every thread's time on a core (Linux's /proc/<pid>/task/<tid>/schedstat,
// nanoseconds) read before the edit and when its hints came back, grouped as the analysis worker, the extension host's
// main thread and its other threads (V8's collector and compiler, libuv), code-server's other processes, the
// workbench's renderer main thread and chromium's other threads, and everything else on the machine (other sessions). A
// worker that waits for a core while these run shows whose CPU an edit's tail is. Linux only; elsewhere empty.
import { readdirSync, readFileSync } from 'node:fs';

/** Nanoseconds on a core per thread id, with the process each belongs to. */
export type CpuSnapshot = Map<number, { pid: number; ns: number }>;

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

export function cpuSnapshot(): CpuSnapshot {
  const snap: CpuSnapshot = new Map();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return snap;
  }
  for (const p of pids) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tids) {
      const ns = Number(read(`/proc/${p}/task/${t}/schedstat`)?.split(' ')[0]);
      if (Number.isFinite(ns)) snap.set(Number(t), { pid: Number(p), ns });
    }
  }
  return snap;
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
  for (const [tid, { pid, ns }] of b) {
    const was = a.get(tid)?.ns ?? 0;
    if (ns > was) out[groupOf(pid, tid, worker)] += (ns - was) / 1e6;
  }
  return out;
}
