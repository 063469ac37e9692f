// The hover on a layer: shapes, the engine's formulas with this layer's numbers, parameters and
// compute, padding, receptive field, where the input shape came from, and the command links.
import * as assert from 'assert';
import { hoverText, openExample, positionOf } from './helpers';

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
    assert.match(text, /Input \(1, 3, 224, 224\): .*comment/);
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

  test('nothing on a line without a layer', async () => {
    const doc = await openExample('lenet_mnist.py');
    assert.strictEqual(await hoverText(doc, positionOf(doc, 'import torch.nn as nn', 2)), '');
  });
});
