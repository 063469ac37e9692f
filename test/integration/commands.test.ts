// The commands: every contributed command is registered (no dead buttons), Set input shape writes
// the comment and the analysis follows it, Show Summary opens the webview panel.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, hintOn, lineOf, openExample } from './helpers';

const STEM_WITHOUT_INPUT = `import torch.nn as nn


class Stem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)

    def forward(self, x):
        return self.conv1(x)
`;

suite('commands', () => {
  test('every command in the manifest is registered', async () => {
    const ext = vscode.extensions.getExtension('convlens.convlens')!;
    await ext.activate();
    const contributed = (ext.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.length >= 5);
    for (const c of contributed) assert.ok(registered.has(c), `${c} is registered`);
  });

  test('Set input shape writes `# convlens: input=(…)` above the model and the shapes follow', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: STEM_WITHOUT_INPUT });
    await vscode.window.showTextDocument(doc);
    const before = await (await api()).reportFor(doc.uri);
    assert.notStrictEqual(before?.models[0]?.inputShapeSource, 'comment');
    const classLine = lineOf(doc, 'class Stem');
    const done = vscode.commands.executeCommand<boolean>('convlens.setInputShape', { uri: doc.uri.toString(), modelLine: classLine + 1 });
    // The input box opens with a suggestion (the symbolic input has no numbers: the example); accept it.
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.strictEqual(await done, true);
    assert.strictEqual(doc.lineAt(classLine).text, '# convlens: input=(1, 3, 224, 224)');
    const after = await (await api()).reportFor(doc.uri);
    assert.strictEqual(after?.models[0]?.inputShapeSource, 'comment');
    assert.deepStrictEqual(after?.models[0]?.inputShape, [1, 3, 224, 224]);
    assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'self.conv1 = nn.Conv2d')), ['→ (N, 64, 112, 112) · 9.41K params · 118M MACs']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('Show Summary opens the summary panel beside the editor', async () => {
    const doc = await openExample('lenet_mnist.py');
    await vscode.commands.executeCommand('convlens.showSummary', { uri: doc.uri.toString() });
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const panel = tabs.find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('convlens.summary'));
    assert.ok(panel, `a summary tab among ${tabs.map((t) => t.label).join(', ')}`);
    assert.strictEqual(panel.label, 'Summary: lenet_mnist.py');
  });
});
