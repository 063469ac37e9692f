// Files the extension writes survive a kill or a closed window at any moment: the bytes go to a
// temporary file in the same folder, then are renamed over the target, which is thus the old file
// or the new one, never a torn one. The one place the extension writes files.
import * as vscode from 'vscode';
import { renameOver } from './renameOver';

export async function writeFileAtomic(target: vscode.Uri, data: Uint8Array): Promise<void> {
  const name = target.path.slice(target.path.lastIndexOf('/') + 1);
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('');
  const tmp = vscode.Uri.joinPath(target, '..', `.${name}.${suffix}.tmp`);
  await vscode.workspace.fs.writeFile(tmp, data);
  try {
    await renameOver(tmp, target);
  } catch (e) {
    await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
    throw e;
  }
}
