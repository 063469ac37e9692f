// The workspace's Python files as the engine sees them when it follows imports. The engine reads
// synchronously (SourceHost.readFile), VS Code reads asynchronously (vscode.workspace.fs, which
// also works in VS Code for the Web): so a read the cache cannot answer is recorded as a miss,
// the caller loads the misses and analyses again. Open documents win over the disk (unsaved edits).
import * as vscode from 'vscode';

export class WorkspaceSources implements vscode.Disposable {
  /** Text by path; null = looked up, not there. */
  private readonly texts = new Map<string, string | null>();
  /** Every path an analysis has asked for: a change to one of them makes reports stale. */
  private readonly asked = new Set<string>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the path of a file the engine has read when it changes. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly base: vscode.Uri) {
    // Python modules, and the config files model code reads while it builds the model
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{py,yaml,yml,json,cfg}');
    const drop = (uri: vscode.Uri) => this.forget(uri.path);
    this.subscriptions.push(watcher, watcher.onDidChange(drop), watcher.onDidCreate(drop), watcher.onDidDelete(drop),
      vscode.workspace.onDidChangeTextDocument((e) => this.forget(e.document.uri.path)),
      this.changed);
  }

  /** Every file known so far, as the engine should see it now (open documents win over the disk). */
  files(): Map<string, string | null> {
    const out = new Map(this.texts);
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme === this.base.scheme && d.languageId === 'python') out.set(d.uri.path, d.getText());
    }
    return out;
  }

  /** Notes the paths an analysis asked for, so that a change to one of them makes reports stale. */
  noteAsked(paths: Iterable<string>): void {
    for (const p of paths) this.asked.add(p);
  }

  /** Reads the given paths through vscode.workspace.fs (missing files are remembered as missing). */
  async load(paths: Iterable<string>): Promise<void> {
    await Promise.all([...paths].map(async (path) => {
      try {
        const bytes = await vscode.workspace.fs.readFile(this.base.with({ path }));
        this.texts.set(path, new TextDecoder().decode(bytes));
      } catch {
        this.texts.set(path, null);
      }
    }));
  }

  private forget(path: string): void {
    const cached = this.texts.delete(path);
    if (cached || this.asked.has(path)) this.changed.fire(path);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
