// CodeLens above each model: totals from the engine (LeNet: 61,706 params as PyTorch counts them;
// 117,600 + 240,000 + 48,000 + 10,080 + 840 = 416,520 MACs), input shape with its source, actions.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, lineOf, openExample } from './helpers';

async function lenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
}

suite('CodeLens', () => {
  test('LeNet: totals, input shape and source, and working actions', async () => {
    const doc = await openExample('lenet_mnist.py');
    const all = await lenses(doc);
    const classLine = lineOf(doc, 'class LeNet');
    assert.ok(all.every((l) => l.range.start.line === classLine), 'lenses sit on the class line');
    const titles = all.map((l) => l.command?.title);
    assert.deepStrictEqual(titles.slice(0, 1), ['LeNet: 61.7K params · 417K MACs']);
    const model = (await (await api()).reportFor(doc.uri))?.models[0];
    assert.deepStrictEqual([model?.totalParams, model?.trainableParams, model?.macs], [61706, 61706, 416520]);
    assert.match(String(titles[1]), /^input \(N, 1, 28, 28\) · .*comment/);
    assert.match(String(titles[2]), /^training ≈ [\d.]+ (KiB|MiB) \(batch 32, adam\)$/);
    assert.deepStrictEqual(titles.slice(3), ['Summary', 'Train', 'Animate', 'Set input shape']);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const l of all.slice(3)) assert.ok(registered.has(l.command!.command), `${l.command!.command} is registered`);
    assert.deepStrictEqual(all.slice(0, 3).map((l) => l.command?.command), ['', '', ''], 'the facts are not buttons');
  });
});
