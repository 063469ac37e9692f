// The analysis worker (dist/analysis-worker.js): runs the engine off the extension host's main
// thread. It keeps the workspace files it was sent, and the engine's parse cache, between requests,
// and reads what else the imports name from the disk itself.
import { parentPort } from 'node:worker_threads';
import { nodeHost } from '../engine/cli/node-host';
import type { AnalysisRequest, Disk } from './analysisProtocol';
import { epochMs } from './latency';
import { WorkerAnalysis } from './workerAnalysis';

/** A VS Code URI path as the file system names it (`/c:/x` is `c:/x` on Windows). */
const fsPath = (path: string): string => (process.platform === 'win32' ? path.replace(/^\/([a-zA-Z]:)/, '$1') : path);

// the CLI's reader, with VS Code's paths
const disk: Disk = {
  readFile: (path) => nodeHost.readFile(fsPath(path)),
  isDirectory: (path) => nodeHost.isDirectory?.(fsPath(path)) ?? false,
  listDir: (path) => nodeHost.listDir(fsPath(path)),
};

const analysis = new WorkerAnalysis(disk);

parentPort?.on('message', (req: AnalysisRequest) => {
  try {
    const reply = analysis.analyse(req);
    parentPort?.postMessage({ id: req.id, ...reply, timings: { ...reply.timings, sentAt: epochMs() } });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    parentPort?.postMessage({
      id: req.id, misses: [], read: [],
      report: { file: req.file, models: [], diagnostics: [{ line: 1, severity: 'warning', code: 'internal-error', message: `ConvLens could not analyse this file (${message}).` }] },
    });
  }
});
