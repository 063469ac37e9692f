// The training panels: one webview per model's session, restored after a window reload
// (WebviewPanelSerializer), each message from the webview validated before it reaches the session.
// Closing the last view of a session that is still training asks whether to stop it.
import * as vscode from 'vscode';
import type { ModelReport } from '../engine/report/types';
import { parseTrainFromWebview } from '../webview/trainProtocol';
import { log, safeJson } from './log';
import type { ReportService } from './reportService';
import { TrainSession, type SessionEnv, type TrainView } from './trainSession';
import { terminateAll } from './trainWorkerClient';
import { webviewHtml } from './webviewHtml';

/** What the webview keeps in its state for the serializer. */
interface SavedState { uri?: unknown; model?: unknown }

export type Ask = (message: string, ...items: string[]) => Thenable<string | undefined>;

export class TrainPanels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  static readonly viewType = 'convlens.train';
  private readonly sessions = new Map<string, TrainSession>();
  private readonly panels = new Map<TrainSession, vscode.WebviewPanel>();
  private readonly subscriptions: vscode.Disposable[];
  /** How "stop the run?" is asked (the integration tests answer it themselves). */
  ask: Ask = (message, ...items) => vscode.window.showWarningMessage(message, ...items);
  /** How the export's target is asked (the integration tests answer it themselves). */
  saveTarget: SessionEnv['saveTarget'] = (o) => vscode.window.showSaveDialog(o);
  /** Malformed messages dropped so far (the protocol tests read it). */
  dropped = 0;

  constructor(private readonly extensionUri: vscode.Uri, private readonly reports: ReportService) {
    this.subscriptions = [
      reports.onDidUpdate(({ document, report }) => {
        for (const s of this.sessions.values()) {
          if (s.uri.toString() !== document.uri.toString()) continue;
          const model = report.models.find((m) => m.name === s.modelName);
          if (model) s.modelUpdated(model);
        }
      }),
      vscode.window.registerWebviewPanelSerializer(TrainPanels.viewType, this),
    ];
  }

  /** Opens (or reveals) the panel of a model's session. */
  async show(document: vscode.TextDocument, model: ModelReport): Promise<TrainSession> {
    const session = this.session(document.uri, model);
    const panel = this.panels.get(session);
    if (panel) panel.reveal(undefined, true);
    else this.attach(session, vscode.window.createWebviewPanel(TrainPanels.viewType, `Train: ${model.name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options()));
    return session;
  }

  /** The sessions, for the command that lists them and for the tests. */
  get all(): TrainSession[] { return [...this.sessions.values()]; }

  panelOf(session: TrainSession): vscode.WebviewPanel | undefined { return this.panels.get(session); }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const s = (state ?? {}) as SavedState;
    let model: ModelReport | undefined, document: vscode.TextDocument | undefined;
    if (typeof s.uri === 'string' && typeof s.model === 'string') {
      try {
        document = await vscode.workspace.openTextDocument(vscode.Uri.parse(s.uri, true));
        model = (await this.reports.get(document))?.models.find((m) => m.name === s.model);
      } catch (e) {
        log().warn(`training panel: cannot restore ${String(s.uri)}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (!document || !model) {
      panel.dispose();
      return;
    }
    panel.webview.options = this.options();
    this.attach(this.session(document.uri, model), panel);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')], retainContextWhenHidden: false };
  }

  private session(uri: vscode.Uri, model: ModelReport): TrainSession {
    const key = `${uri.toString()}#${model.name}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = new TrainSession({ extensionPath: this.extensionUri.fsPath, saveTarget: (o) => this.saveTarget(o) }, uri, model);
      this.sessions.set(key, s);
      void s.check();
    } else {
      s.modelUpdated(model);
    }
    return s;
  }

  private attach(session: TrainSession, panel: vscode.WebviewPanel): void {
    this.panels.set(session, panel);
    panel.title = `Train: ${session.modelName}`;
    panel.webview.html = webviewHtml(panel.webview, vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), 'train', `Train ${session.modelName}`);
    const view: TrainView = {
      post: (m) => void panel.webview.postMessage(m),
      get visible() { return panel.visible; },
    };
    session.attach(view);
    const subs = [
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseTrainFromWebview(raw);
        if (!msg) {
          this.dropped++;
          log().warn(`training panel: dropped a malformed message ${safeJson(raw)}`);
          return;
        }
        session.receive(view, msg).catch((e: unknown) => log().error(`training panel: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
      }),
      panel.onDidDispose(() => {
        for (const d of subs) d.dispose();
        session.detach(view);
        if (this.panels.get(session) === panel) this.panels.delete(session);
        void this.closed(session);
      }),
    ];
  }

  /** The last view of a session closed: a running session asks whether to stop; an idle one goes. */
  private async closed(session: TrainSession): Promise<void> {
    if (session.views.size > 0) return;
    if (session.running) {
      const answer = await this.ask(`ConvLens is still training ${session.modelName}. Stop the run? (Train ${session.modelName} again to reopen it.)`, 'Stop', 'Keep Training');
      if (answer !== 'Stop' || session.views.size > 0) return;
      await session.stop();
    }
    if (session.views.size === 0 && !session.running) {
      for (const [k, s] of this.sessions) if (s === session) this.sessions.delete(k);
      session.dispose();
    }
  }

  /** Deactivation: every run ends at once and no worker thread is left. */
  async shutdown(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of sessions) s.dispose();
    for (const p of [...this.panels.values()]) p.dispose();
    await terminateAll();
  }

  dispose(): void {
    void this.shutdown();
    for (const s of this.subscriptions) s.dispose();
  }
}
