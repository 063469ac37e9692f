// Worked examples of the memory estimate, computed by hand (README "Memory"), and what it does when it
// does not know: unknown ops and unknown shapes make every figure a lower bound, with a warning naming why.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';
import { memoryAt, memoryModel, withMemory } from '../../../engine/memory/estimate';
import { largestBatch } from '../../../engine/memory/fit';
import type { ModelReport } from '../../../engine/report/types';
import { summaryRows } from '../../../engine/report/summary-rows';
import { memoryLines } from '../../../engine/report/format-memory';
import { formatTable } from '../../../engine/report/format';

function model(source: string, input?: number[]): ModelReport {
  const r = analyzeSource('net.py', source, { entry: 'net', input });
  assert.equal(r.models.length, 1, JSON.stringify(r.diagnostics));
  return r.models[0];
}

const SMALL = `import torch.nn as nn
net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(512, 10))
`;

test('a small CNN, by hand', () => {
  const mm = memoryModel(model(SMALL, [1, 3, 16, 16]));
  const at = (batchSize: number) => memoryAt(mm, { batchSize, dtype: 'float32', optimizer: 'adam' });
  const { memory: m, rowSaved } = at(1);
  // elements: input x0 768, conv out x1 2048 (ReLU works in place on it), pool out x2 512, linear out 10
  // kept: x0 by the conv, x1 by ReLU (its output) and the pool (its input), 512 int64 indices, x2 by the linear (through the flatten)
  assert.equal(m.savedActivationsBytes, (768 + 2048 + 512) * 4 + 512 * 8);
  assert.deepEqual(rowSaved, [768 * 4, 2048 * 4, 512 * 8, 0, 512 * 4]);
  // live while the conv runs: its input and its output
  assert.equal(m.inferencePeakBytes, (768 + 2048) * 4);
  // backward through the in-place ReLU: the gradients of its output and of its input
  assert.equal(m.largestTransientBytes, 2 * 2048 * 4);
  const params = 8 * 3 * 9 + 8 + 512 * 10 + 10;
  assert.equal(m.paramsBytes, params * 4);
  assert.equal(m.gradientsBytes, params * 4);
  assert.equal(m.optimizerStateBytes, 2 * params * 4 + 4 * 4); // exp_avg, exp_avg_sq and a float32 step per tensor
  assert.equal(m.trainingPeakBytes, 4 * params * 4 + 16 + m.savedActivationsBytes + m.largestTransientBytes);
  assert.equal(m.memoryComplete, true);
  // activations grow with the batch, parameters do not
  assert.equal(at(32).memory.savedActivationsBytes, 32 * m.savedActivationsBytes);
  assert.equal(at(32).memory.paramsBytes, m.paramsBytes);
  // half precision halves what is in the dtype; indices stay int64
  const half = memoryAt(mm, { batchSize: 1, dtype: 'bfloat16', optimizer: 'sgd' }).memory;
  assert.equal(half.savedActivationsBytes, (768 + 2048 + 512) * 2 + 512 * 8);
  assert.equal(half.optimizerStateBytes, 0);
  assert.equal(memoryAt(mm, { batchSize: 1, dtype: 'float16', optimizer: 'sgd-momentum' }).memory.optimizerStateBytes, params * 2);
});

test('the same numbers whatever batch the file traces at', () => {
  const a = memoryAt(memoryModel(model(SMALL, [1, 3, 16, 16])), { batchSize: 8, dtype: 'float32', optimizer: 'sgd' }).memory;
  const b = memoryAt(memoryModel(model(SMALL, [4, 3, 16, 16])), { batchSize: 8, dtype: 'float32', optimizer: 'sgd' }).memory;
  assert.deepEqual(a, b);
});

test('the largest batch: the training peak fits at the answer and not at the answer + 1', () => {
  const mm = memoryModel(model(SMALL, [1, 3, 16, 16]));
  const o = { dtype: 'float32', optimizer: 'adam' } as const;
  const peak = (b: number) => memoryAt(mm, { ...o, batchSize: b }).memory.trainingPeakBytes;
  for (const budget of [peak(1), peak(1) + 1, 1e6, 8e9, 123456789]) {
    const b = largestBatch(mm, o, budget);
    assert.ok(b >= 1 && peak(b) <= budget && peak(b + 1) > budget, `budget ${budget}: ${b}`);
  }
  assert.equal(largestBatch(mm, o, peak(1) - 1), 0);
});

test('an op without a rule makes the estimate a lower bound, and says which', () => {
  const m = withMemory(model(`import torch.nn as nn
net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Hardshrink(), nn.Conv2d(8, 8, 3))
`, [1, 3, 16, 16]), { batchSize: 2, dtype: 'float32', optimizer: 'sgd' });
  assert.equal(m.memory?.memoryComplete, false);
  assert.match(m.memory?.warnings.join('\n') ?? '', /Hardshrink/);
  assert.ok((m.memory?.savedActivationsBytes ?? 0) > 0, 'what is known is still counted');
});

test('an unknown layer (not modelled) makes the estimate a lower bound', () => {
  const m = memoryModel(model(`import torch.nn as nn
from mystery import Thing
net = nn.Sequential(nn.Conv2d(3, 8, 3), Thing(), nn.Conv2d(8, 8, 3))
`, [1, 3, 16, 16]));
  assert.equal(m.complete, false);
  assert.ok(m.warnings.length > 0);
});

test('a symbolic batch counts per sample; other unknown sizes make it a lower bound', () => {
  // (N, 3, 16, 16) inferred from the Linear: N is the batch, counted per sample
  const inferred = model(SMALL, undefined);
  assert.deepEqual(inferred.inputShape, ['N', 3, 16, 16]);
  const m = memoryAt(memoryModel(inferred), { batchSize: 2, dtype: 'float32', optimizer: 'sgd' }).memory;
  assert.equal(m.savedActivationsBytes, 2 * ((768 + 2048 + 512) * 4 + 512 * 8));
  assert.equal(m.memoryComplete, true);
  // (N, 3, H, W): the maps' sizes are unknown, so what they keep is not counted, and it says so
  const symbolic = memoryModel(model(SMALL.replace('nn.MaxPool2d(2), nn.Flatten(), nn.Linear(512, 10)', 'nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10)')));
  assert.equal(symbolic.complete, false);
  assert.match(symbolic.warnings.join('\n'), /Conv2d \(a kept tensor of unknown shape\)/);
});

test('Keras: the same rules where the layer maps (fused activations included), Keras\'s optimiser slots', () => {
  const r = analyzeSource('k.py', `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2), layers.Flatten(), layers.Dropout(0.5),
    layers.Dense(10, activation="softmax")])
`, {});
  const m = r.models[0];
  const at = (optimizer: 'adam' | 'sgd' | 'rmsprop') => memoryAt(memoryModel(m), { batchSize: 32, dtype: 'float32', optimizer }).memory;
  // per sample: the input, conv1's relu output (kept by its relu and the pool), pool1's output, conv2's relu output,
  // pool2's output, the dropout mask and output, softmax's output; int64 indices of both pools
  const act = 784 + 26 * 26 * 32 + 13 * 13 * 32 + 11 * 11 * 64 + 1600 + 1600 + 1600 + 10 - 1600;
  assert.equal(at('adam').savedActivationsBytes, 32 * (act * 4 + (13 * 13 * 32 + 1600) * 8));
  assert.equal(at('adam').memoryComplete, true);
  // Keras 3.15: momentum and velocity per weight, plus the optimiser's int32 iteration and float32 learning_rate
  assert.equal(at('adam').optimizerStateBytes, 2 * m.trainableParams * 4 + 8);
  assert.equal(at('rmsprop').optimizerStateBytes, m.trainableParams * 4 + 8);
  assert.equal(at('sgd').optimizerStateBytes, 8);
  assert.equal(at('sgd').buffersBytes, 0);
});

test('every kept byte has a row: functional ops count in the custom layer or the container that ran them, the root holds the total', () => {
  const mod = model(`import torch
import torch.nn as nn
import torch.nn.functional as F

class Swish(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(x)

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)
        self.act = Swish()

    def forward(self, x):
        return torch.tanh(self.act(self.conv(x)) + x)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.block = Block()
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        return self.fc(torch.sigmoid(self.block(self.stem(x))).mean((2, 3)))

net = Net()
`, [1, 3, 4, 4]);
  const m = withMemory(mod, { batchSize: 1, dtype: 'float32', optimizer: 'sgd' });
  const rows = summaryRows(m);
  const saved = (path: string) => rows.find((r) => r.path === path)?.savedBytes;
  // elements: input 48, maps 128; the stem keeps the input, block.conv the stem's map; Swish's ops keep x (the
  // conv's output) and sigmoid(x); the block's tanh its output; the model's sigmoid its output (which mean keeps
  // too) and the Linear the mean's 8
  assert.equal(saved('stem'), 48 * 4);
  assert.equal(saved('block.conv'), 128 * 4);
  assert.equal(saved('block.act'), 2 * 128 * 4);
  assert.equal(m.memory?.savedByModule?.block, 128 * 4);
  assert.equal(m.memory?.savedByModule?.[''], 128 * 4);
  assert.equal(saved('block'), (128 + 2 * 128 + 128) * 4);
  assert.equal(rows[0].path, '');
  assert.equal(rows[0].savedBytes, m.memory?.savedActivationsBytes);
  // the table's root row prints it
  assert.match(formatTable(m).split('\n').find((l) => l.startsWith('net (Net)')) ?? '', / 2\.72 KiB$/);
  assert.equal(m.memory?.savedActivationsBytes, (48 + 128 + 2 * 128 + 128 + 128 + 8) * 4);
});

test('nn.MultiheadAttention has no rule yet: a lower bound whose warning names it, the peaks printed with ≥ alone', () => {
  const m = withMemory(model(`import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(4, 8, 3)
        self.attn = nn.MultiheadAttention(8, 2, batch_first=True)

    def forward(self, x):
        x = self.conv(x).transpose(1, 2)
        return self.attn(x, x, x)[0]
net = Net()
`, [1, 4, 10]), { batchSize: 4, dtype: 'float32', optimizer: 'adam' });
  assert.equal(m.memory?.memoryComplete, false);
  assert.match(m.memory?.warnings.join('\n') ?? '', /MultiheadAttention \(no rule for what it keeps\)/);
  const text = memoryLines(m).join('\n');
  assert.match(text, /Training peak ≥ \d/);
  assert.match(text, /Inference peak ≥ \d/);
  assert.doesNotMatch(text, /≈ ≥/);
  // F.scaled_dot_product_attention (PyTorch 2; 1.13 has none to measure) is named the same way
  const sdpa = withMemory(model(`import torch.nn as nn
import torch.nn.functional as F
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(8, 24)

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return F.scaled_dot_product_attention(q, k, v)
net = Net()
`, [1, 5, 8]), { batchSize: 4, dtype: 'float32', optimizer: 'adam' });
  assert.equal(sdpa.memory?.memoryComplete, false);
  assert.match(sdpa.memory?.warnings.join('\n') ?? '', /scaled_dot_product_attention/);
});

test('buffers: running statistics of every tracking norm, called or not; a flag it cannot read makes a lower bound', () => {
  const bytes = (norm: string) => memoryAt(memoryModel(model(`import torch.nn as nn
from settings import flag
net = nn.Sequential(nn.Conv2d(3, 8, 3), ${norm})
`, [1, 3, 8, 8])), { batchSize: 1, dtype: 'float32', optimizer: 'sgd' }).memory;
  // running_mean and running_var (8 floats each) and num_batches_tracked (an int64)
  assert.equal(bytes('nn.BatchNorm2d(8)').buffersBytes, 2 * 8 * 4 + 8);
  assert.equal(bytes('nn.InstanceNorm2d(8)').buffersBytes, 0);
  assert.equal(bytes('nn.InstanceNorm2d(8, track_running_stats=True)').buffersBytes, 2 * 8 * 4 + 8);
  assert.equal(bytes('nn.BatchNorm2d(8, track_running_stats=False)').buffersBytes, 0);
  const unread = bytes('nn.BatchNorm2d(8, track_running_stats=flag)');
  assert.equal(unread.memoryComplete, false);
  assert.match(unread.warnings.join('\n'), /BatchNorm2d .*track_running_stats not known/);
});
