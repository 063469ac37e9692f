// The fake venv the lazy-import tests analyse against, and their check that a lazy report equals the one with
// every module run at the import.
import { strict as assert } from 'node:assert';
import { analyzeSource, type AnalyzeOptions } from '../../../engine/analyze';
import { lazyStats } from '../../../engine/python/lazy-package';
import type { FileReport } from '../../../engine/report/types';

export const SITE = '/ws/.venv/lib/python3.11/site-packages';

/** A workspace of those files (an undefined one left out). */
export function workspaceOf(files: Record<string, string | undefined>) {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(files)) if (v !== undefined) map.set(k, v);
  const isDirectory = (p: string) => [...map.keys()].some((k) => k.startsWith(`${p}/`));
  return { readFile: (p: string) => map.get(p), isDirectory };
}

export const options = (host: AnalyzeOptions['host'], fullImports = false): AnalyzeOptions => ({
  root: '/ws', host, input: [1, 3, 16, 16], fullImports,
  python: { paths: [{ path: SITE, source: 'venv', env: '/ws/.venv' }], problems: [] },
});

/** The lazy report, checked equal to the one with every module run at the import; and what ran on demand. */
export function lazyAndFull(main: string, host: AnalyzeOptions['host']): { report: FileReport; ran: number; fallbacks: number } {
  const before = { ...lazyStats };
  const report = analyzeSource('/ws/main.py', main, options(host));
  const ran = lazyStats.ranOnDemand - before.ranOnDemand;
  const fallbacks = lazyStats.fallbacks - before.fallbacks;
  assert.deepStrictEqual(report, analyzeSource('/ws/main.py', main, options(host, true)), main);
  return { report, ran, fallbacks };
}
