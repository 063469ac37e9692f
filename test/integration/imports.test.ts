// A model in a package of the workspace that imports its blocks from a sibling module with a
// relative import: the editor reads the sibling through vscode.workspace.fs and reports the model
// as PyTorch builds it (24,346 parameters and output (1, 10), as torch prints for examples/mypackage).
import * as assert from 'assert';
import { api, openExample } from './helpers';

suite('imports', () => {
  test('a relative import of a sibling module resolves from the workspace', async () => {
    const doc = await openExample('mypackage/net.py');
    const report = await (await api()).reportFor(doc.uri);
    assert.ok(report, 'analysed');
    assert.deepStrictEqual(report.diagnostics.filter((d) => d.code === 'unresolved-import'), []);
    const model = report.models.find((m) => m.name === 'PackageNet');
    assert.ok(model, JSON.stringify(report.models.map((m) => m.name)));
    assert.strictEqual(model.totalParams, 24346);
    assert.deepStrictEqual(model.outputShape, [1, 10]);
    assert.strictEqual(model.layers.filter((l) => l.type === 'Conv2d').length, 3);
  });
});
