// The change event of a provider whose answers come from the report service (inlay hints, CodeLens).
// A request of VS Code's that waits for a report answers from it once the report's listeners return;
// a change event then would make VS Code cancel that request and ask again after its debounce (a
// first request that waited for the worker's start makes that debounce long). So the event fires only
// when no request of the document was answered from the new report, and once per report.
import * as vscode from 'vscode';
import type { FileReport } from '../engine/report/types';
import type { ReportService } from './reportService';

export class ReportChangeEvent implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly event = this.emitter.event;
  /** The report each document's last answer came from. */
  private readonly answered = new WeakMap<vscode.TextDocument, FileReport>();
  /**
   * The report each document's event last fired for. A report fires it once: its hint items come first
   * (`onDidFirstHints`) and the report itself a moment later, and a second event for it, reaching VS Code while
   * the request the first one caused is on its way, makes VS Code cancel that request (its answer is dropped)
   * and ask once more.
   */
  private readonly firedFor = new WeakMap<vscode.TextDocument, FileReport>();
  private readonly subscription: vscode.Disposable;
  private disposed = false;

  /** `fired`: told of each firing (the inlay hints note when, for the benchmark). */
  constructor(reports: ReportService, private readonly fired?: (document: vscode.TextDocument) => void) {
    this.subscription = reports.onDidUpdate(({ document, report }) => this.fireUnanswered(document, report));
  }

  /** Fires unless a request of `document` was answered from `report` or this fired for it (after the listeners). */
  fireUnanswered(document: vscode.TextDocument, report: FileReport | undefined): void {
    // after the waiting requests' continuations, which run as soon as the listeners return
    setTimeout(() => {
      if (this.disposed || this.answered.get(document) === report) return;
      if (report && this.firedFor.get(document) === report) return;
      if (report) this.firedFor.set(document, report);
      this.fired?.(document);
      this.emitter.fire();
    }, 0);
  }

  /** Notes that a request of `document` was answered from `report`. */
  answeredFrom(document: vscode.TextDocument, report: FileReport): void {
    this.answered.set(document, report);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
