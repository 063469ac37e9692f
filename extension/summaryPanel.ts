// Hosts the summary webview: one panel that follows the active Python editor. Strict CSP with a
// nonce, no inline handlers, local resources limited to the webview bundle folder, and every
// message from the webview validated against the protocol (bad ones are dropped and logged).
import * as vscode from 'vscode';
import { parseFromWebview, type ToWebview } from '../webview/protocol';
import { displayOptions } from './display';
import { log, safeJson } from './log';
import { modelAt } from './reportQueries';
import { isPython, type ReportService } from './reportService';
import { summaryModels } from './summaryData';
import { packageLines } from '../engine/report/package-origin';
import { webviewHtml } from './webviewHtml';
import { DEFAULT_MEMORY_OPTIONS, type MemoryOptions } from '../engine/memory/estimate';

export class SummaryPanel implements vscode.Disposable {
  static readonly viewType = 'convlens.summary';
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private modelLine: number | undefined;
  /** The memory controls' batch size, optimiser and dtype (the training panel's defaults until changed). */
  private memory: MemoryOptions = DEFAULT_MEMORY_OPTIONS;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly extensionUri: vscode.Uri, private readonly reports: ReportService) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor((e) => { if (e && isPython(e.document)) this.follow(e.document); }),
      reports.onDidUpdate(({ document }) => { if (document === this.document) void this.post(); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('convlens')) void this.post(); }),
    ];
  }

  /** Opens (or reveals) the panel on a document, with the model at `modelLine` selected. */
  async show(document: vscode.TextDocument, modelLine?: number): Promise<void> {
    this.document = document;
    this.modelLine = modelLine;
    if (this.panel) {
      this.panel.reveal(undefined, true);
    } else {
      this.panel = this.create();
    }
    await this.post();
  }

  private follow(document: vscode.TextDocument): void {
    if (!this.panel || document === this.document) return;
    this.document = document;
    this.modelLine = undefined;
    void this.post();
  }

  private create(): vscode.WebviewPanel {
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(SummaryPanel.viewType, 'ConvLens Summary', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [root],
      retainContextWhenHidden: false,
    });
    panel.webview.html = webviewHtml(panel.webview, root, 'summary', 'ConvLens Summary', '<p class="empty">Analysing…</p>');
    panel.onDidDispose(() => { this.panel = undefined; }, null, this.subscriptions);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), null, this.subscriptions);
    return panel;
  }

  private async receive(raw: unknown): Promise<void> {
    const msg = parseFromWebview(raw);
    if (!msg) {
      log().warn(`summary panel: dropped a malformed message ${safeJson(raw)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        return this.post();
      case 'memory':
        this.memory = { batchSize: msg.batchSize, optimizer: msg.optimizer, dtype: msg.dtype };
        return this.post();
      case 'copy':
        await vscode.env.clipboard.writeText(msg.text);
        void vscode.window.setStatusBarMessage('$(check) ConvLens summary copied as Markdown', 3000);
        return;
      case 'reveal': {
        if (!this.document) return;
        const editor = await vscode.window.showTextDocument(this.document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
        const pos = new vscode.Position(Math.min(msg.line - 1, this.document.lineCount - 1), 0);
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      }
    }
  }

  private async post(): Promise<void> {
    const panel = this.panel;
    const document = this.document;
    if (!panel || !document) return;
    const report = await this.reports.get(document);
    if (!report || panel !== this.panel || document !== this.document) return;
    const file = document.uri.path.split('/').pop() ?? document.uri.path;
    let message: ToWebview;
    if (!report.models.length) {
      const why = report.diagnostics[0]?.message;
      message = { type: 'empty', message: `No model found in ${file}: ConvLens looks for nn.Module subclasses, nn.Sequential and Keras models.${why ? ` ${why}` : ''}` };
    } else {
      const o = displayOptions(document.uri);
      const at = this.modelLine !== undefined ? modelAt(report, this.modelLine) : undefined;
      message = { type: 'summary', file, models: summaryModels(report, o, this.memory), selected: Math.max(0, at ? report.models.indexOf(at) : 0), computeUnit: o.computeUnit, imports: packageLines(report.packages) };
    }
    panel.title = `Summary: ${file}`;
    await panel.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
