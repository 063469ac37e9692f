// `ConvLens: Train Model` (and the Train CodeLens): the panel of the model at the cursor or the
// CodeLens's line; and what the extension API tells tests and benchmarks about training.
import * as vscode from 'vscode';
import type { RunState } from '../webview/trainProtocol';
import { parseTrainFromWebview } from '../webview/trainProtocol';
import { modelAt } from './reportQueries';
import { isPython, type ReportService } from './reportService';
import type { TrainPanels } from './trainPanel';
import type { TrainView } from './trainSession';
import { liveWorkers } from './trainWorkerClient';

export async function trainModel(reports: ReportService, panels: TrainPanels,
  t: { target: { modelLine?: number }; document: vscode.TextDocument } | undefined): Promise<void> {
  if (!t || !isPython(t.document)) return void vscode.window.showInformationMessage('ConvLens: open a Python file with a model to train it.');
  const report = await reports.get(t.document);
  const model = report && ((t.target.modelLine !== undefined ? modelAt(report, t.target.modelLine) : undefined) ?? report.models[0]);
  if (!model) return void vscode.window.showInformationMessage(`ConvLens: no model found in ${t.document.uri.path.split('/').pop()} to train.`);
  await panels.show(t.document, model);
}

export interface TrainingApi {
  /** `message`: what the status line says beside the state (why a resume was refused, warnings). */
  sessions(): Array<{ model: string; state: RunState; runId?: string; message?: string; views: number; panelOpen: boolean }>;
  liveWorkers(): number;
  /** Handles a message as if the model's panel had sent it (validation included); false if it was dropped. */
  receive(model: string, raw: unknown): Promise<boolean>;
  /** Answers the next "stop the run?" questions (undefined restores the real question). */
  answerStop(answer: string | undefined): void;
  /** Answers the next export dialogs with this file (undefined restores the real dialog). */
  answerSave(target: vscode.Uri | undefined): void;
  /** Closes the model's panel. */
  closePanel(model: string): void;
  shutdown(): Promise<void>;
}

export function trainingApi(panels: TrainPanels): TrainingApi {
  const find = (model: string) => panels.all.find((s) => s.modelName === model);
  const ask = panels.ask, saveTarget = panels.saveTarget;
  const silent: TrainView = { post: () => undefined, visible: false };
  return {
    sessions: () => panels.all.map((s) => ({
      model: s.modelName, state: s.state, runId: s.runId, message: s.message, views: s.views.size, panelOpen: panels.panelOf(s) !== undefined,
    })),
    liveWorkers,
    receive: async (model, raw) => {
      const session = find(model), msg = parseTrainFromWebview(raw);
      if (!session || !msg) return false;
      await session.receive(silent, msg);
      return true;
    },
    answerStop: (answer) => { panels.ask = answer === undefined ? ask : async () => answer; },
    answerSave: (target) => { panels.saveTarget = target === undefined ? saveTarget : async () => target; },
    closePanel: (model) => { const s = find(model); if (s) panels.panelOf(s)?.dispose(); },
    shutdown: () => panels.shutdown(),
  };
}
