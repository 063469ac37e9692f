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
    analysisRoot: (vscode.workspace.isTrusted ? c.get<string>('analysisRoot', '') : c.inspect<string>('analysisRoot')?.globalValue) ?? '',
    codeLens: c.get<boolean>('codeLens.enabled', true),
    diagnostics: c.get<boolean>('diagnostics.enabled', true),
    statusBar: c.get<boolean>('statusBar.enabled', true),
  };
}
