// Resolving what a ConvLens command was called with (a hover link, a CodeLens, a code action). Every
// command also works without arguments (palette, keyboard).
import * as vscode from 'vscode';

export { COMMANDS, commandUri, type Target } from './commands';
import type { Target } from './commands';

/** The target a command was called with, or the active editor and its cursor. */
export function resolveTarget(arg: unknown): { uri: vscode.Uri; modelLine?: number; layer?: string } | undefined {
  if (arg && typeof arg === 'object' && typeof (arg as Target).uri === 'string') {
    const t = arg as Target;
    return {
      uri: vscode.Uri.parse(t.uri),
      modelLine: typeof t.modelLine === 'number' ? t.modelLine : undefined,
      layer: typeof t.layer === 'string' ? t.layer : undefined,
    };
  }
  const editor = vscode.window.activeTextEditor;
  return editor ? { uri: editor.document.uri, modelLine: editor.selection.active.line + 1 } : undefined;
}
