// The analysis worker (dist/analysis-worker.js): runs the engine off the extension host's main
// thread. It keeps the workspace files it was sent, and the engine's parse cache, between requests,
// and reads what else the imports name from the disk itself. The report's heavy fields go as bytes
// the extension host decodes only when a view reads them (lazyReport.ts).
import { serialize } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { AnalysisRequest } from './analysisProtocol';
import { epochMs } from './latency';
import { splitReport } from './lazyReport';
import { WorkerAnalysis } from './workerAnalysis';
import { workerDisk } from './workerDisk';

const analysis = new WorkerAnalysis(workerDisk());

parentPort?.on('message', (req: AnalysisRequest) => {
  try {
    const reply = analysis.analyse(req);
    const { report, rest } = splitReport(reply.report);
    parentPort?.postMessage({ id: req.id, ...reply, report, rest: serialize(rest), timings: { ...reply.timings, sentAt: epochMs() } });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    parentPort?.postMessage({
      id: req.id, misses: [], read: [],
      report: { file: req.file, models: [], diagnostics: [{ line: 1, severity: 'warning', code: 'internal-error', message: `ConvLens could not analyse this file (${message}).` }] },
    });
  }
});
