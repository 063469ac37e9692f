// Inlay hints, as VS Code's provider command returns them, against the engine's real numbers
// (checked by hand and with PyTorch: Conv2d(3, 64, 7, stride 2, padding 3, no bias) on
// (1, 3, 224, 224) → (1, 64, 112, 112), 64·3·7·7 = 9,408 params, 9,408·112·112 = 118,013,952 MACs).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, exampleUri, hintOn, hintText, inlayHints, lineOf, openExample, setSetting } from './helpers';

suite('inlay hints', () => {
  teardown(async () => {
    await setSetting('inlayHints.show', undefined);
    await setSetting('compute.unit', undefined);
    await setSetting('display.batchDimension', undefined);
  });

  test('after the ResNet stem convolution: shape, params and MACs', async () => {
    const doc = await openExample('stem_conv.py');
    assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'self.conv1 = nn.Conv2d')), ['→ (N, 64, 112, 112) · 9.41K params · 118M MACs']);
  });

  test('a max pool shows its shape only (no parameters, no MACs)', async () => {
    const doc = await openExample('stem_conv.py');
    assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'self.maxpool = nn.MaxPool2d')), ['→ (N, 64, 56, 56)']);
  });

  test('a nested-call line in forward(): one hint, the value x holds after it, with the numbers of its calls', async () => {
    const doc = await openExample('lenet_mnist.py');
    assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'x = self.pool(F.relu(self.conv2(x)))')), ['→ (N, 16, 5, 5) · 2.42K params · 240K MACs']);
    assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'x = torch.flatten(x, 1)')), ['→ (N, 400)']);
    assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'return self.fc3(x)')), ['→ (N, 10) · 850 params · 840 MACs']);
  });

  test('a module called twice: one hint at its definition that says so in words', async () => {
    const doc = await openExample('lenet_mnist.py');
    assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'self.pool = nn.MaxPool2d(2)')), ['→ (N, 16, 5, 5) (called 2 times)']);
  });

  test('convlens.inlayHints.show and convlens.compute.unit choose what is shown', async () => {
    const doc = await openExample('stem_conv.py');
    const line = lineOf(doc, 'self.conv1 = nn.Conv2d');
    await setSetting('inlayHints.show', ['shape']);
    assert.deepStrictEqual(await hintOn(doc, line), ['→ (N, 64, 112, 112)']);
    await setSetting('inlayHints.show', ['compute']);
    await setSetting('compute.unit', 'FLOPs');
    assert.deepStrictEqual(await hintOn(doc, line), ['236M FLOPs']);
    await setSetting('inlayHints.show', []);
    assert.deepStrictEqual(await hintOn(doc, line), []);
  });

  test('convlens.display.batchDimension empty shows the batch size of the input', async () => {
    const doc = await openExample('stem_conv.py');
    await setSetting('display.batchDimension', '');
    await setSetting('inlayHints.show', ['shape']);
    assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'self.conv1 = nn.Conv2d')), ['→ (1, 64, 112, 112)']);
  });

  test('a document\'s first request answers with what is there, nothing while its first analysis runs, and the hints follow (one change event)', async () => {
    // a file never opened before whose first analysis takes seconds: it imports a slow module
    const helpers = exampleUri('slow_first_helpers.py');
    const uri = exampleUri('first_request.py');
    const slow = [...Array.from({ length: 30_000 }, (_, i) => `C_${i} = ${i} * 2`), 'T = 0', 'for i in range(300000):', '    T += i % 7', 'W = 64', ''];
    const text = (await vscode.workspace.fs.readFile(exampleUri('stem_conv.py'))).toString();
    await vscode.workspace.fs.writeFile(helpers, new TextEncoder().encode(slow.join('\n')));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`from slow_first_helpers import W\n${text}`));
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      let reported = false;
      const report = (await api()).reportFor(uri).then((r) => { reported = true; return r; });
      assert.deepStrictEqual((await inlayHints(doc)).map(hintText), []);
      assert.ok(!reported, 'the answer did not wait for the first analysis');
      assert.ok(await report, 'which went on');
      // the hint items come first, the rest of the report a moment later: VS Code is told once (a second event,
      // reaching it while the request the first caused is on its way, would make it drop that answer and ask again)
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await api()).latency(uri)?.changes, 1);
      assert.deepStrictEqual(await hintOn(doc, lineOf(doc, 'self.conv1 = nn.Conv2d')), ['→ (N, 64, 112, 112) · 9.41K params · 118M MACs']);
    } finally {
      await vscode.workspace.fs.delete(uri);
      await vscode.workspace.fs.delete(helpers);
    }
  });

  test('after an edit, hints follow their lines at once (never drawn on the old positions)', async () => {
    const doc = await openExample('stem_conv.py');
    const before = lineOf(doc, 'self.conv1 = nn.Conv2d');
    const editor = await vscode.window.showTextDocument(doc);
    try {
      await editor.edit((e) => e.insert(new vscode.Position(before, 0), '\n\n'));
      assert.deepStrictEqual(await hintOn(doc, before), []);
      assert.deepStrictEqual(await hintOn(doc, before + 2), ['→ (N, 64, 112, 112) · 9.41K params · 118M MACs']);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
