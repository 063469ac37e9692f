// While a file's first analysis runs long (its imports are read and run once: timm's take seconds), the
// status bar says so with the file's name; the model's totals replace it when the report comes. The
// imported module here is made slow on purpose: 60,000 lines to parse and a loop of 500,000 steps.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { SLOW_FIRST_ANALYSIS_MS } from '../../extension/statusBar';
import { api, exampleUri } from './helpers';

const SLOW_MODULE = [
  ...Array.from({ length: 60_000 }, (_, i) => `CONSTANT_${i} = ${i} * 2 + 1`),
  'TOTAL = 0', 'for i in range(500000):', '    TOTAL += i % 7', 'WIDTH = 16', '',
].join('\n');

const MODEL = [
  'import torch', 'import torch.nn as nn', 'from slow_imported_helpers import WIDTH', '',
  'model = nn.Sequential(nn.Conv2d(3, WIDTH, 3), nn.ReLU())', 'y = model(torch.randn(1, 3, 32, 32))', '',
].join('\n');

suite('status bar', () => {
  test('a long first analysis says "reading imports…" with the file\'s name until its totals replace it', async () => {
    const convlens = await api();
    const helpers = exampleUri('slow_imported_helpers.py');
    const file = exampleUri('slow_imports_model.py');
    await vscode.workspace.fs.writeFile(helpers, new TextEncoder().encode(SLOW_MODULE));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(MODEL));
    try {
      const start = performance.now();
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
      let reportAt = 0;
      const report = convlens.reportFor(file).then((r) => { reportAt = performance.now() - start; return r; });
      const seen: Array<[number, string | undefined]> = [];
      while (!reportAt) {
        seen.push([performance.now() - start, convlens.statusBar.shown]);
        await new Promise((r) => setTimeout(r, 25));
      }
      const busy = seen.filter(([, text]) => text?.includes('ConvLens: reading imports…'));
      assert.ok(reportAt > SLOW_FIRST_ANALYSIS_MS + 300, `the first analysis took ${reportAt.toFixed(0)} ms: too quick to show the status`);
      assert.ok(busy.length, `the status said it was under way (seen: ${JSON.stringify(seen.filter((_, i) => i % 10 === 0))})`);
      assert.ok(busy.every(([, text]) => text?.includes('slow_imports_model.py')), 'with the file\'s name');
      assert.ok(busy[0][0] >= SLOW_FIRST_ANALYSIS_MS - 50, `not before the first analysis has run ${SLOW_FIRST_ANALYSIS_MS} ms (at ${busy[0][0].toFixed(0)})`);
      const model = (await report)?.models[0];
      assert.strictEqual(model?.totalParams, 3 * 16 * 9 + 16);
      // the totals of the model at the cursor replace it
      await vscode.window.activeTextEditor?.revealRange(new vscode.Range(4, 0, 4, 0));
      vscode.window.activeTextEditor!.selection = new vscode.Selection(4, 0, 4, 0);
      const after = await waitFor(() => convlens.statusBar.shown, (text) => !!text && !text.includes('reading imports'));
      assert.match(after, /448 params/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(file);
      await vscode.workspace.fs.delete(helpers);
    }
  });
});

async function waitFor(read: () => string | undefined, ok: (text: string | undefined) => boolean): Promise<string> {
  const end = Date.now() + 10_000;
  for (;;) {
    const text = read();
    if (ok(text)) return text as string;
    if (Date.now() > end) throw new Error(`the status bar still shows ${JSON.stringify(text)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
