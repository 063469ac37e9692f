// Entry point of both builds (Node: dist/extension.js, browser: dist/web/extension.js). Activation
// only wires things up; the first analysis runs when a Python document asks for it.
import * as vscode from 'vscode';
import type { FileReport } from '../engine/report/types';
import { AnimatePanel } from './animatePanel';
import { ReportCodeActions } from './codeActions';
import { ModelCodeLens } from './codeLens';
import { COMMANDS, resolveTarget } from './commandArgs';
import { ReportDiagnostics } from './diagnostics';
import { LayerHover } from './hover';
import { LayerInlayHints } from './inlayHints';
import { hintRequestsOf, latencyOf, type HintRequestLog, type LatencyBreakdown } from './latency';
import { log } from './log';
import { isPython, ReportService } from './reportService';
import { watchSettings } from './settings';
import { setInputShape } from './setInputShape';
import { ModelStatusBar } from './statusBar';
import { SummaryPanel } from './summaryPanel';
import { trainingApi, trainModel, type TrainingApi } from './trainCommand';
import { TrainPanels } from './trainPanel';

/** What activate() returns: lets the integration tests and the benchmark wait for a report. */
export interface ConvLensApi {
  reportFor(uri: vscode.Uri): Promise<FileReport | undefined>;
  /** The training sessions and their worker threads, for the integration tests and benchmarks. */
  training: TrainingApi;
  /** The animation panel, as the integration tests see it. */
  animation: Pick<AnimatePanel, 'current' | 'receive'>;
  /** The status bar item's text, as the integration tests see it. */
  statusBar: Pick<ModelStatusBar, 'shown'>;
  /** Analyses the open documents again in a new analysis worker, as a new window would (the editor benchmark). */
  renewAnalyzer(): void;
  /** Where the time of the document's last analysis went (the editor benchmark). */
  latency(uri: vscode.Uri): Partial<LatencyBreakdown> | undefined;
  /** The document's last inlay hint requests, each with what it was answered (the editor benchmark). */
  hintRequests(uri: vscode.Uri): HintRequestLog[];
}

/** Python files, and the Python cells of Jupyter notebooks (analysed as one program per notebook). */
const PYTHON: vscode.DocumentSelector = [{ language: 'python' }, { notebookType: 'jupyter-notebook', language: 'python' }];

export function activate(context: vscode.ExtensionContext): ConvLensApi {
  // first, so that every other listener of a settings change reads the new values
  context.subscriptions.push(watchSettings());
  // import snapshots (a timm file's imports) outlive the window in the global storage, per ConvLens version
  // and so do V8's code cache of the analysis worker's bundle and the parses of imported modules
  const snapshots = {
    dir: vscode.Uri.joinPath(context.globalStorageUri, 'import-snapshots').fsPath, version: String(context.extension.packageJSON.version),
    codeCache: vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath,
    parses: vscode.Uri.joinPath(context.globalStorageUri, 'parses').fsPath,
  };
  const reports = new ReportService(context.extensionUri, undefined, snapshots);
  const diagnostics = new ReportDiagnostics(reports);
  const hints = new LayerInlayHints(reports);
  const lenses = new ModelCodeLens(reports);
  const summary = new SummaryPanel(context.extensionUri, reports);
  const training = new TrainPanels(context.extensionUri, reports);
  const animation = new AnimatePanel(context.extensionUri, reports);
  const statusBar = new ModelStatusBar(reports);

  const openTarget = async (arg: unknown) => {
    const target = resolveTarget(arg);
    return target && { target, document: await vscode.workspace.openTextDocument(target.uri) };
  };

  context.subscriptions.push(
    log(), reports, diagnostics, hints, lenses, summary, training, animation, statusBar,
    vscode.languages.registerInlayHintsProvider(PYTHON, hints),
    vscode.languages.registerHoverProvider(PYTHON, new LayerHover(reports)),
    vscode.languages.registerCodeLensProvider(PYTHON, lenses),
    vscode.languages.registerCodeActionsProvider(PYTHON, new ReportCodeActions(reports, diagnostics), { providedCodeActionKinds: ReportCodeActions.kinds }),
    vscode.commands.registerCommand(COMMANDS.showSummary, async (arg?: unknown) => {
      const t = await openTarget(arg);
      if (!t || !isPython(t.document)) return void vscode.window.showInformationMessage('ConvLens: open a Python file with a model to see its summary.');
      await summary.show(t.document, t.target.modelLine);
    }),
    vscode.commands.registerCommand(COMMANDS.setInputShape, (arg?: unknown) => setInputShape(reports, arg)),
    vscode.commands.registerCommand(COMMANDS.train, async (arg?: unknown) => trainModel(reports, training, await openTarget(arg))),
    vscode.commands.registerCommand(COMMANDS.animate, () => animation.showLecture()),
    vscode.commands.registerCommand(COMMANDS.animateLayer, async (arg?: unknown) => {
      const t = await openTarget(arg);
      if (!t || !isPython(t.document)) return animation.showLecture();
      await animation.showLayer(t.document, t.target, arg === undefined ? vscode.window.activeTextEditor?.selection.active : undefined);
    }),
    vscode.commands.registerCommand(COMMANDS.refresh, () => reports.invalidateAll()),
  );

  // Documents already open when the extension starts get their diagnostics too (notebook cells included).
  reports.scheduleOpen();

  return {
    reportFor: async (uri) => reports.get(await vscode.workspace.openTextDocument(uri)),
    training: trainingApi(training),
    animation,
    statusBar,
    renewAnalyzer: () => reports.renewAnalyzer(),
    latency: (uri) => latencyOf(uri.toString()),
    hintRequests: (uri) => hintRequestsOf(uri.toString()),
  };
}

export function deactivate(): void {}
