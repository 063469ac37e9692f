// Hovers from real reports: a statement's section says what the line produces and lists its calls;
// names crafted to be Markdown (links to commands, HTML, code-span breakers) stay text.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { inputText, type DisplayOptions } from '../../../extension/format';
import { hoverMarkdown } from '../../../extension/hoverText';
import { hintPlaces } from '../../../extension/reportQueries';
import { statementHint, statementMarkdown } from '../../../extension/statementText';

const o: DisplayOptions = { hintParts: ['shape', 'params', 'compute'], computeUnit: 'MACs', batchDimension: 'N' };
const HOSTILE = 'x` [Click](command:convlens%2EsetInputShape?%5B%5D) `<img src=x onerror=alert(1)>'; // no dot: add_module refuses one, as PyTorch does

const MNIST = [
  'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F',
  '# convlens: input=(1, 1, 28, 28)',
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)',
  `        self.add_module(${JSON.stringify(HOSTILE)}, nn.Conv2d(10, 10, 3, padding=1))`,
  '        self.convs = nn.ModuleList([nn.Conv2d(10, 10, 3, padding=1) for _ in range(4)])',
  '    def forward(self, x):',
  '        x = F.relu(F.max_pool2d(self.conv1(x), 2))',
  `        x = getattr(self, ${JSON.stringify(HOSTILE)})(x)`,
  '        for c in self.convs:',
  '            x = c(x)',
  '        return x.flatten(1)',
].join('\n');

/** Every command link of a hover outside inline code (which shows text literally): only ConvLens's own may lead to one. */
function commandLinks(md: string): string[] {
  return [...md.replace(/`[^`\n]*`/g, '').matchAll(/(?<!\\)\[([^\]]*)\]\(command:/g)].map((m) => m[1]);
}

test('the nested-call line: the value x holds after it, then conv1, max_pool2d and relu with their numbers', () => {
  const model = analyzeSource('/ws/net.py', MNIST).models[0];
  const st = model.statements.find((s) => s.range.line === 12)!;
  assert.equal(statementHint(st, 'pytorch', o), '→ (N, 10, 12, 12) · 260 params · 144K MACs');
  const md = statementMarkdown(st, 'pytorch', o);
  assert.ok(md.includes('`x` is **(N, 10, 12, 12)**'), md);
  assert.ok(md.includes('- `conv1` (Conv2d) → (N, 10, 24, 24) · 260 params · 144K MACs'), md);
  assert.ok(md.includes('- max\\_pool2d → (N, 10, 12, 12)\n- relu → '), md);
});

test('a loop line shows the range over its iterations in words; the return of a method', () => {
  const model = analyzeSource('/ws/net.py', MNIST).models[0];
  const loop = model.statements.find((s) => s.range.line === 15)!;
  assert.equal(statementHint(loop, 'pytorch', { ...o, hintParts: ['shape'] }), '→ (N, 10, 12, 12) in each of 4 iterations');
  const ret = model.statements.find((s) => s.range.line === 16)!;
  assert.equal(statementHint(ret, 'pytorch', { ...o, hintParts: ['shape'] }), '→ (N, 1440)');
});

test('one hint per forward line; a call inside a statement has none of its own', () => {
  const report = analyzeSource('/ws/net.py', MNIST);
  const forward = hintPlaces(report).filter((p) => p.line >= 12);
  assert.deepEqual(forward.map((p) => [p.line, !!p.statement]), [[12, true], [13, true], [15, true], [16, true]]);
});

test('hostile layer names stay text: no command link but ConvLens\'s own, no HTML', () => {
  const model = analyzeSource('/ws/net.py', MNIST).models[0];
  const row = model.layers.find((r) => r.path === HOSTILE)!;
  assert.ok(row, 'the layer with the crafted name is reported');
  const hover = hoverMarkdown('file:///ws/net.py', model, [row], model.diagnostics, o);
  assert.deepEqual(commandLinks(hover), ['Set input shape', 'Animate this layer', 'Show summary']);
  assert.ok(!/<img/.test(hover.replace(/\\</g, '')), 'the <img> tag is escaped');
  const st = statementMarkdown(model.statements.find((s) => s.range.line === 13)!, 'pytorch', o);
  assert.deepEqual(commandLinks(st), []);
  assert.ok(!/<img/.test(st.replace(/\\</g, '')));
});

test('a Keras model named with Markdown: the name is its own, and stays text', () => {
  const src = [
    'from tensorflow import keras', 'from tensorflow.keras import layers',
    `model = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 3)], name=${JSON.stringify(HOSTILE)})`,
  ].join('\n');
  const model = analyzeSource('/ws/k.py', src).models[0];
  assert.equal(model.name, HOSTILE);
  const hover = hoverMarkdown('file:///ws/k.py', model, [model.layers[0]], [], o);
  assert.deepEqual(commandLinks(hover), ['Set input shape', 'Animate this layer', 'Show summary']);
});

test('Keras functional lines: one hint each, at the end of `layers.X(…)(x)`, never inside the code', () => {
  const src = [
    'from tensorflow import keras', 'from tensorflow.keras import layers',
    'inputs = keras.Input(shape=(28, 28, 1))',
    'x = layers.Conv2D(32, 3, activation="relu")(inputs)',
    'x = layers.MaxPooling2D()(x)',
    'outputs = layers.Dense(10)(layers.Flatten()(x))',
    'model = keras.Model(inputs, outputs, name="mnist_cnn")',
  ].join('\n');
  const report = analyzeSource('/ws/k.py', src);
  assert.equal(report.models[0].name, 'mnist_cnn');
  const places = hintPlaces(report).filter((p) => p.line === 4 || p.line === 5);
  assert.deepEqual(places.map((p) => [p.line, p.col]), [[4, undefined], [5, undefined]]);
});

test('a model built at the end of the file knows the line of its class (its CodeLens goes there too)', () => {
  const src = ['import torch.nn as nn', 'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
    '        self.fc = nn.Linear(4, 2)', '    def forward(self, x):', '        return self.fc(x)', '', 'model = Net()'].join('\n');
  const model = analyzeSource('/ws/net.py', src).models[0];
  assert.deepEqual([model.name, model.line, model.definitionLine], ['model', 9, 2]);
});

/** A net with conv `a` (3 → 4 channels, 3×3) on a (1, 3, 8, 8) input; its forward starts on line 7 + extra layers. */
const smallNet = (layers: string[], forward: string[]): string => [
  'import torch.nn as nn', '# convlens: input=(1, 3, 8, 8)', 'class Net(nn.Module):', '    def __init__(self):',
  '        super().__init__()', '        self.a = nn.Conv2d(3, 4, 3)', ...layers, '    def forward(self, x):', ...forward,
].join('\n');

test('a statement after a shape error says so: PyTorch stops at the error, the shape is what ConvLens carried on with', () => {
  const src = smallNet(['        self.b = nn.Conv2d(8, 4, 3)'], ['        x = self.a(x)', '        x = self.b(x)', '        return x.flatten(1)']);
  const model = analyzeSource('/ws/net.py', src).models[0];
  const at = (line: number) => model.statements.find((s) => s.range.line === line)!;
  assert.equal(statementHint(at(9), 'pytorch', { ...o, hintParts: ['shape'] }), '→ (N, 4, 6, 6)');
  assert.equal(statementHint(at(10), 'pytorch', { ...o, hintParts: ['shape'] }), '→ (N, 4, 4, 4) (after the error on line 7)');
  assert.equal(statementHint(at(11), 'pytorch', { ...o, hintParts: ['shape'] }), '→ (N, 64) (after the error on line 7)');
  assert.ok(statementMarkdown(at(11), 'pytorch', o).includes('PyTorch stops at the error on line 7'));
});

test('a dict of tensors is shown by key; keys from the file stay text in the hover', () => {
  const src = smallNet([], ['        y = self.a(x)', `        return {'out': y, ${JSON.stringify(HOSTILE)}: y.flatten(1), 'n': 2}`]);
  const st = analyzeSource('/ws/net.py', src).models[0].statements.find((s) => s.range.line === 9)!;
  assert.equal(statementHint(st, 'pytorch', { ...o, hintParts: ['shape'] }), `→ {out: (N, 4, 6, 6), ${HOSTILE}: (N, 144)}`);
  const md = statementMarkdown(st, 'pytorch', o);
  assert.deepEqual(commandLinks(md), []);
  assert.ok(md.startsWith('returns **{out: (N, 4, 6, 6), '), md);
});

test('a model of two inputs: the hover and the summary header give both shapes', () => {
  const src = ['import torch.nn as nn', '# convlens: input=(1, 3, 8, 8), (1, 5)', 'class Pair(nn.Module):', '    def __init__(self):',
    '        super().__init__()', '        self.conv = nn.Conv2d(3, 2, 3)', '        self.fc = nn.Linear(5, 2)',
    '    def forward(self, image, table):', '        return self.conv(image).flatten(1), self.fc(table)'].join('\n');
  const model = analyzeSource('/ws/p.py', src).models[0];
  const hover = hoverMarkdown('file:///ws/p.py', model, [model.layers[0]], [], o);
  assert.match(hover, /Input \(N, 3, 8, 8\), \(N, 5\):/);
  assert.equal(inputText(model, { ...o, batchDimension: '' }), '(1, 3, 8, 8), (1, 5)');
});
