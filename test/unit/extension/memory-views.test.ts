// The memory facts in the editor: the summary panel's memory column, totals and controls (typed,
// validated messages), the hover's "keeps for backward" line and the CodeLens's training peak.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import type { DisplayOptions } from '../../../extension/format';
import { hoverMarkdown } from '../../../extension/hoverText';
import { batchFitWarning, keptForBackwardText, trainingPeakText } from '../../../extension/memoryText';
import { summaryModels } from '../../../extension/summaryData';
import { parseFromWebview, parseToWebview } from '../../../webview/protocol';

const o: DisplayOptions = { hintParts: ['shape', 'params', 'compute'], computeUnit: 'MACs', batchDimension: 'N' };
const SOURCE = `import torch.nn as nn
# convlens: input=(1, 3, 16, 16)
net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(512, 10))
`;
const report = analyzeSource('net.py', SOURCE, { entry: 'net' });
const model = report.models[0];

test('the summary carries the memory at the panel\'s options, per row and in total, and passes validation', () => {
  const [m] = summaryModels(report, o, { batchSize: 2, optimizer: 'sgd', dtype: 'float32' });
  assert.equal(m.memory?.batchSize, 2);
  assert.equal(m.memory?.savedActivationsBytes, 2 * ((768 + 2048 + 512) * 4 + 512 * 8));
  assert.equal(m.rows.find((r) => r.path === '0')?.savedBytes, 2 * 768 * 4);
  assert.equal(m.rows.find((r) => r.path === '')?.savedBytes, m.memory?.savedActivationsBytes);
  const msg = { type: 'summary', file: 'net.py', models: [m], selected: 0, computeUnit: 'MACs', imports: [] };
  assert.ok(parseToWebview(JSON.parse(JSON.stringify(msg))));
  assert.equal(summaryModels(report, o)[0].memory?.batchSize, 32, 'the training panel\'s default batch');
});

test('the memory controls\' message is validated', () => {
  assert.ok(parseFromWebview({ type: 'memory', batchSize: 64, optimizer: 'adamw', dtype: 'bfloat16' }));
  for (const bad of [{ batchSize: 0 }, { batchSize: 2.5 }, { optimizer: 'lamb' }, { dtype: 'float64' }, { batchSize: '8' }]) {
    assert.equal(parseFromWebview({ type: 'memory', batchSize: 8, optimizer: 'adam', dtype: 'float32', ...bad }), undefined, JSON.stringify(bad));
  }
});

test('the hover says what a layer keeps for backward at batch 32, and why', () => {
  assert.equal(keptForBackwardText(model, model.layers[0]), 'Keeps 96 KiB for backward at batch 32: its input (for the weight gradient; the weight is a parameter)');
  assert.match(keptForBackwardText(model, model.layers[3]) ?? '', /^Keeps 0 B for backward at batch 32: nothing \(a view of its input\)$/);
  assert.match(hoverMarkdown('file:///net.py', model, [model.layers[2]], [], o), /\*\*Memory\*\* Keeps 128 KiB for backward at batch 32/);
});

test('the CodeLens offers the training peak at the default batch size', () => {
  assert.match(trainingPeakText(model), /^training ≈ [\d.]+ MiB \(batch 32, adam\)$/);
  const unknown = analyzeSource('n.py', 'import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Hardshrink())\n', { entry: 'net', input: [1, 3, 8, 8] });
  assert.match(trainingPeakText(unknown.models[0]), /^training ≈ ≥ /);
});

test('the training panel warns before Start when the batch would not fit the free memory', () => {
  const s = { batchSize: 32, optimizer: 'sgd' as const, momentum: 0.9 };
  assert.equal(batchFitWarning(model, s, 8 * 2 ** 30), undefined);
  assert.match(batchFitWarning(model, s, 1000) ?? '', /^A training step at batch size 32 needs about [\d.]+ MiB, and this machine has 1000 B free/);
});

test('the panel\'s root row keeps what functional ops of forward() save: it equals the model\'s total', () => {
  const src = ['import torch, torch.nn as nn, torch.nn.functional as F', 'class Net(nn.Module):',
    '    def __init__(self):', '        super().__init__()', '        self.c = nn.Conv2d(3, 8, 3, padding=1)',
    '    def forward(self, x):', '        return F.relu(self.c(x)).mean((2, 3))', 'model = Net()', 'model(torch.randn(1, 3, 8, 8))'].join('\n');
  const [m] = summaryModels(analyzeSource('net.py', src), o, { batchSize: 4, optimizer: 'sgd', dtype: 'float32' });
  const root = m.rows.find((r) => r.path === '')?.savedBytes;
  // the conv keeps its input (4·3·64 floats); F.relu keeps its output (4·8·64), which the conv's own row does not hold
  assert.equal(root, m.memory?.savedActivationsBytes);
  assert.ok((root ?? 0) > (m.rows.find((r) => r.path === 'c')?.savedBytes ?? 0) + 4 * 8 * 64 * 4 - 1);
});
