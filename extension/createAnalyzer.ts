// Where the desktop (Node extension host) analyses: the engine in a worker thread, started now so that
// loading it overlaps with opening the first file, for every workspace (the worker reads the disk of a
// `file:` one itself; the extension sends it the files of any other). The extension's own bundle thus
// holds no engine: activation loads less. The browser build resolves ./createAnalyzer to
// createAnalyzer.web.ts. Each analysis is logged to the output channel.
import * as vscode from 'vscode';
import { LoggedAnalyzer } from './analysisLog';
import type { PrefetchRequest, SnapshotPlace } from './analysisProtocol';
import { WorkerAnalyzer, type Analyzer } from './analyzer';
import { log } from './log';

/** `prefetch`: what the worker prefetches as it starts (workerPrefetch.ts). */
export function createAnalyzer(extensionUri: vscode.Uri, snapshots?: SnapshotPlace, prefetch?: PrefetchRequest['prefetch']): Analyzer {
  const worker = new WorkerAnalyzer(vscode.Uri.joinPath(extensionUri, 'dist', 'analysis-worker-start.js').fsPath, snapshots);
  if (prefetch) worker.prefetch(prefetch);
  worker.start();
  return new LoggedAnalyzer(worker, log);
}
