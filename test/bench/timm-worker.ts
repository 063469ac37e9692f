// The editor benchmark's timm case without VS Code (`npm run bench:timm-worker`): the real analysis worker bundle
// (dist/analysis-worker-start.js) driven through `WorkerAnalyzer` as the extension host drives it, timm's sources
// from TIMM_VENV (default /tmp/timm-venv) as the workspace's `.venv`, a new store folder (or STORE). A cold first
// analysis (nothing on disk), RENEWALS new workers from what it stored, then EDITS edits of the head, each posted
// GAP_MS after the last whole report came (IDLE_MS: the worker left idle that long before them); prints per edit
// how long the request waited for the worker to start on it (`queued`), and the analysis in the worker.
// OPEN_AFTER_MS: the worker started that long before the cold request (it warms up meanwhile). PREFETCH=1: it is
// told to prefetch the workspace's imports (workerPrefetch.ts: the bench's file imports timm) as the editor tells it.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import { WorkerAnalyzer } from '../../extension/analyzer';
import { TIMM_FILE } from './timm-file';

const VENV = process.env.TIMM_VENV ?? '/tmp/timm-venv';
const EDITS = Number(process.env.EDITS ?? 15);
const display = { hintParts: ['shape', 'params', 'compute'] as Array<'shape' | 'params' | 'compute'>, computeUnit: 'MACs' as const, batchDimension: 'N' };
const load = () => os.loadavg()[0].toFixed(2);
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function main(): Promise<void> {
  const ws = mkdtempSync(join(os.tmpdir(), 'timm-ws-'));
  const store = process.env.STORE ?? mkdtempSync(join(os.tmpdir(), 'timm-store-'));
  symlinkSync(VENV, join(ws, '.venv'));
  mkdirSync(store, { recursive: true });
  const file = join(ws, 'bench_timm.py');
  writeFileSync(file, TIMM_FILE);
  const place = { dir: join(store, 'import-snapshots'), version: '0.1.0', parses: join(store, 'parses'), codeCache: join(store, 'code-cache') };
  const analyzer = new WorkerAnalyzer(resolve(process.env.WORKER ?? 'dist/analysis-worker-start.js'), place);
  const python = { input: { fileDir: ws, workspaceRoot: ws, extraPaths: [], extraOrigin: 'setting' as const, env: {}, platform: 'linux' as const }, epoch: 1 };
  const ask = async (content: string) => {
    const t = performance.now();
    let hintsAt = 0;
    const reply = await analyzer.analyse(file, content, { root: ws }, new Map(), true, python, { display, early: () => { hintsAt = performance.now() - t; } });
    return { reply, total: performance.now() - t, hintsAt };
  };
  const totals = (r: Awaited<ReturnType<typeof ask>>) => r.reply?.report.models.map((m) => `${m.totalParams}/${m.trainableParams}/${m.macs}`).join(';');
  // OPEN_AFTER_MS: the worker started that long before the file is opened (a window opened before its first
  // Python file: the worker warms up meanwhile); 0, the request posted as it starts (the file opened with the window)
  if (process.env.PREFETCH === '1') analyzer.prefetch({ roots: [ws], python });
  analyzer.start();
  await new Promise((res) => setTimeout(res, Number(process.env.OPEN_AFTER_MS ?? 0)));
  const cold = await ask(TIMM_FILE);
  const t = cold.reply?.timings;
  console.log(`cold (load ${load()}): report ${cold.total.toFixed(0)} ms, hints ${cold.hintsAt.toFixed(0)}, queued ${t?.queued?.toFixed(0)}, worker ${t?.worker?.toFixed(0)} (on a core ${t?.onCore?.toFixed(0)}; parse ${t?.parse?.toFixed(0)} interpret ${t?.interpret?.toFixed(0)} trace ${t?.trace?.toFixed(0)}) ${totals(cold)}`);
  const s = t as { spawnedAt?: number; onlineAt?: number; loadedAt?: number } | undefined;
  const since = (at?: number) => (at && s?.spawnedAt ? (at - s.spawnedAt).toFixed(0) : '?');
  console.log(`  from the spawn: online ${since(s?.onlineAt)}, bundle loaded ${since(s?.loadedAt)},`
    + ` reply sent ${since(t?.sentAt)} ms; log ${(cold.reply?.log ?? []).join(' | ').slice(0, 300)}`);
  for (let round = 1; round <= Number(process.env.RENEWALS ?? 3); round++) {
    analyzer.renew();
    const r = await ask(TIMM_FILE);
    console.log(`renewed #${round} (load ${load()}): report ${r.total.toFixed(0)} ms, worker ${r.reply?.timings?.worker?.toFixed(0)} ${totals(r) === totals(cold) ? '' : `DIFFERENT ${totals(r)}`}`);
  }
  // IDLE_MS: the worker idle that long before the edits (its imports run again in full for a snapshot meanwhile)
  await new Promise((res) => setTimeout(res, Number(process.env.IDLE_MS ?? 0)));
  const lines = TIMM_FILE.split('\n');
  const at = lines.findIndex((l) => l.startsWith('model.fc = '));
  const queued: number[] = [], totalsMs: number[] = [], worker: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const content = [...lines.slice(0, at), `model.fc = nn.Linear(model.fc.in_features, ${11 + (i % 5)})`, ...lines.slice(at + 1)].join('\n');
    const r = await ask(content);
    queued.push(r.reply?.timings?.queued ?? 0);
    totalsMs.push(r.hintsAt);
    worker.push(r.reply?.timings?.worker ?? 0);
    console.log(`  edit ${i}: hints ${r.hintsAt.toFixed(0)} ms, queued ${(r.reply?.timings?.queued ?? 0).toFixed(0)}, worker ${(r.reply?.timings?.worker ?? 0).toFixed(0)}, log ${(r.reply?.log ?? []).join(' | ').slice(0, 200)}`);
    // the editor's next edit comes after VS Code has shown the hints: a little later than the report
    await new Promise((res) => setTimeout(res, Number(process.env.GAP_MS ?? 30)));
  }
  if (EDITS > 0) console.log(`edits (load ${load()}): hints median ${pct(totalsMs, 50).toFixed(0)} p95 ${pct(totalsMs, 95).toFixed(0)}; queued median ${pct(queued, 50).toFixed(0)} p95 ${pct(queued, 95).toFixed(0)} max ${Math.max(...queued).toFixed(0)}; worker median ${pct(worker, 50).toFixed(0)}`);
  analyzer.dispose();
  // the worker stops once it wrote what it keeps
  await new Promise((res) => setTimeout(res, 2000));
  if (!process.env.STORE) rmSync(store, { recursive: true, force: true, maxRetries: 5 });
  rmSync(ws, { recursive: true, force: true });
}

void main();
