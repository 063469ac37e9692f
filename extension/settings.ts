// The ConvLens settings. Read once per scope and kept until a setting or the workspace's trust changes
// (`watchSettings`, first thing at activation): the providers read them on every edit, and
// `getConfiguration` costs milliseconds on a busy extension host. Changes apply without a reload.
import * as vscode from 'vscode';

export type HintPart = 'shape' | 'params' | 'compute';
export type ComputeUnit = 'MACs' | 'FLOPs';

export interface Settings {
  hintParts: HintPart[];
  computeUnit: ComputeUnit;
  defaultInputShape: number[] | undefined;
  batchDimension: string;
  analysisRoot: string;
  codeLens: boolean;
  diagnostics: boolean;
  statusBar: boolean;
  /** `convlens.python.extraPaths`: folders searched for imports before the environment's. */
  pythonExtraPaths: string[];
  /** `convlens.python.discovery`: look for the environment (workspace venvs, conda, Poetry, pipenv). */
  pythonDiscovery: boolean;
  /** `convlens.keras.naming`: Keras 3's layer and model names, or tf.keras 2's (`input_1`, `model`). */
  kerasNaming: 'keras3' | 'tf2';
  /** The Python extension's `python.defaultInterpreterPath`, a hint for finding the environment. */
  defaultInterpreterPath: string | undefined;
}

const PARTS: HintPart[] = ['shape', 'params', 'compute'];

/** Settings by scope (a document's URI), while `watchSettings` keeps them current; undefined: read every time. */
let cache: Map<string, Settings> | undefined;
/** A bound on the scopes kept: one per open document in practice. */
const SCOPES_KEPT = 256;

/**
 * Keeps what readSettings reads until a setting or the trust changes. Registered before every other
 * listener of those events, so that theirs read the new values.
 */
export function watchSettings(): vscode.Disposable {
  cache = new Map();
  const forget = () => cache?.clear();
  const subscriptions = [vscode.workspace.onDidChangeConfiguration(forget), vscode.workspace.onDidGrantWorkspaceTrust(forget)];
  return new vscode.Disposable(() => {
    cache = undefined;
    for (const s of subscriptions) s.dispose();
  });
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const key = scopeKey(scope);
  const kept = key === undefined ? undefined : cache?.get(key);
  if (kept) return kept;
  const settings = Object.freeze(readNow(scope));
  if (cache && key !== undefined) {
    if (cache.size >= SCOPES_KEPT) cache.clear();
    cache.set(key, settings);
  }
  return settings;
}

/** A URI's string; undefined for a scope that is not a URI (a workspace folder, a language): read each time. */
function scopeKey(scope: vscode.ConfigurationScope | undefined): string | undefined {
  if (scope === undefined || scope === null) return '';
  return scope instanceof vscode.Uri ? scope.toString() : undefined;
}

function readNow(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration('convlens', scope);
  const parts = c.get<unknown[]>('inlayHints.show', PARTS);
  const shape = c.get<unknown[]>('defaultInputShape', []);
  const validShape = Array.isArray(shape) && shape.length > 0 && shape.every((d) => Number.isInteger(d) && (d as number) > 0);
  return {
    hintParts: PARTS.filter((p) => Array.isArray(parts) && parts.includes(p)),
    computeUnit: c.get<string>('compute.unit') === 'FLOPs' ? 'FLOPs' : 'MACs',
    defaultInputShape: validShape ? (shape as number[]) : undefined,
    batchDimension: c.get<string>('display.batchDimension', 'N') ?? 'N',
    // An untrusted workspace's own settings choose no path the analysis reads: only the user's settings.
    analysisRoot: userOnly<string>(c, 'analysisRoot') ?? '',
    codeLens: c.get<boolean>('codeLens.enabled', true),
    diagnostics: c.get<boolean>('diagnostics.enabled', true),
    statusBar: c.get<boolean>('statusBar.enabled', true),
    pythonExtraPaths: (userOnly<unknown[]>(c, 'python.extraPaths') ?? []).filter((p): p is string => typeof p === 'string' && p.trim() !== ''),
    pythonDiscovery: c.get<boolean>('python.discovery', true) !== false,
    kerasNaming: c.get<string>('keras.naming') === 'tf2' ? 'tf2' : 'keras3',
    defaultInterpreterPath: vscode.workspace.getConfiguration('python', scope).get<string>('defaultInterpreterPath') || undefined,
  };
}

/** A setting that picks files to read: an untrusted workspace's own value is ignored, the user's is kept. */
function userOnly<T>(c: vscode.WorkspaceConfiguration, key: string): T | undefined {
  return vscode.workspace.isTrusted ? c.get<T>(key) : c.inspect<T>(key)?.globalValue;
}
