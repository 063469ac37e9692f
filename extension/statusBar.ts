// The status bar item: the totals of the model at the cursor in the active Python editor; in a
// notebook that shows nothing, why (no model found, a syntax error in cell N, a corrupt notebook); while
// a file's first analysis runs long (a timm file's imports are read and run once), that it is under way.
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

/** How long a first analysis runs before the status bar says it is under way (most files' take less). */
export const SLOW_FIRST_ANALYSIS_MS = 400;

export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('convlens.model', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  /** Shows that a first analysis is under way once it has run SLOW_FIRST_ANALYSIS_MS. */
  private slow: ReturnType<typeof setTimeout> | undefined;
  private visible = false;

  constructor(private readonly reports: ReportService) {
    this.item.name = 'ConvLens model totals';
    this.item.command = COMMANDS.showSummary;
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
      vscode.window.onDidChangeTextEditorSelection((e) => { if (e.textEditor === vscode.window.activeTextEditor) this.update(); }),
      reports.onDidUpdate(({ document }) => { if (document === vscode.window.activeTextEditor?.document) this.update(); }),
      reports.onDidStartFirstAnalysis(() => this.update()),
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
      if (editor && isPython(editor.document) && !report && this.showFirstAnalysis(editor.document)) return;
      // Keep showing the last totals while the current version is being analysed.
      if (!editor || !isPython(editor.document) || (report && !report.models.length)) this.setVisible(false);
      return;
    }
    const o = displayOptions(editor!.document.uri);
    const p = model.paramsComplete, m = model.macsComplete;
    this.item.text = `$(layers) ${plainTitle(model.name)}: ${paramsText(model.totalParams, p)} · ${computeText(model.macs, o.computeUnit, m)}`;
    const imports = packageLines(report!.packages);
    const where = imports.length ? `\n\nImports:\n${imports.join('\n')}` : '';
    this.item.tooltip = `${model.name} (${model.framework}): ${fullCount(model.totalParams, p)} parameters, ${fullCount(model.macs, m)} MACs per sample${model.complete ? '' : ' (≥: lower bounds, see the warnings)'}. Click for the summary.${where}`;
    this.setVisible(true);
  }

  /**
   * While the document's first analysis has run SLOW_FIRST_ANALYSIS_MS, says so (until its report replaces
   * it); before that, looks again then. True when it said so.
   */
  private showFirstAnalysis(document: vscode.TextDocument): boolean {
    clearTimeout(this.slow);
    const since = readSettings(document.uri).statusBar ? this.reports.firstAnalysisSince(document) : undefined;
    if (since === undefined) return false;
    const wait = since + SLOW_FIRST_ANALYSIS_MS - performance.now();
    if (wait > 0) {
      this.slow = setTimeout(() => this.update(), wait);
      return false;
    }
    const name = plainTitle(document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1));
    this.item.text = `$(sync~spin) ConvLens: reading imports… ${name}`;
    this.item.tooltip = `ConvLens is analysing ${name} for the first time: the modules it imports are read and run once, `
      + 'and later analyses start from what they made. The totals appear here when it is done.';
    this.setVisible(true);
    return true;
  }

  /** A notebook with nothing to show says why; true when it did. */
  private showWhyEmpty(cell: vscode.TextDocument): boolean {
    const whole = readSettings(cell.uri).statusBar ? this.reports.peekWhole(cell) : undefined;
    const why = whole && emptyReason(whole);
    if (!why) return false;
    this.item.text = `$(info) ConvLens: ${why.length > 60 ? `${why.slice(0, 59)}…` : why}`;
    this.item.tooltip = `ConvLens shows nothing for this notebook: ${why}. Its code cells are read as one program, in cell order.`;
    this.setVisible(true);
    return true;
  }

  private setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.item.show();
    else this.item.hide();
  }

  /** What the item shows now (the integration tests read it). */
  get shown(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  dispose(): void {
    clearTimeout(this.slow);
    for (const s of this.subscriptions) s.dispose();
  }
}
