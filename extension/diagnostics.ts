// The report's diagnostics (the file's and each model's) as VS Code problems. The fixes that
// come with them are kept here for the code-action provider, which matches VS Code's copies of
// the diagnostics back by range, code and message.
import * as vscode from 'vscode';
import type { Diagnostic as ReportDiagnostic, FileReport, Fix, ModelReport } from '../engine/report/types';
import { BUNDLED_ROOT } from '../engine/python/bundled';
import { lineRange, toRange } from './ranges';
import type { ReportService } from './reportService';
import { readSettings } from './settings';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information };

export interface Published {
  diagnostic: vscode.Diagnostic;
  fixes: Fix[];
  model?: ModelReport;
}

export class ReportDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('convlens');
  private readonly published = new Map<string, Published[]>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(reports: ReportService) {
    this.subscriptions = [
      this.collection,
      reports.onDidUpdate(({ document, report }) => this.publish(document, report)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    ];
  }

  publish(document: vscode.TextDocument, report: FileReport): void {
    if (!readSettings(document.uri).diagnostics) return this.clear(document.uri);
    const items: Published[] = [];
    const add = (d: ReportDiagnostic, model?: ModelReport) => {
      const range = d.range && !d.range.file ? toRange(d.range) : lineRange(document, d.line);
      const diagnostic = new vscode.Diagnostic(range, d.message, d.quiet ? vscode.DiagnosticSeverity.Hint : SEVERITY[d.severity]);
      diagnostic.source = 'ConvLens';
      diagnostic.code = d.code;
      // raised in an imported file: shown at the user's line, the imported file's place as related information
      // (the bundled torchvision is no file on disk: the message names it)
      const related = (d.related ?? []).filter((r) => !r.file.startsWith(`${BUNDLED_ROOT}/`));
      if (related.length) {
        diagnostic.relatedInformation = related.map((r) =>
          new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), new vscode.Position(Math.max(r.line - 1, 0), 0)), r.message));
      }
      items.push({ diagnostic, fixes: (d.fixes ?? []).filter((f) => !f.range.file), model });
    };
    for (const d of report.diagnostics) add(d);
    for (const m of report.models) for (const d of m.diagnostics) add(d, m);
    const key = document.uri.toString();
    // a file with no problems before and after: nothing to send to the workbench on this edit
    if (!items.length && this.published.get(key)?.length === 0) return;
    this.published.set(key, items);
    this.collection.set(document.uri, items.map((i) => i.diagnostic));
  }

  /** What was published for a diagnostic VS Code hands back (a copy, so matched by content). */
  find(uri: vscode.Uri, d: vscode.Diagnostic): Published | undefined {
    return this.published.get(uri.toString())?.find((p) =>
      p.diagnostic.range.isEqual(d.range) && p.diagnostic.message === d.message && String(p.diagnostic.code) === String(d.code));
  }

  private clear(uri: vscode.Uri): void {
    this.published.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
