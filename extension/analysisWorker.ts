// The analysis worker (dist/analysis-worker.js): runs the engine off the extension host's main
// thread. It keeps the workspace files it was sent, and the engine's parse cache, between requests.
import { parentPort } from 'node:worker_threads';
import { analyzeDocument } from '../engine/notebook/analyze-notebook';
import { hostOf, type AnalysisRequest } from './analysisProtocol';
import { epochMs, zeroTimings } from './latency';

const files = new Map<string, string | null>();

parentPort?.on('message', (req: AnalysisRequest) => {
  for (const [path, text] of req.updates) files.set(path, text);
  const misses = new Set<string>();
  const timings = zeroTimings();
  try {
    const report = analyzeDocument(req.file, req.content, { ...req.options, host: hostOf(files, misses), timings });
    parentPort?.postMessage({ id: req.id, report, misses: [...misses], timings: { ...timings, sentAt: epochMs() } });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    parentPort?.postMessage({
      id: req.id, misses: [],
      report: { file: req.file, models: [], diagnostics: [{ line: 1, severity: 'warning', code: 'internal-error', message: `ConvLens could not analyse this file (${message}).` }] },
    });
  }
});
