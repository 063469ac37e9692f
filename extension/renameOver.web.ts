// VS Code for the Web: no disk of its own, so the file system API's rename (which cannot train
// anyway, so it writes no run files; exported files still go through here).
import * as vscode from 'vscode';

export async function renameOver(from: vscode.Uri, to: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.rename(from, to, { overwrite: true });
}
