// The ConvLens output channel: analysis failures and dropped webview messages are written here.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('ConvLens', { log: true });
  return channel;
}

/** A short printable form of a value that came from outside (a dropped message). */
export function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 200);
  } catch {
    return String(v);
  }
}
