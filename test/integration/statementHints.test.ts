// What the Playwright scenario cannot see exactly: where each statement hint sits (the end of its
// line, one per line) and which cell of a three-cell Keras notebook holds what. The files are
// test/e2e/files (run.sh copies them into the workspace). Shapes: PyTorch 1.13's forward pass of
// mnist_tutorial.py; Keras: Conv2D(16, 3, same) on 32×32×3 → 16·(27 + 1) = 448 params, 442,368 MACs.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, eventually, exampleUri, hintText, inlayHints, lineOf, openExample, setSetting } from './helpers';

/** line → [column, label] of every hint of the document. */
async function hintsByLine(doc: vscode.TextDocument): Promise<Map<number, Array<[number, string]>>> {
  const out = new Map<number, Array<[number, string]>>();
  for (const h of await inlayHints(doc)) out.set(h.position.line, [...(out.get(h.position.line) ?? []), [h.position.character, hintText(h)]]);
  return out;
}

const lineEnd = (doc: vscode.TextDocument, line: number) => doc.lineAt(line).range.end.character;

suite('statement hints', () => {
  test('forward() lines: one hint each, at the end of the line, the value the line binds', async () => {
    const doc = await openExample('mnist_tutorial.py');
    const hints = await hintsByLine(doc);
    for (const [code, shape] of [
      ['x = F.relu(F.max_pool2d(self.conv1(x), 2))', '→ (N, 10, 12, 12) ·'],
      ['x = self.b2(self.b1(x))', '→ (N, 16, 12, 12) ·'],
      ['x = torch.cat([x, self.side(x)], dim=1)', '→ (N, 24, 12, 12) ·'],
      ['x = stage(x)', '→ (N, 32, 6, 6) … (N, 128, 2, 2) over 3 iterations ·'],
      ['x = x.mean((2, 3))', '→ (N, 128)'],
      ['return self.fc(x)', '→ (N, 10) · 1.29K params'],
    ]) {
      const line = lineOf(doc, code), got = hints.get(line) ?? [];
      assert.strictEqual(got.length, 1, `${code}: ${JSON.stringify(got)}`);
      assert.strictEqual(got[0][0], lineEnd(doc, line), `${code}: at the end of the line`);
      assert.ok(got[0][1].startsWith(shape), `${code}: ${got[0][1]}`);
    }
  });

  test('Keras functional lines: one hint per line, at its end, never between a layer and its (x)', async () => {
    const doc = await openExample('keras_functional.py');
    const hints = await hintsByLine(doc);
    const layerLines = [...Array(doc.lineCount).keys()].filter((i) => /= layers\.\w+\(.*\)\(\w+\)$/.test(doc.lineAt(i).text));
    assert.strictEqual(layerLines.length, 4);
    for (const line of layerLines) {
      const got = hints.get(line) ?? [];
      assert.deepStrictEqual(got.map(([col]) => col), [lineEnd(doc, line)], `${doc.lineAt(line).text}: ${JSON.stringify(got)}`);
    }
    assert.ok(hints.get(lineOf(doc, 'layers.Conv2D(64'))![0][1].startsWith('→ (None, 11, 11, 64) · 18.5K params'));
    // a call nested in another: one hint, the outer call's value (Dense(10) on 64 features: 650 params)
    const nested = lineOf(doc, 'layers.Dropout(0.5)(x))');
    assert.deepStrictEqual(hints.get(nested), [[lineEnd(doc, nested), '→ (None, 10) (last of 2 layers) · 650 params · 640 MACs']]);
  });

  test('convlens.keras.naming: tf.keras 2 names the input input_1, Keras 3 input_layer', async () => {
    const doc = await openExample('keras_functional.py');
    const inputName = async () => (await api().then((a) => a.reportFor(doc.uri)))?.models[0]?.layers[0]?.path;
    assert.strictEqual(await eventually(async () => inputName(), 'the Keras 3 report'), 'input_layer');
    try {
      await setSetting('keras.naming', 'tf2');
      await eventually(async () => ((await inputName()) === 'input_1' ? true : undefined), 'the input named input_1');
    } finally {
      await setSetting('keras.naming', undefined);
    }
  });

  test('a Keras notebook in three cells: the model cell holds the hints and the CodeLens with its own name', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(exampleUri('keras_notebook.ipynb'));
    await vscode.window.showNotebookDocument(notebook);
    const [imports, modelCell, summary] = [1, 2, 3].map((i) => notebook.cellAt(i).document);
    const report = await eventually(async () => (await api()).reportFor(modelCell.uri), 'the notebook report');
    assert.deepStrictEqual(report.models.map((m) => [m.name, m.totalParams, m.macs]), [['tiny', 41418, 483328]]);
    const hints = await hintsByLine(modelCell);
    const conv = lineOf(modelCell, 'layers.Conv2D(16');
    assert.deepStrictEqual(hints.get(conv), [[lineEnd(modelCell, conv), '→ (None, 32, 32, 16) · 448 params · 442K MACs']]);
    assert.deepStrictEqual(hints.get(lineOf(modelCell, 'layers.Dense(10)')), [[lineEnd(modelCell, lineOf(modelCell, 'layers.Dense(10)')), '→ (None, 10) · 41K params · 41K MACs']]);
    assert.deepStrictEqual(await inlayHints(imports), [], 'the import cell has no hint');
    assert.deepStrictEqual(await inlayHints(summary), [], 'nor the summary cell');
    await vscode.window.showTextDocument(modelCell);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', modelCell.uri, 100)) ?? [];
    assert.strictEqual(lenses[0]?.command?.title, 'tiny: 41.4K params · 483K MACs');
    assert.match(String(lenses[1]?.command?.title), /^input \(None, 32, 32, 3\)/);
  });
});
