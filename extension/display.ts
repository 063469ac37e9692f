// The display options of format.ts, taken from the settings.
import type { DisplayOptions } from './format';
import { readSettings } from './settings';
import type * as vscode from 'vscode';

export function displayOptions(scope?: vscode.ConfigurationScope): DisplayOptions {
  const s = readSettings(scope);
  return { hintParts: s.hintParts, computeUnit: s.computeUnit, batchDimension: s.batchDimension };
}
