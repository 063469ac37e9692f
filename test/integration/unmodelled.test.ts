// The honesty rule in the editor: a model with a class from an unresolved import shows its lower
// bounds as `≥` (and `?` where nothing is known) in the inlay hints and the CodeLens, and a warning.
// Known numbers: Conv2d(3, 8, 3) on 32×32 = 224 params, 194,400 MACs; Linear(16, 10) = 170 params.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { eventually, exampleUri, hintOn, lineOf, openExample } from './helpers';

const SOURCE = `import torch
from torch import nn
from missing_pkg import Mystery

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.m = Mystery(8, 16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.conv(x)
        x = self.m(x)
        return self.fc(x.mean((2, 3)))

model = Net()
model(torch.randn(1, 3, 32, 32))
`;

suite('unmodelled code', () => {
  suiteSetup(async () => {
    await vscode.workspace.fs.writeFile(exampleUri('unmodelled_net.py'), new TextEncoder().encode(SOURCE));
  });

  test('hints and CodeLens mark lower bounds with ≥ and unknowns with ?; a warning names the class', async () => {
    const doc = await openExample('unmodelled_net.py');
    assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'self.m = Mystery')), ['→ ? · ? params · ? MACs']);
    assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'self.fc = nn.Linear')), ['→ ? · 170 params · ? MACs']);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10)) ?? [];
    assert.strictEqual(lenses[0]?.command?.title, 'model: ≥ 394 params · ≥ 194K MACs');
    const warning = await eventually(() => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'unmodelled'), 'the unmodelled warning');
    assert.strictEqual(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /^Mystery \(from the unresolved import 'missing_pkg'\) is not modelled/);
  });
});
