// Where VS Code for the Web analyses: its extension host is already a web worker, so the engine runs
// on it directly (the browser build resolves ./createAnalyzer to this file). Each analysis is logged
// to the output channel.
import type * as vscode from 'vscode';
import type { AnalyzeOptions } from '../engine/analyze';
import type { CellSource } from '../engine/notebook/ipynb';
import { LoggedAnalyzer } from './analysisLog';
import type { AnalysisReply, AnalysisRequest, PrefetchRequest, SnapshotPlace } from './analysisProtocol';
import type { Analyzer } from './analyzer';
import { log } from './log';
import { WorkerAnalysis } from './workerAnalysis';

/** Runs the engine on the calling thread (VS Code for the Web; tests): it has no disk of its own. */
export class InlineAnalyzer implements Analyzer {
  readonly inBackground = false;

  async analyse(
    file: string, content: string | CellSource[], options: Omit<AnalyzeOptions, 'host'>, files: Map<string, string | null>,
    _disk?: boolean, python?: AnalysisRequest['python'],
  ): Promise<AnalysisReply> {
    const reply = new WorkerAnalysis().analyse({ file, content, options, updates: [...files], forget: [], disk: false, python });
    return { ...reply, timings: reply.timings && { ...reply.timings, transfer: 0 } };
  }

  dispose(): void {}
}

/** The web has no disk for import snapshots (they stay in memory), nor for a prefetch of the workspace's imports. */
export function createAnalyzer(_extensionUri: vscode.Uri, _snapshots?: SnapshotPlace, _prefetch?: PrefetchRequest['prefetch']): Analyzer {
  return new LoggedAnalyzer(new InlineAnalyzer(), log);
}
