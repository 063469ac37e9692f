// The real analysis worker (extension/analysisWorker.ts, bundled as the build bundles it) writes the parses of the
// modules an analysis imported to the parse store's folder after the reply's rest, so that the report never waits
// for them: whether the rest's timer posts it, or a stop comes first (the worker then writes them before it exits,
// for the next worker to read).
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import type { FileReport } from '../../../engine/report/types';
import { WorkerAnalyzer } from '../../../extension/analyzer';
import type { DisplayOptions } from '../../../extension/format';
import { tempDir } from '../temp-dir';

const display: DisplayOptions = { hintParts: ['shape', 'params', 'compute'], computeUnit: 'MACs', batchDimension: 'N' };
const HELPER = ['import torch.nn as nn', '', 'def head(n):', '    return nn.Linear(n, 2)', ''].join('\n');
const MAIN = ['import torch.nn as nn', 'import helper', '', 'net = nn.Sequential(nn.Linear(4, 4), helper.head(4))', ''].join('\n');

/** The worker's two bundles, as esbuild.js makes them, in a folder of their own. */
async function bundledWorker(): Promise<string> {
  const dir = tempDir('convlens-worker-');
  for (const [entry, out] of [['analysisWorker.ts', 'analysis-worker.js'], ['analysisWorkerStart.ts', 'analysis-worker-start.js']]) {
    await build({
      entryPoints: [resolve('extension', entry)], outfile: join(dir, out), bundle: true, platform: 'node', format: 'cjs',
      target: 'node20', logLevel: 'warning',
    });
  }
  return join(dir, 'analysis-worker-start.js');
}

/** The paths whose parses the store's folder holds (each file's head line names its module). */
function storedPaths(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.parse'))
    .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8').split('\n')[0]) as { kind: string; path: string }))
    .filter((h) => h.kind === 'parse').map((h) => h.path);
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (check()) return true;
  return check();
}

async function analyseWith(script: string, stopAtHints: boolean): Promise<{ report: FileReport | undefined; parses: string; ws: string }> {
  const ws = tempDir('convlens-worker-ws-');
  writeFileSync(join(ws, 'helper.py'), HELPER);
  const file = join(ws, 'main.py');
  writeFileSync(file, MAIN);
  const store = tempDir('convlens-worker-store-');
  const parses = join(store, 'parses');
  const analyzer = new WorkerAnalyzer(script, { dir: join(store, 'snapshots'), version: 'test', parses });
  let report: FileReport | undefined;
  // a stop posted as the hints come: before the rest's timer has fired
  const early = stopAtHints ? (h: { report: FileReport }) => { report = h.report; analyzer.dispose(); } : undefined;
  try {
    const reply = await analyzer.analyse(file, MAIN, { root: ws }, new Map(), true, undefined, { display, early });
    if (!stopAtHints) {
      report = reply?.report;
      // the worker keeps running: what it writes, it writes after the rest it has posted
      assert.ok(await until(() => storedPaths(parses).includes(join(ws, 'helper.py')), 10_000), 'helper.py parsed and kept after the reply');
    }
  } finally {
    analyzer.dispose();
  }
  return { report, parses, ws };
}

test('the imported modules\' parses are written after the reply, and before the worker stops', async () => {
  const script = await bundledWorker();
  const after = await analyseWith(script, false);
  assert.equal(after.report?.models[0]?.totalParams, 20 + 10, 'the report came whole');

  const stopped = await analyseWith(script, true);
  assert.equal(stopped.report?.models[0]?.totalParams, 30);
  assert.ok(await until(() => storedPaths(stopped.parses).includes(join(stopped.ws, 'helper.py')), 10_000),
    'written by the worker asked to stop before its rest was posted');
});
