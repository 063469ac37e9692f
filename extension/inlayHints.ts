// Inlay hints after each layer: `→ (N, 64, 112, 112) · 9.41K params · 118M MACs`. VS Code itself
// honours `editor.inlayHints.enabled`; `convlens.inlayHints.show` picks the parts.
import * as vscode from 'vscode';
import { displayOptions } from './display';
import { displayKey, hintItems, type HintItem } from './hintItems';
import { latencyOf, noteHintRequest, noteLatency, type HintRequestLog } from './latency';
import { reportKey, type ReportService } from './reportService';
import { ReportChangeEvent } from './reportChangeEvent';

/** How long a document's first request waits for its first hint items (ms): one sixth of it reaches VS Code's debounce. */
const FIRST_WAIT = 250;

export class LayerInlayHints implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly changed: ReportChangeEvent;
  readonly onDidChangeInlayHints: vscode.Event<void>;
  private readonly first: vscode.Disposable;

  constructor(private readonly reports: ReportService) {
    this.changed = new ReportChangeEvent(reports, (d) => {
      const key = reportKey(d);
      noteLatency(key, { changedAt: performance.now(), changes: (latencyOf(key)?.changes ?? 0) + 1 });
    });
    this.onDidChangeInlayHints = this.changed.event;
    // a document's first hints are asked for when they come, not when the rest of their report has
    this.first = reports.onDidFirstHints((document) => this.changed.fireUnanswered(document, this.reports.peekHints(document)?.report));
  }

  dispose(): void {
    this.first.dispose();
    this.changed.dispose();
  }

  async provideInlayHints(document: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.InlayHint[]> {
    const askedAt = performance.now();
    const key = reportKey(document);
    const version = document.version;
    // every request is logged with what it got (the benchmark prints them: why a first answer was empty)
    const answer = (hints: vscode.InlayHint[], outcome: HintRequestLog['outcome']) => {
      noteHintRequest(key, { askedAt, answeredAt: performance.now(), version, from: range.start.line, to: range.end.line, hints: hints.length, outcome });
      return hints;
    };
    const options = displayOptions(document.uri);
    if (!options.hintParts.length) return answer([], 'off');
    // VS Code times each answer and waits the mean of the last six after every edit and change event before
    // asking (its debounce, 25–625 ms): a first request that waited for the worker's start, or for the whole
    // first analysis, would delay the hints that follow by as long. So a document's first analysis is waited
    // for a moment only (FIRST_WAIT: its hint items are often that close, and the change event's round trip
    // otherwise costs 0.3–0.7 s, more when the host is busy receiving the report); then the answer is empty,
    // and the change event asks again when its hints come (before the rest of its report).
    if (!this.reports.hasReported(document) && !this.reports.peekHints(document)) {
      const soon = await Promise.race([this.reports.hintsFor(document), new Promise<undefined>((r) => setTimeout(r, FIRST_WAIT))]);
      if (!soon) return answer([], 'first-empty');
    }
    // the worker's hint items come before the rest of the report: they are all this needs
    const got = await this.reports.hintsFor(document);
    if (!got) return answer([], 'stale');
    if (token.isCancellationRequested) return answer([], 'cancelled');
    let report = 'hints' in got ? got.report : got;
    let items: HintItem[] | undefined = 'hints' in got && got.hints.display === displayKey(options) ? got.hints.items : undefined;
    if (!items) {
      // made for other settings (they changed meanwhile), or none: from the whole report, once per report
      const whole = 'hints' in got ? await this.reports.get(document) : got;
      if (!whole) return answer([], 'stale');
      if (token.isCancellationRequested) return answer([], 'cancelled');
      report = whole;
      items = hintItems(whole, options);
    }
    const start = performance.now();
    const hints: vscode.InlayHint[] = [];
    // VS Code asks again for each visible range
    for (const item of items) {
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
    noteLatency(key, { provider: answeredAt - start, askedAt, answeredAt, ...(hints.length ? { firstHintsAt: answeredAt } : {}) });
    return answer(hints, hints.length ? 'hints' : 'none-in-range');
  }
}
