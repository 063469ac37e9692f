// The status bar item: the totals of the model at the cursor in the active Python editor.
import * as vscode from 'vscode';
import { COMMANDS } from './commandArgs';
import { displayOptions } from './display';
import { computeText, paramsText } from './format';
import { modelAt } from './reportQueries';
import { isPython, type ReportService } from './reportService';
import { readSettings } from './settings';
import { plainTitle } from './untrusted';

export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('convlens.model', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly reports: ReportService) {
    this.item.name = 'ConvLens model totals';
    this.item.command = COMMANDS.showSummary;
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.onDidChangeTextEditorSelection((e) => { if (e.textEditor === vscode.window.activeTextEditor) this.update(); }),
      reports.onDidUpdate(({ document }) => { if (document === vscode.window.activeTextEditor?.document) this.update(); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('convlens')) this.update(); }),
    ];
    this.update();
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const report = editor && isPython(editor.document) && readSettings(editor.document.uri).statusBar ? this.reports.peek(editor.document) : undefined;
    const model = report && modelAt(report, editor!.selection.active.line + 1);
    if (!model) {
      // Keep showing the last totals while the current version is being analysed.
      if (!editor || !isPython(editor.document) || (report && !report.models.length)) this.item.hide();
      return;
    }
    const o = displayOptions(editor!.document.uri);
    this.item.text = `$(layers) ${plainTitle(model.name)}: ${paramsText(model.totalParams)} · ${computeText(model.macs, o.computeUnit)}`;
    this.item.tooltip = `${model.name} (${model.framework}): ${model.totalParams.toLocaleString('en-US')} parameters, ${model.macs.toLocaleString('en-US')} MACs per sample. Click for the summary.`;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
