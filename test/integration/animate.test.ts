// The animation panel in a real extension host: the palette command opens it on the lecture's
// example, the hover link's command opens it with the layer's own parameters (read from the
// report), and a malformed message from the webview is dropped.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, lineOf, openExample } from './helpers';

const animationTab = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('convlens.animate'));

suite('animation panel', () => {
  test('Animate Convolution opens the panel on the lecture\'s example', async () => {
    await vscode.commands.executeCommand('convlens.animate');
    const tab = animationTab();
    assert.ok(tab, 'an animation tab is open');
    assert.strictEqual(tab.label, 'ConvLens: Convolution');
    assert.strictEqual((await api()).animation.current?.type, 'lecture');
  });

  test('the hover link opens the layer with its own kernel, stride and padding, scaled down', async () => {
    const doc = await openExample('stem_conv.py');
    const hover = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(lineOf(doc, 'self.conv1 = nn.Conv2d'), 25))) ?? [];
    const md = hover.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    const link = /\[Animate this layer\]\(command:convlens\.animateLayer\?([^)]+)\)/.exec(md);
    assert.ok(link, `an Animate link in the hover: ${md.slice(0, 200)}`);
    const [target] = JSON.parse(decodeURIComponent(link[1])) as [{ uri: string; modelLine: number; layer: string }];
    assert.strictEqual(target.layer, 'conv1');
    await vscode.commands.executeCommand('convlens.animateLayer', target);
    const current = (await api()).animation.current;
    assert.ok(current?.type === 'layer', `a layer setup, got ${JSON.stringify(current)?.slice(0, 100)}`);
    assert.deepStrictEqual([current.params.kernelSize, current.params.stride, current.params.padding], [[7, 7], [2, 2], { mode: 'manual', split: [[3, 3], [3, 3]] }]);
    assert.strictEqual((current.params.input[0] as number[][]).length, 10);
    assert.match(current.source.notes.join(' '), /224×224 input, shown here on 10×10/);
    assert.strictEqual(animationTab()?.label, 'Animate: conv1');
  });

  test('a malformed message from the webview is dropped; a good one is handled', async () => {
    const { animation } = await api();
    for (const bad of [null, 'ready', { type: 'reveal', line: 'x' }, { type: 'reveal', line: 0 }, { type: 'eval', code: '1' }]) {
      assert.strictEqual(await animation.receive(bad), false, JSON.stringify(bad));
    }
    assert.strictEqual(await animation.receive({ type: 'ready' }), true);
  });

  test('"Go to layer" shows the layer\'s line in its file', async () => {
    const doc = await openExample('stem_conv.py');
    const line = lineOf(doc, 'self.conv1 = nn.Conv2d');
    await vscode.commands.executeCommand('convlens.animateLayer', { uri: doc.uri.toString(), layer: 'conv1' });
    assert.strictEqual(await (await api()).animation.receive({ type: 'reveal', line: line + 1 }), true);
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.toString(), doc.uri.toString());
    assert.strictEqual(editor?.selection.active.line, line);
  });
});
