// Hosts the summary webview: one panel that follows the active Python editor. Strict CSP with a
// nonce, no inline handlers, local resources limited to the webview bundle folder, and every
// message from the webview validated against the protocol (bad ones are dropped and logged).
import * as vscode from 'vscode';
import { parseFromWebview, type ToWebview } from '../webview/protocol';
import { displayOptions } from './display';
import { log } from './log';
import { modelAt } from './reportQueries';
import { isPython, type ReportService } from './reportService';
import { summaryModels } from './summaryData';

export class SummaryPanel implements vscode.Disposable {
  static readonly viewType = 'convlens.summary';
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private modelLine: number | undefined;
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
    panel.webview.html = html(panel.webview, root);
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
      message = { type: 'summary', file, models: summaryModels(report, o), selected: Math.max(0, at ? report.models.indexOf(at) : 0), computeUnit: o.computeUnit };
    }
    panel.title = `Summary: ${file}`;
    await panel.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

function html(webview: vscode.Webview, root: vscode.Uri): string {
  const nonce = makeNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'summary.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'summary.css'));
  const csp = [
    "default-src 'none'",
    // The toolkit (FAST) appends one empty <style> element as its design-token target and fills it
    // through the CSSOM: allow exactly the empty string's hash, never 'unsafe-inline'.
    `style-src ${webview.cspSource} 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>ConvLens Summary</title>
</head>
<body>
<main id="root"><p class="empty">Analysing…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 200);
  } catch {
    return String(v);
  }
}
