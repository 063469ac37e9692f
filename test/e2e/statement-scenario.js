// The per-statement hints in the real workbench, read from the editor's own lines: PyTorch's MNIST
// style (nested calls, a custom block, torch.cat, a loop), Keras functional lines (one hint, at the
// end of the line), three-cell notebooks (PyTorch and Keras) and a layer named like a command link.
// The files are test/e2e/files (run.sh copies them into the workspace). Every shape below is
// PyTorch's (torch 1.13, a forward pass of test/e2e/files/mnist_tutorial.py), every count the
// layer's formula: conv1 10·1·5·5 + 10 = 260 params, 10·25·24·24 = 144,000 MACs.
const path = require('path');
const { oneLine } = require('./text');

const FILES = path.join(__dirname, 'files');

/** The text of the first rendered line holding `code` once a hint (→) is drawn on it. */
async function hintedLine(page, code, scope = '.monaco-editor') {
  const line = page.locator(`${scope} .view-line`, { hasText: code }).filter({ hasText: '→' }).first();
  await line.waitFor({ timeout: 30000 });
  return oneLine(await line.innerText());
}

/** True when the line is the code followed by exactly one hint: nothing drawn inside the code. */
const oneHintAtEnd = (text, code) => text.startsWith(code) && text.split('→').length === 2;

async function runStatementScenario({ page, check, shot, openFile, goToText, hoverWord }) {
  // 1. Nested calls, a custom block, torch.cat and a loop: each line shows the value x holds after it.
  await openFile(page, 'mnist_tutorial.py');
  const file = path.join(FILES, 'mnist_tutorial.py');
  const expected = [
    ['x = F.relu(F.max_pool2d(self.conv1(x), 2))', '→ (N, 10, 12, 12) · 260 params · 144K MACs'],
    ['x = self.b2(self.b1(x))', '→ (N, 16, 12, 12) · 3.81K params · 539K MACs'],
    ['x = torch.cat([x, self.side(x)], dim=1)', '→ (N, 24, 12, 12) · 136 params · 18.4K MACs'],
    ['x = stage(x)', '→ (N, 32, 6, 6) … (N, 128, 2, 2) over 3 iterations · 99.5K params · 710K MACs'],
    ['x = x.mean((2, 3))', '→ (N, 128)'],
  ];
  for (const [code, hint] of expected) {
    await goToText(page, file, code, code.slice(0, 1));
    const text = await hintedLine(page, code);
    check(`hint of \`${code}\``, text === `${code} ${hint}`, text);
  }
  // The hover of the nested line lists its calls: conv1's output is not x's.
  await goToText(page, file, 'x = F.relu(F.max_pool2d', 'x');
  const hover = await hoverWord(page, 'x = F.relu(F.max_pool2d', 'x', 'Calls in this statement');
  const hoverText = oneLine(await hover.innerText());
  check('hover of the nested line: x, then conv1 with its own shape', hoverText.includes('x is (N, 10, 12, 12)')
    && hoverText.includes('conv1 (Conv2d) → (N, 10, 24, 24)'), hoverText);
  await shot(page, 'statements-light.png');
  await page.keyboard.press('Escape');

  // 2. Keras functional: Conv2D(32, 3) on 28×28×1 → 26×26×32, 32·(9 + 1) = 320 params.
  await openFile(page, 'keras_functional.py');
  for (const [code, shape] of [['x = layers.Conv2D(32, 3, activation="relu")(inputs)', '(None, 26, 26, 32) · 320 params'],
    ['outputs = layers.Dense(10, activation="softmax")(layers.Dropout(0.5)(x))', '(None, 10) (last of 2 layers) · 650 params']]) {
    const text = await hintedLine(page, code);
    check(`Keras functional line: one hint, after \`${code}\``, oneHintAtEnd(text, code) && text.includes(`→ ${shape}`), text);
  }
  await shot(page, 'keras-functional-light.png');

  // 3. Notebooks of three code cells: PyTorch (imports, class, call) and Keras (imports, model, summary).
  await openFile(page, 'lenet_notebook.ipynb');
  const nbLine = 'x = self.pool(F.relu(self.conv1(x)))';
  const nbText = await hintedLine(page, nbLine, '.notebookOverlay .monaco-editor');
  check('PyTorch notebook: the forward line\'s hint in the class cell', nbText === `${nbLine} → (N, 6, 14, 14) · 156 params · 118K MACs`, nbText);
  await openFile(page, 'keras_notebook.ipynb');
  // Conv2D(16, 3, same) on 32×32×3: 16·(27 + 1) = 448 params, 16·27·32·32 = 442,368 MACs.
  const kerasNb = 'x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)';
  const kText = await hintedLine(page, kerasNb, '.notebookOverlay .monaco-editor');
  check('Keras notebook: one hint at the end of the Conv2D line', oneHintAtEnd(kText, kerasNb) && kText.includes('→ (None, 32, 32, 16) · 448 params · 442K MACs'), kText);
  const flat = await hintedLine(page, 'x = layers.Flatten()(x)', '.notebookOverlay .monaco-editor');
  check('Keras notebook: Flatten in the same cell', flat.endsWith('→ (None, 4096)'), flat);
  await shot(page, 'notebook-keras-light.png');

  // 4. A layer named like Markdown with a command link and HTML: the hover's only links are ConvLens's.
  await openFile(page, 'hostile_layer.py');
  const hostile = await hoverWord(page, 'nn.Conv2d(3, 8, 3)', 'Conv2d', 'Parameters');
  const links = await hostile.locator('a').allInnerTexts();
  check('hostile layer name: only ConvLens\'s own links in the hover', JSON.stringify(links.map(oneLine)) === JSON.stringify(['Set input shape', 'Animate this layer', 'Show summary']), JSON.stringify(links));
  check('hostile layer name: no HTML from the file', (await hostile.locator('img').count()) === 0 && oneLine(await hostile.innerText()).includes('[Click](command:'), oneLine(await hostile.innerText()));
  await shot(page, 'hostile-light.png');
  await page.keyboard.press('Escape');
}

module.exports = { runStatementScenario };
