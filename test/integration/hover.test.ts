// The hover on a layer: shapes, the engine's formulas with this layer's numbers, parameters and
// compute, padding, receptive field, where the input shape came from, and the command links.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { exampleUri, hoverText, openExample, positionOf } from './helpers';

suite('hover', () => {
  test('on the ResNet stem Conv2d', async () => {
    const doc = await openExample('stem_conv.py');
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(3, 64', 4));
    assert.match(text, /\*\*Conv2d\*\* `conv1` in `Stem`/);
    assert.ok(text.includes('(N, 3, 224, 224) → **(N, 64, 112, 112)**'), text);
    // ⌊(224 + 2·3 − 1·(7−1) − 1)/2⌋ + 1 = 112: the substituted formula ends with the value.
    assert.match(text, /224.*= 112/);
    assert.ok(text.includes('**Parameters** 9,408'), text);
    assert.ok(text.includes('**MACs** 118,013,952 · **FLOPs** 236,027,904'), text);
    assert.ok(text.includes('3 top / 3 bottom, 3 left / 3 right'), text);
    assert.ok(text.includes('**Receptive field** 7×7'), text);
    assert.match(text, /Input \(N, 3, 224, 224\): .*comment/);
    assert.ok(text.includes('command:convlens.animateLayer?'), text);
    assert.ok(text.includes('command:convlens.showSummary?'), text);
    assert.ok(text.includes('command:convlens.setInputShape?'), text);
  });

  test('on a call in forward(): the same layer', async () => {
    const doc = await openExample('lenet_mnist.py');
    const text = await hoverText(doc, positionOf(doc, 'self.fc1(x)', 6));
    assert.ok(text.includes('**Linear** `fc1` in `LeNet`'), text);
    assert.ok(text.includes('(N, 400) → **(N, 120)**'), text);
    assert.ok(text.includes('**Parameters** 48,120'), text);
    assert.ok(text.includes('**MACs** 48,000'), text);
  });

  test('on a forward() line: what the line produces, then each call with its numbers', async () => {
    const doc = await openExample('lenet_mnist.py');
    const text = await hoverText(doc, positionOf(doc, 'x = self.pool(F.relu(self.conv2(x)))', 0));
    assert.ok(text.includes('`x` is **(N, 16, 5, 5)**'), text);
    assert.ok(text.includes('- `conv2` (Conv2d) → (N, 16, 10, 10) · 2.42K params · 240K MACs'), text);
    assert.ok(text.includes('- `pool` (MaxPool2d) → (N, 16, 5, 5)'), text);
  });

  test('a layer named like a command link: the only links are ConvLens\'s own', async () => {
    // written into the workspace copy: a layer name crafted as Markdown with a command link and HTML
    const name = 'x` [Click](command:convlens%2EsetInputShape?%5B%5D) `<img src=x onerror=alert(1)>';
    await vscode.workspace.fs.writeFile(exampleUri('hostile_names.py'), new TextEncoder().encode([
      'import torch.nn as nn', '# convlens: input=(1, 3, 8, 8)', 'class Net(nn.Module):', '    def __init__(self):',
      '        super().__init__()', `        self.add_module(${JSON.stringify(name)}, nn.Conv2d(3, 8, 3))`,
      '    def forward(self, x):', `        return getattr(self, ${JSON.stringify(name)})(x)`, '',
    ].join('\n')));
    const doc = await openExample('hostile_names.py');
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(3, 8', 2));
    const links = [...text.replace(/`[^`\n]*`/g, '').matchAll(/(?<!\\)\[([^\]]*)\]\(command:/g)].map((m) => m[1]);
    assert.deepStrictEqual(links, ['Set input shape', 'Animate this layer', 'Show summary'], text);
    assert.ok(!/(?<!\\)<img/.test(text), text);
  });

  test('nothing on a line without a layer', async () => {
    const doc = await openExample('lenet_mnist.py');
    assert.strictEqual(await hoverText(doc, positionOf(doc, 'import torch.nn as nn', 2)), '');
  });
});
