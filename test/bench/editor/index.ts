// `npm run bench:editor`: inside a real VS Code extension host (code-server), the time from an
// edit of a 2,000-line model file to inlay hints of the new version, the extension's activation
// time, and how long the extension host's event loop is held up meanwhile (the analysis runs in a
// worker thread, so that should stay near zero). Prints numbers; asserts nothing.
import * as vscode from 'vscode';
import { generatedModelFile } from '../generated-model';
import type { ConvLensApi } from '../../../extension/main';

const EDITS = 40;
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<ConvLensApi>('convlens.convlens');
  if (!ext) throw new Error('ConvLens is not installed');
  const t0 = performance.now();
  const api = await ext.activate();
  const activation = performance.now() - t0;

  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('open a folder');
  const uri = vscode.Uri.joinPath(folder.uri, 'bench_2000_lines.py');
  const source = generatedModelFile(2000);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(source));
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  const first = performance.now();
  await api.reportFor(uri);
  const firstReport = performance.now() - first;

  // event-loop lag of the extension host while edits are analysed
  let lag = 0;
  let last = performance.now();
  const timer = setInterval(() => { const now = performance.now(); lag = Math.max(lag, now - last - 10); last = now; }, 10);

  const line = doc.getText().split('\n').findIndex((l) => l.includes('self.head = nn.Linear(16, 10)'));
  const latencies: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const text = `        self.head = nn.Linear(16, ${10 + (i % 5)})`;
    const range = doc.lineAt(line).range;
    const t = performance.now();
    await editor.edit((b) => b.replace(range, text));
    const version = doc.version;
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, new vscode.Range(line, 0, line + 1, 0));
    const elapsed = performance.now() - t;
    if (doc.version !== version || !hints?.length) throw new Error('hints did not come for the edited version');
    latencies.push(elapsed);
  }
  clearInterval(timer);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.workspace.fs.delete(uri);

  console.log(`activation: ${activation.toFixed(1)} ms (activate() of an already-loaded host)`);
  console.log(`first report of the 2,000-line file: ${firstReport.toFixed(0)} ms`);
  console.log(`edit → updated inlay hints over ${EDITS} edits: median ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms (target p95 < 50 ms)`);
  console.log(`longest extension-host event-loop delay during the edits: ${lag.toFixed(1)} ms`);
  console.log('1 passed, 0 failed');
}
