// Hosts the convolution animation webview: one panel, opened on the lecture's examples (command
// palette) or on a layer of a document (hover link, CodeLens), whose parameters come from the
// report service. Strict CSP with a nonce; every message from the webview is validated and a bad
// one is dropped and logged.
import * as vscode from 'vscode';
import type { LayerRow, ModelReport } from '../engine/report/types';
import { parseFromAnimate, type ToAnimate } from '../webview/animate/protocol';
import { firstAnimatable, layerAnimation } from './animateLayer';
import { log, safeJson } from './log';
import { layersAt, modelAt } from './reportQueries';
import type { ReportService } from './reportService';
import { webviewHtml } from './webviewHtml';

export class AnimatePanel implements vscode.Disposable {
  static readonly viewType = 'convlens.animate';
  private panel: vscode.WebviewPanel | undefined;
  private message: ToAnimate | undefined;
  private document: vscode.Uri | undefined;
  private nextId = 1;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly reports: ReportService) {}

  /** The lecture's examples; `note` says why when a layer was asked for and cannot be shown. */
  async showLecture(note?: string): Promise<void> {
    this.document = undefined;
    await this.show({ type: 'lecture', id: this.nextId++, ...(note ? { note } : {}) }, 'ConvLens: Convolution');
  }

  /**
   * A layer of a document: by path (hover link), at the cursor (command palette), or the model's
   * first convolution or pooling layer (CodeLens).
   */
  async showLayer(document: vscode.TextDocument, target: { modelLine?: number; layer?: string }, cursor?: vscode.Position): Promise<void> {
    const report = await this.reports.get(document);
    const file = document.uri.path.split('/').pop() ?? document.uri.path;
    let model: ModelReport | undefined;
    let row: LayerRow | undefined;
    const hit = report && cursor && target.layer === undefined ? layersAt(report, cursor.line + 1, cursor.character)[0] : undefined;
    if (hit) {
      ({ model, row } = hit);
    } else if (report) {
      model = target.modelLine !== undefined ? modelAt(report, target.modelLine) : report.models[0];
      row = model && (target.layer !== undefined ? model.layers.find((l) => l.path === target.layer) : firstAnimatable(model));
    }
    if (!model || !row) {
      const what = target.layer !== undefined ? `Layer ${target.layer}` : 'No convolution or pooling layer';
      return this.showLecture(`${what} ${target.layer !== undefined ? 'was not found' : 'was found'} in ${file}: showing the lecture's example.`);
    }
    const a = layerAnimation(model, row, file);
    if ('reason' in a) return this.showLecture(a.reason);
    this.document = document.uri;
    await this.show({ type: 'layer', id: this.nextId++, ...a }, `Animate: ${row.path}`);
  }

  /** What the panel was last asked to show (for the integration tests). */
  get current(): ToAnimate | undefined {
    return this.panel ? this.message : undefined;
  }

  private async show(message: ToAnimate, title: string): Promise<void> {
    this.message = message;
    if (this.panel) this.panel.reveal(undefined, true);
    else this.panel = this.create();
    this.panel.title = title;
    await this.panel.webview.postMessage(message);
  }

  private create(): vscode.WebviewPanel {
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(AnimatePanel.viewType, 'ConvLens: Convolution', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      localResourceRoots: [root],
      retainContextWhenHidden: false,
    });
    panel.webview.html = webviewHtml(panel.webview, root, 'animate', 'ConvLens: Convolution', '<p class="empty">Loading…</p>');
    panel.onDidDispose(() => { this.panel = undefined; }, null, this.subscriptions);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), null, this.subscriptions);
    return panel;
  }

  /** Handles a message from the webview; false when it was malformed and dropped. */
  async receive(raw: unknown): Promise<boolean> {
    const msg = parseFromAnimate(raw);
    if (!msg) {
      log().warn(`animation panel: dropped a malformed message ${safeJson(raw)}`);
      return false;
    }
    switch (msg.type) {
      case 'ready':
        // A (re)loaded webview: it keeps the user's edits when the id is the one it already has.
        if (this.message) await this.panel?.webview.postMessage(this.message);
        return true;
      case 'reveal': {
        if (!this.document) return true;
        const document = await vscode.workspace.openTextDocument(this.document);
        const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
        const pos = new vscode.Position(Math.min(msg.line - 1, document.lineCount - 1), 0);
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return true;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
