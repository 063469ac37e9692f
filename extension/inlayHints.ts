// Inlay hints after each layer: `→ (N, 64, 112, 112) · 9.41K params · 118M MACs`. VS Code itself
// honours `editor.inlayHints.enabled`; `convlens.inlayHints.show` picks the parts.
import * as vscode from 'vscode';
import { displayOptions } from './display';
import { hintItems } from './hintItems';
import { noteLatency } from './latency';
import { reportKey, type ReportService } from './reportService';
import { ReportChangeEvent } from './reportChangeEvent';

/** How long a document's first request waits for its first report (a quiet machine's first analysis fits). */
const FIRST_WAIT_MS = 300;

export class LayerInlayHints implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly changed: ReportChangeEvent;
  readonly onDidChangeInlayHints: vscode.Event<void>;

  constructor(private readonly reports: ReportService) {
    this.changed = new ReportChangeEvent(reports);
    this.onDidChangeInlayHints = this.changed.event;
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideInlayHints(document: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.InlayHint[]> {
    const askedAt = performance.now();
    const options = displayOptions(document.uri);
    if (!options.hintParts.length) return [];
    // VS Code times each answer and waits that long after every edit before asking (its debounce, up to
    // 625 ms): a first request that waited for the worker's start would slow the hints of the edits
    // that follow. So a document's first analysis is waited for FIRST_WAIT_MS at most; after that the
    // answer is empty and the change event asks again once the report is ready.
    const pending = this.reports.get(document);
    const report = this.reports.hasReported(document) ? await pending
      : await Promise.race([pending, new Promise<undefined>((r) => setTimeout(r, FIRST_WAIT_MS))]);
    if (!report || token.isCancellationRequested) return [];
    const start = performance.now();
    const hints: vscode.InlayHint[] = [];
    // made by the worker with the report (or once per report here): VS Code asks again for each visible range
    for (const item of hintItems(report, options)) {
      const line = item.line - 1;
      if (line < range.start.line || line > range.end.line || line >= document.lineCount) continue;
      const col = item.col ?? document.lineAt(line).range.end.character;
      const hint = new vscode.InlayHint(new vscode.Position(line, col), item.label, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = item.tooltip;
      hints.push(hint);
    }
    this.changed.answeredFrom(document, report);
    const answeredAt = performance.now();
    noteLatency(reportKey(document), { provider: answeredAt - start, askedAt, answeredAt, ...(hints.length ? { firstHintsAt: answeredAt } : {}) });
    return hints;
  }
}
