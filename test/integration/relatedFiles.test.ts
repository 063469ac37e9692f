// An error raised inside an imported workspace file: the problem sits at the user's line that led
// there, and its related information points into the imported file at the line that raised.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { eventually, exampleUri, lineOf, openExample } from './helpers';

const LIB = 'def width(n):\n    if n < 0:\n        raise ValueError("negative width")\n    return n\n';
const MAIN = 'import torch.nn as nn\nfrom widthlib import width\n\nmodel = nn.Linear(width(-1), 3)\n';

suite('diagnostics from imported files', () => {
  test('shown at the user line, with the imported file as related information', async () => {
    await vscode.workspace.fs.writeFile(exampleUri('widthlib.py'), Buffer.from(LIB));
    await vscode.workspace.fs.writeFile(exampleUri('uses_widthlib.py'), Buffer.from(MAIN));
    const doc = await openExample('uses_widthlib.py');
    const problem = await eventually(() => vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'ConvLens' && d.code === 'python-error'),
      'the python-error problem');
    assert.strictEqual(problem.range.start.line, lineOf(doc, 'model = nn.Linear'));
    assert.match(problem.message, /ValueError: negative width/);
    const related = problem.relatedInformation ?? [];
    assert.strictEqual(related.length, 1, JSON.stringify(related));
    assert.strictEqual(related[0].location.uri.toString(), exampleUri('widthlib.py').toString());
    assert.strictEqual(related[0].location.range.start.line, 2);
  });
});
