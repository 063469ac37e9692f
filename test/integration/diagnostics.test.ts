// A broken model: two 2×2 poolings of a 32×32 image leave 32·8·8 = 2,048 features, the Linear
// expects 32·7·7 = 1,568 (PyTorch: "mat1 and mat2 shapes cannot be multiplied (1x2048 and 1568x10)").
// The diagnostic appears on the Linear, its quick fix puts in the computed number, the problem goes.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { eventually, hintOn, lineOf, openExample, revert } from './helpers';

const convlensProblems = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ConvLens');

suite('diagnostics and quick fixes', () => {
  test('Linear in_features mismatch: error on the Linear, quick fix applies the computed 2048', async () => {
    const doc = await openExample('broken_linear.py');
    const linearLine = lineOf(doc, 'self.classifier = nn.Linear');
    try {
      const problem = await eventually(() => convlensProblems(doc.uri).find((d) => d.range.start.line === linearLine), 'a ConvLens diagnostic on the Linear');
      assert.strictEqual(problem.severity, vscode.DiagnosticSeverity.Error);
      assert.match(problem.message, /2048/);
      assert.match(problem.message, /1568/);

      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, problem.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
      const fix = actions.find((a) => a.isPreferred && a.edit);
      assert.ok(fix, `a preferred quick fix among ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      assert.match(doc.lineAt(linearLine).text, /nn\.Linear\(2048, num_classes\)/);

      await eventually(() => (convlensProblems(doc.uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error) ? undefined : true), 'the error to go');
      assert.deepStrictEqual(await hintOn(doc, linearLine), ['→ (N, 10) · 20.5K params · 20.5K MACs']);
    } finally {
      await revert(doc);
    }
  });

  test('the stem: only hints (no squiggle) that stride 2 leaves a padded row and column unread', async () => {
    // conv1: (224 + 2·3 − 7) = 223 is odd for stride 2; maxpool: (112 + 2·1 − 3) = 111 likewise.
    const doc = await openExample('stem_conv.py');
    const problems = await eventually(() => { const p = convlensProblems(doc.uri); return p.length ? p : undefined; }, 'the stem diagnostics');
    assert.deepStrictEqual(problems.map((d) => [d.range.start.line, d.severity, d.code]).sort(), [
      [lineOf(doc, 'self.conv1 = nn.Conv2d'), vscode.DiagnosticSeverity.Hint, 'inexact-tiling'],
      [lineOf(doc, 'self.maxpool = nn.MaxPool2d'), vscode.DiagnosticSeverity.Hint, 'inexact-tiling'],
    ]);
    // The input comes from a comment: no "add # convlens: input" fix is offered on the class line.
    const classLine = lineOf(doc, 'class Stem');
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(classLine, 0, classLine, 0))) ?? [];
    assert.deepStrictEqual(actions.filter((a) => a.title.includes('convlens: input')).map((a) => a.title), []);
  });
});
