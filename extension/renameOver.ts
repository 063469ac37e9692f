// Replacing a file by another in one step. VS Code's file system API renames with `overwrite` by
// deleting the target first, which leaves a moment with no file at all; on the disk, Node's rename
// replaces the target atomically. (The browser build resolves ./renameOver to renameOver.web.ts.)
import { rename } from 'node:fs/promises';
import * as vscode from 'vscode';

export async function renameOver(from: vscode.Uri, to: vscode.Uri): Promise<void> {
  if (from.scheme === 'file' && to.scheme === 'file') await rename(from.fsPath, to.fsPath);
  else await vscode.workspace.fs.rename(from, to, { overwrite: true });
}
