// A notebook in VS Code's notebook editor (the built-in ipynb support): LeNet's imports, class and
// call are in three code cells; each cell shows what belongs to it (LeNet: 61,706 parameters and
// 8 × 28 × 28 digits as in examples/lenet_mnist.py), and an edit in one cell re-analyses the notebook.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, eventually, exampleUri, hintOn, hintText, hoverText, inlayHints } from './helpers';

const convlensProblems = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ConvLens');

/** CodeLens of a cell; the cell's editor is shown first (VS Code's CodeLens command needs its text model). */
async function lenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  await vscode.window.showTextDocument(doc);
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
}

function lineIn(doc: vscode.TextDocument, text: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(text)) return i;
  throw new Error(`"${text}" not in cell ${doc.uri.fragment}`);
}

suite('notebooks', () => {
  let notebook: vscode.NotebookDocument;
  let classCell: vscode.TextDocument;
  let callCell: vscode.TextDocument;

  suiteSetup(async () => {
    notebook = await vscode.workspace.openNotebookDocument(exampleUri('lenet_notebook.ipynb'));
    await vscode.window.showNotebookDocument(notebook);
    assert.strictEqual(notebook.notebookType, 'jupyter-notebook');
    classCell = notebook.cellAt(2).document;
    callCell = notebook.cellAt(4).document;
    assert.strictEqual(classCell.uri.scheme, 'vscode-notebook-cell');
    const report = await eventually(async () => (await api()).reportFor(classCell.uri), 'the notebook report');
    assert.deepStrictEqual(report.models.map((m) => [m.name, m.totalParams, m.inputShape]), [['model', 61706, [8, 1, 28, 28]]]);
  });

  test('inlay hints sit in the cell of the layer, at the cell\'s own lines', async () => {
    const conv1 = lineIn(classCell, 'self.conv1 = nn.Conv2d');
    assert.deepStrictEqual(await hintOn(classCell, conv1), ['→ (N, 6, 28, 28) · 156 params · 118K MACs']);
    assert.deepStrictEqual(await inlayHints(callCell), [], 'the call cell has no layer of its own');
    assert.deepStrictEqual(await inlayHints(notebook.cellAt(1).document), [], 'nor the import cell');
  });

  test('hover on a layer call in forward(), and the CodeLens in the cell that makes the model', async () => {
    const at = classCell.lineAt(lineIn(classCell, 'F.relu(self.conv2(x))')).text.indexOf('conv2');
    const hover = await hoverText(classCell, new vscode.Position(lineIn(classCell, 'F.relu(self.conv2(x))'), at + 1));
    assert.match(hover, /\(N, 16, 10, 10\)/);
    // the model's lenses above its class (in the class cell) and where it is built (in the call cell)
    const classLine = lineIn(classCell, 'class ');
    assert.deepStrictEqual((await lenses(classCell)).slice(0, 1).map((l) => [l.range.start.line, l.command?.title]),
      [[classLine, 'model: 61.7K params · 417K MACs']]);
    const titles = (await lenses(callCell)).map((l) => [l.range.start.line, l.command?.title]);
    assert.deepStrictEqual(titles[0], [0, 'model: 61.7K params · 417K MACs']);
    // the batch as the display setting shows it everywhere (N), the call's 8 in the hover's words
    assert.match(String(titles[1][1]), /^input \(N, 1, 28, 28\) · from a call/);
  });

  test('an edit in one cell re-analyses the notebook: the diagnostic and its quick fix land in that cell', async () => {
    const fc1 = lineIn(classCell, 'self.fc1 = nn.Linear');
    const range = new vscode.Range(fc1, 0, fc1, classCell.lineAt(fc1).text.length);
    const original = classCell.getText(range);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(classCell.uri, range, original.replace('16 * 5 * 5', '300'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const problem = await eventually(() => convlensProblems(classCell.uri).find((d) => d.range.start.line === fc1), 'the in_features error in the class cell');
      assert.match(problem.message, /400/);
      assert.deepStrictEqual(convlensProblems(callCell.uri), []);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', classCell.uri, problem.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
      const fix = actions.find((a) => a.isPreferred && a.edit);
      assert.ok(fix, `a preferred quick fix among ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      assert.match(classCell.lineAt(fc1).text, /nn\.Linear\(400, 120\)/);
      await eventually(() => (convlensProblems(classCell.uri).length ? undefined : true), 'the error to go');
    } finally {
      const undo = new vscode.WorkspaceEdit();
      undo.replace(classCell.uri, new vscode.Range(fc1, 0, fc1, classCell.lineAt(fc1).text.length), original);
      await vscode.workspace.applyEdit(undo);
    }
  });
});

// A notebook with IPython lines, markdown between the cells, cells run out of order (and one twice)
// and a class redefined in a later cell, against the same cells as a `# %%` script: every cell shows
// the hints its lines have in the script. Cell order is the rule (the README's), not execution order.
suite('notebooks read in cell order', () => {
  test('each cell\'s hints are those of the same lines in the .py, and the redefined class is the one used', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(exampleUri('cells_redefined.ipynb'));
    await vscode.window.showNotebookDocument(notebook);
    const script = await vscode.workspace.openTextDocument(exampleUri('cells_redefined.py'));
    const code = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    const firstCell = code[0].document;
    const report = await eventually(async () => (await api()).reportFor(firstCell.uri), 'the notebook report');
    assert.deepStrictEqual(report.models.map((m) => [m.name, m.totalParams]), [['model', 13610]]);
    await eventually(async () => (await api()).reportFor(script.uri), 'the script report');
    // the k-th code cell starts on the line after the k-th `# %%` marker of a code cell
    const starts: number[] = [];
    for (let i = 0; i < script.lineCount; i++) if (/^# %%\s*$/.test(script.lineAt(i).text)) starts.push(i + 1);
    assert.strictEqual(starts.length, code.length);
    const byLine = (hints: vscode.InlayHint[], from = 0) => hints.map((h) => [h.position.line - from, h.position.character, hintText(h)]);
    const scriptHints = await inlayHints(script);
    let shown = 0;
    for (const [k, cell] of code.entries()) {
      const end = starts[k] + cell.document.lineCount;
      const expected = byLine(scriptHints.filter((h) => h.position.line >= starts[k] && h.position.line < end), starts[k]);
      assert.deepStrictEqual(byLine(await inlayHints(cell.document)), expected, `code cell ${k + 1}`);
      shown += expected.length;
    }
    assert.ok(shown >= 6, `the second class's layers and forward lines have hints (${shown})`);
    // the first class is replaced before the model is built: its forward lines show nothing
    assert.deepStrictEqual(byLine(await inlayHints(code[1].document)).filter(([line]) => Number(line) >= 6), []);
    const forward = code[2].document;
    const tuple = lineIn(forward, 'feats, flat =');
    assert.deepStrictEqual(await hintOn(forward, tuple), ['→ feats (N, 8, 13, 13), flat (N, 1352)']);
    assert.deepStrictEqual(convlensProblems(firstCell.uri), [], 'the magics and the shell line are not Python errors');
  });
});
