// The user's Python environment in the editor: a venv in the workspace (test/e2e/files/venv_project)
// holds a tiny package, `mynet`; the model the file builds from it gets its hints (25,578 parameters,
// as PyTorch counts TinyCNN), the hover on the import says where it was found, and turning
// discovery off re-analyses the file without it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, eventually, hintOn, hoverText, lineOf, openExample, positionOf, setSetting } from './helpers';

suite('python environment', () => {
  teardown(async () => {
    await setSetting('python.discovery', undefined);
  });

  test('a package installed in the workspace venv gives the model its hints, and the hover names the venv', async () => {
    const doc = await openExample('venv_project/uses_mynet.py');
    const report = await (await api()).reportFor(doc.uri);
    assert.strictEqual(report?.models[0]?.totalParams, 25578);
    const mynet = report?.packages?.find((p) => p.name === 'mynet');
    assert.strictEqual(mynet?.origin, 'installed');
    assert.ok(mynet?.path?.endsWith('/venv_project/venv/lib/python3.11/site-packages'), mynet?.path);
    assert.strictEqual(report?.environment?.kind, 'venv');
    // the layers are built in mynet, so their hint is on the line that builds the model
    const hints = await hintOn(doc, lineOf(doc, 'model = TinyCNN()'));
    assert.ok(hints.some((h) => h.includes('(N, 10)') && h.includes('25.6K params') && h.includes('1.64M MACs')), JSON.stringify(hints));
    const hover = await hoverText(doc, positionOf(doc, 'mynet import', 1));
    assert.match(hover.replace(/\\/g, ''), /site-packages \(venv .*venv_project\/venv\)/);
  });

  test('convlens.python.discovery off: the import is unresolved and says so', async () => {
    const doc = await openExample('venv_project/uses_mynet.py');
    await setSetting('python.discovery', false);
    const report = await eventually(async () => {
      const r = await (await api()).reportFor(doc.uri);
      return r?.packages?.find((p) => p.name === 'mynet')?.origin === 'missing' ? r : undefined;
    }, 'the report without the venv');
    assert.ok(report.diagnostics.some((d) => d.code === 'unresolved-import'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
