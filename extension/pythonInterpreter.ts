// The interpreter selected in the Python extension (ms-python.python), through its public API, when
// it is installed: `environments.getActiveEnvironmentPath()` and `resolveEnvironment()` give the
// executable and its sys.prefix. Never waits at the first analysis: the answer arrives later and
// announces itself (and every change of the selection) through onDidChange. Without the extension,
// or while it is not active, there is no selected interpreter and discovery goes on without it.
import * as vscode from 'vscode';
import { log } from './log';

/** What ConvLens needs of an environment: the interpreter's path (as a URI path), its prefix and version. */
export interface SelectedInterpreter {
  path: string;
  prefix?: string;
  version?: string;
}

/** The part of the Python extension's API used here (`@vscode/python-extension`'s PythonExtension). */
interface EnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
  resolveEnvironment(env: { path: string } | string): Promise<{ executable: { uri?: vscode.Uri; sysPrefix?: string }; version?: { major?: number; minor?: number } } | undefined>;
  onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
}

/** A file system path (`C:\x` or `/x`) as the URI path the engine uses (`/c:/x`). */
export const uriPath = (fsPath: string): string => vscode.Uri.file(fsPath).path;

export class PythonInterpreter implements vscode.Disposable {
  private readonly selected = new Map<string, SelectedInterpreter | undefined>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the selected interpreter changed or became known: reports are stale. */
  readonly onDidChange = this.changed.event;
  private api: EnvironmentsApi | undefined;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor() {
    void this.connect();
  }

  /** The interpreter selected for the resource's folder, if the Python extension has told us. */
  current(resource: vscode.Uri): SelectedInterpreter | undefined {
    const key = vscode.workspace.getWorkspaceFolder(resource)?.uri.toString() ?? '';
    if (!this.selected.has(key) && this.api) {
      this.selected.set(key, undefined);
      void this.resolve(resource, key);
    }
    return this.selected.get(key);
  }

  private async connect(): Promise<void> {
    const ext = vscode.extensions.getExtension<{ environments?: EnvironmentsApi }>('ms-python.python');
    if (!ext) return;
    try {
      const exports = ext.isActive ? ext.exports : await ext.activate();
      this.api = exports?.environments;
      if (!this.api) return;
      this.subscriptions.push(this.api.onDidChangeActiveEnvironmentPath(() => {
        this.selected.clear();
        this.changed.fire();
      }));
      this.changed.fire();
    } catch (e) {
      log().warn(`the Python extension's API is not available: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async resolve(resource: vscode.Uri, key: string): Promise<void> {
    try {
      const active = this.api!.getActiveEnvironmentPath(resource);
      const env = await this.api!.resolveEnvironment(active);
      const exe = env?.executable.uri?.fsPath ?? active.path;
      const v = env?.version;
      const found: SelectedInterpreter = {
        path: uriPath(exe),
        ...(env?.executable.sysPrefix ? { prefix: uriPath(env.executable.sysPrefix) } : {}),
        ...(v?.major !== undefined && v.minor !== undefined ? { version: `${v.major}.${v.minor}` } : {}),
      };
      this.selected.set(key, found);
      log().info(`Python interpreter for ${key || 'this window'}: ${exe}${found.prefix ? ` (sys.prefix ${found.prefix})` : ''}`);
      this.changed.fire();
    } catch (e) {
      log().warn(`the Python extension could not resolve the interpreter: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
