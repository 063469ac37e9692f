// The ConvLens output channel: analysis failures and dropped webview messages are written here.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('ConvLens', { log: true });
  return channel;
}
