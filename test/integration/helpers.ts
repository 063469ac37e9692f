// Shared by the integration suites: open an example from the workspace (a fresh copy of
// examples/), wait for its report, and read what VS Code's own provider commands return.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ConvLensApi } from '../../extension/main';

export const EXTENSION_ID = 'convlens.convlens';

export async function api(): Promise<ConvLensApi> {
  const ext = vscode.extensions.getExtension<ConvLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  return ext.activate();
}

export function exampleUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder (the examples) is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens the example in an editor and waits until its report is computed. */
export async function openExample(name: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(exampleUri(name));
  await vscode.window.showTextDocument(document);
  const report = await (await api()).reportFor(document.uri);
  assert.ok(report, `${name} was analysed`);
  return document;
}

/** 0-based line of the first line containing `text`. */
export function lineOf(document: vscode.TextDocument, text: string): number {
  for (let i = 0; i < document.lineCount; i++) if (document.lineAt(i).text.includes(text)) return i;
  throw new Error(`"${text}" not found in ${document.uri.path}`);
}

/** Position of the first occurrence of `text` (plus `offset` characters). */
export function positionOf(document: vscode.TextDocument, text: string, offset = 0): vscode.Position {
  const line = lineOf(document, text);
  return new vscode.Position(line, document.lineAt(line).text.indexOf(text) + offset);
}

export async function inlayHints(document: vscode.TextDocument): Promise<vscode.InlayHint[]> {
  const range = new vscode.Range(0, 0, document.lineCount, 0);
  return (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, range)) ?? [];
}

export const hintText = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

/** The text of the ConvLens hint on a 0-based line. */
export async function hintOn(document: vscode.TextDocument, line: number): Promise<string[]> {
  return (await inlayHints(document)).filter((h) => h.position.line === line).map(hintText);
}

export async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** Waits until `check` returns a value (diagnostics arrive after a debounce). */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('convlens').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Reverts the active editor's unsaved changes (the tests edit the examples' copies). */
export async function revert(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}
