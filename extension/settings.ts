// The ConvLens settings, read once per use so that changes apply without a reload.
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
}

const PARTS: HintPart[] = ['shape', 'params', 'compute'];

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
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
  };
}

/** A setting that picks files to read: an untrusted workspace's own value is ignored, the user's is kept. */
function userOnly<T>(c: vscode.WorkspaceConfiguration, key: string): T | undefined {
  return vscode.workspace.isTrusted ? c.get<T>(key) : c.inspect<T>(key)?.globalValue;
}
