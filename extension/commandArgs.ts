// What the ConvLens commands take when a hover link, a CodeLens or a code action runs them, and the
// command URIs for Markdown links. Every command also works without arguments (palette, keyboard).
import * as vscode from 'vscode';

export const COMMANDS = {
  showSummary: 'convlens.showSummary',
  setInputShape: 'convlens.setInputShape',
  train: 'convlens.train',
  animate: 'convlens.animate',
  animateLayer: 'convlens.animateLayer',
  refresh: 'convlens.refresh',
} as const;

/** A model (by its line) or a layer (by its path) of a document. */
export interface Target {
  uri: string;
  /** 1-based line of the model. */
  modelLine?: number;
  /** Layer path, for "Animate this layer". */
  layer?: string;
}

export function commandUri(command: string, target: Target): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([target]))}`;
}

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
