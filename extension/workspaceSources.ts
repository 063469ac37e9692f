// The workspace's Python files as the engine sees them when it follows imports. The engine reads
// synchronously (SourceHost.readFile), VS Code reads asynchronously (vscode.workspace.fs, which
// also works in VS Code for the Web): so a read the cache cannot answer is recorded as a miss,
// the caller loads the misses and analyses again. Open documents win over the disk (unsaved edits).
import * as vscode from 'vscode';
import type { SourceHost } from '../engine/analyze';

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
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    const drop = (uri: vscode.Uri) => this.forget(uri.path);
    this.subscriptions.push(watcher, watcher.onDidChange(drop), watcher.onDidCreate(drop), watcher.onDidDelete(drop),
      vscode.workspace.onDidChangeTextDocument((e) => this.forget(e.document.uri.path)),
      this.changed);
  }

  /** A synchronous reader for one analysis; paths it could not answer go into `misses`. */
  host(misses: Set<string>): SourceHost {
    return {
      readFile: (path: string) => {
        this.asked.add(path);
        const open = vscode.workspace.textDocuments.find((d) => d.uri.path === path && d.uri.scheme === this.base.scheme);
        if (open) return open.getText();
        const text = this.texts.get(path);
        if (text === undefined) misses.add(path);
        return text ?? undefined;
      },
    };
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
