// The status bar item: the totals of the model at the cursor in the active Python editor; in a
// notebook that shows nothing, why (no model found, a syntax error in cell N, a corrupt notebook).
import * as vscode from 'vscode';
import { COMMANDS } from './commandArgs';
import { displayOptions } from './display';
import { computeText, fullCount, paramsText } from './format';
import { emptyReason } from '../engine/notebook/empty-reason';
import { isNotebookCell } from './notebookCells';
import { modelAt } from './reportQueries';
import { isPython, type ReportService } from './reportService';
import { readSettings } from './settings';
import { plainTitle } from './untrusted';
import { packageLines } from '../engine/report/package-origin';

export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('convlens.model', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly reports: ReportService) {
    this.item.name = 'ConvLens model totals';
    this.item.command = COMMANDS.showSummary;
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
      vscode.window.onDidChangeTextEditorSelection((e) => { if (e.textEditor === vscode.window.activeTextEditor) this.update(); }),
      reports.onDidUpdate(({ document }) => { if (document === vscode.window.activeTextEditor?.document) this.update(); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('convlens')) this.update(); }),
    ];
    this.update();
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    if (editor && isNotebookCell(editor.document) && this.showWhyEmpty(editor.document)) return;
    const report = editor && isPython(editor.document) && readSettings(editor.document.uri).statusBar ? this.reports.peek(editor.document) : undefined;
    const model = report && modelAt(report, editor!.selection.active.line + 1);
    if (!model) {
      // Keep showing the last totals while the current version is being analysed.
      if (!editor || !isPython(editor.document) || (report && !report.models.length)) this.item.hide();
      return;
    }
    const o = displayOptions(editor!.document.uri);
    const p = model.paramsComplete, m = model.macsComplete;
    this.item.text = `$(layers) ${plainTitle(model.name)}: ${paramsText(model.totalParams, p)} · ${computeText(model.macs, o.computeUnit, m)}`;
    const imports = packageLines(report!.packages);
    const where = imports.length ? `\n\nImports:\n${imports.join('\n')}` : '';
    this.item.tooltip = `${model.name} (${model.framework}): ${fullCount(model.totalParams, p)} parameters, ${fullCount(model.macs, m)} MACs per sample${model.complete ? '' : ' (≥: lower bounds, see the warnings)'}. Click for the summary.${where}`;
    this.item.show();
  }

  /** A notebook with nothing to show says why; true when it did. */
  private showWhyEmpty(cell: vscode.TextDocument): boolean {
    const whole = readSettings(cell.uri).statusBar ? this.reports.peekWhole(cell) : undefined;
    const why = whole && emptyReason(whole);
    if (!why) return false;
    this.item.text = `$(info) ConvLens: ${why.length > 60 ? `${why.slice(0, 59)}…` : why}`;
    this.item.tooltip = `ConvLens shows nothing for this notebook: ${why}. Its code cells are read as one program, in cell order.`;
    this.item.show();
    return true;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
