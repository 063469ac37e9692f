// The analysis worker's part of the editor benchmark's edit loops, in one process (no VS Code): the typical file
// and the 2,000-line file edited as `bench:editor` edits them, each edit analysed, its hint items made, the
// report split and its heavy fields serialized as the worker does, then the worker's idle collection
// (workerGc.ts; GC_EVERY=1: after every edit, as before it looked at the room left). Prints per phase median /
// p95 (ms) with the load, the CPU per edit and the GC pauses in and between analyses. Run it bundled, as the
// worker runs: `npx esbuild test/bench/worker-edits.ts --bundle --platform=node --outfile=/tmp/we.js`, then
// `node --max-semi-space-size=64 /tmp/we.js` (the worker's young generation, analyzer.ts).
import * as os from 'node:os';
import { GCProfiler, serialize } from 'node:v8';
import { WorkerAnalysis } from '../../extension/workerAnalysis';
import { workerDisk } from '../../extension/workerDisk';
import { makeHintItems } from '../../extension/hintItems';
import { splitReport } from '../../extension/lazyReport';
import { IdleCollector, minorCollector } from '../../extension/workerGc';
import { scheduleSince, threadSchedule } from '../../extension/threadSchedule';
import { generatedModelFile } from './generated-model';
import { typicalModelFile } from './typical-model';

// the settings' defaults (package.json)
const display = { hintParts: ['shape', 'params', 'compute'] as Array<'shape' | 'params' | 'compute'>, computeUnit: 'MACs' as const, batchDimension: 'N' };
const EDITS = Number(process.env.EDITS ?? 40);
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const sum = (xs: number[] = []) => xs.reduce((a, b) => a + b, 0);
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const gcMs = (p: GCProfiler) => (p.stop()?.statistics ?? []).reduce((a, x) => a + x.cost, 0) / 1000;
const collector = new IdleCollector(minorCollector(), undefined, process.env.GC_EVERY ? () => undefined : undefined);

/** One edit as the worker answers it, then its idle time; its figures go to `note`. */
async function once(analysis: WorkerAnalysis, req: Parameters<WorkerAnalysis['analyse']>[0], note: (k: string, v: number) => void): Promise<void> {
  const c0 = process.cpuUsage();
  const s0 = threadSchedule();
  collector.begin();
  const reply = analysis.analyse(req);
  const t1 = performance.now();
  makeHintItems(reply.report, display);
  const t2 = performance.now();
  serialize(splitReport(reply.report).rest);
  note('rest', performance.now() - t2);
  note('GC in it', collector.end());
  const cpu = cpuMs(process.cpuUsage(c0));
  note('CPU', cpu);
  // the analysing thread's own time on a core; the rest of the process's CPU is V8's helper threads (compiles, GC)
  const own = scheduleSince(s0)?.onCore;
  if (own !== undefined) { note('thread', own); note('helpers', Math.max(0, cpu - own)); }
  for (const [k, v] of Object.entries(reply.timings ?? {})) if (typeof v === 'number' && k !== 'imports') note(k, v);
  note('hints', t2 - t1);
  const idle = new GCProfiler();
  idle.start();
  const c1 = process.cpuUsage();
  collector.idle();
  await new Promise((r) => setTimeout(r, 40));
  note('GC between', gcMs(idle));
  note('CPU between', cpuMs(process.cpuUsage(c1)));
}

async function loop(name: string, text: string, marker: string, edit: (i: number) => string): Promise<void> {
  const analysis = new WorkerAnalysis(workerDisk());
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes(marker));
  const base = { file: `/tmp/bench_ws/${name}`, options: { root: '/tmp/bench_ws' }, updates: [], forget: [], disk: true };
  const rows: Record<string, number[]> = {};
  for (let i = 0; i < EDITS + 5; i++) {
    const note = (k: string, v: number) => { if (i >= 5) (rows[k] ??= []).push(v); };
    await once(analysis, { ...base, content: [...lines.slice(0, at), edit(i), ...lines.slice(at + 1)].join('\n') }, note);
  }
  console.log(`${name} (${lines.length} lines), ${EDITS} edits, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}:`);
  console.log(`  ${Object.entries(rows).map(([k, v]) => `${k} ${pct(v, 50).toFixed(1)}/${pct(v, 95).toFixed(1)}`).join(' · ')}`
    + ` · GC between, sum ${sum(rows['GC between']).toFixed(0)}`);
  // what an edit costs in all, the collection between edits included (the medians above leave rare big ones out)
  console.log(`  CPU per edit, mean: ${((sum(rows.CPU) + sum(rows['CPU between'])) / rows.CPU.length).toFixed(1)}`
    + ` (analysis ${(sum(rows.CPU) / rows.CPU.length).toFixed(1)}, between ${(sum(rows['CPU between']) / rows.CPU.length).toFixed(1)})`);
  // V8 keeps compiling for tens of analyses: the medians per block of edits show the warm-up
  const block = Number(process.env.BLOCK ?? 20);
  const blocks = (v: number[] = []) => Array.from({ length: Math.ceil(v.length / block) }, (_, b) => pct(v.slice(b * block, (b + 1) * block), 50).toFixed(1)).join(', ');
  console.log(`  per ${block} edits, median: thread ${blocks(rows.thread)} · helpers ${blocks(rows.helpers)} · CPU ${blocks(rows.CPU)}`);
}

async function main(): Promise<void> {
  if (!process.env.ONLY_BIG) {
    await loop('bench_typical_edit.py', typicalModelFile, 'self.fc = nn.Linear(', (i) => `        self.fc = nn.Linear(512 * block.expansion, ${10 + (i % 5)})`);
  }
  if (!process.env.ONLY_TYPICAL) {
    await loop('bench_2000_lines.py', generatedModelFile(2000), 'self.head = nn.Linear(16, 10)', (i) => `        self.head = nn.Linear(16, ${10 + (i % 5)})`);
  }
}

void main();
