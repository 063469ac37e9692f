// Recurrent and attention layers inside models: what the report says when a size, a length or an
// argument is unknown or wrong (the honesty rule), and the tuple plumbing around them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

const model = (body: string, forward: string, input: string) => [
  'import torch', 'import torch.nn as nn', 'from config import SIZE', 'from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence',
  `# convlens: input=${input}`,
  'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
  ...body.split('\n').map((l) => `        ${l}`), '    def forward(self, x, lengths=None):', ...forward.split('\n').map((l) => `        ${l}`),
].join('\n');

const analyze = (src: string) => analyzeSource('/ws/net.py', src).models[0];

test('an LSTM whose input_size is unknown: its row is a lower bound, with a warning; the output shape stays known', () => {
  const m = analyze(model('self.lstm = nn.LSTM(SIZE, 32, batch_first=True)\nself.fc = nn.Linear(32, 4)',
    'out, (h, c) = self.lstm(x)\nreturn self.fc(h[-1])', '(2, 10, 16)'));
  const lstm = m.layers.find((r) => r.path === 'lstm');
  assert.ok(lstm);
  assert.deepEqual(lstm.outputShape, [2, 10, 32]);
  assert.equal(lstm.paramsKnown, false);
  assert.equal(lstm.macsKnown, false);
  assert.equal(m.paramsComplete, false);
  assert.equal(m.macsComplete, false);
  assert.deepEqual(m.outputShape, [2, 4]);
  assert.ok(m.diagnostics.some((d) => d.severity === 'warning' && d.code === 'params-unknown'));
});

test('bidirectional final states joined with torch.cat((h_n[-2], h_n[-1]), dim=1)', () => {
  const m = analyze(model('self.gru = nn.GRU(16, 24, num_layers=2, bidirectional=True)\nself.fc = nn.Linear(48, 3)',
    'out, h_n = self.gru(x)\nreturn self.fc(torch.cat((h_n[-2], h_n[-1]), dim=1))', '(9, 5, 16)'));
  assert.deepEqual(m.layers.map((r) => r.outputShape), [[9, 5, 48], [5, 3]]);
  assert.equal(m.complete, true);
});

test('the wrong input_size is an error that names the number to set', () => {
  const m = analyze(model('self.lstm = nn.LSTM(8, 32)', 'return self.lstm(x)[0]', '(5, 2, 16)'));
  const d = m.diagnostics.find((x) => x.code === 'rnn-input-size');
  assert.ok(d && d.severity === 'error' && /input_size=16/.test(d.message));
});

test('packed lengths that are not known: the time size and the MACs stay unknown, never a guess', () => {
  const m = analyze(model('self.lstm = nn.LSTM(16, 8, batch_first=True)',
    'p = pack_padded_sequence(x, lengths, batch_first=True)\nout, _ = self.lstm(p)\nout, lens = pad_packed_sequence(out, batch_first=True)\nreturn out',
    '(3, 7, 16)'));
  const lstm = m.layers[0];
  assert.deepEqual(lstm.outputShape, [null, 8]);
  assert.equal(lstm.macsKnown, false);
  assert.deepEqual(m.outputShape, [3, null, 8]);
  assert.equal(m.complete, false);
});

test('an argument that attention does not take is a clear error, not a crash', () => {
  const m = analyze(model('self.attn = nn.MultiheadAttention(16, 4)', 'return self.attn(x, x, x, weights=True)[0]', '(5, 2, 16)'));
  assert.ok(m.diagnostics.some((d) => d.code === 'forward-raised' && /unexpected keyword argument 'weights'/.test(d.message)));
});

test('attention with need_weights=False returns None as its second value', () => {
  const m = analyze(model('self.attn = nn.MultiheadAttention(16, 4)',
    'out, w = self.attn(x, x, x, need_weights=False)\nassert w is None\nreturn out', '(5, 2, 16)'));
  assert.deepEqual(m.outputShape, [5, 2, 16]);
  assert.deepEqual(m.layers.map((r) => [r.path, r.params]), [['attn', 4 * 16 * 16 + 4 * 16]]);
});

test('attention called by keyword (query=, key=, value=, as torchvision ViT does) is traced; without a query it is a TypeError', () => {
  // MultiheadAttention(16, 2): 4·(16·16 + 16) = 1,088 parameters; MACs as the positional call (layer goldens)
  const byKeyword = analyze(model('self.att = nn.MultiheadAttention(16, 2, batch_first=True)',
    'y, _ = self.att(query=x, key=x, value=x, need_weights=False)\nreturn y', '(1, 5, 16)'));
  const positional = analyze(model('self.att = nn.MultiheadAttention(16, 2, batch_first=True)',
    'y, _ = self.att(x, x, x, need_weights=False)\nreturn y', '(1, 5, 16)'));
  assert.deepEqual([byKeyword.outputShape, byKeyword.totalParams, byKeyword.complete], [[1, 5, 16], 1088, true]);
  assert.equal(byKeyword.macs, positional.macs);
  assert.ok(byKeyword.macs > 0);
  const missing = analyze(model('self.att = nn.MultiheadAttention(16, 2, batch_first=True)',
    'y, _ = self.att(key=x, value=x)\nreturn y', '(1, 5, 16)'));
  assert.match(missing.diagnostics.map((d) => d.message).join('; '), /TypeError: forward\(\) missing 1 required positional argument: 'query'/);
});

test('an absurd num_layers is a warning and unknown parameters, not a list that exhausts memory', () => {
  // found by the layer property test: GRU(num_layers=2**53 - 1) built one parameter entry per layer
  const m = analyze(model('self.gru = nn.GRU(16, 24, num_layers=1_000_000)', 'return self.gru(x)[0]', '(9, 5, 16)'));
  const gru = m.layers.find((r) => r.path === 'gru');
  assert.equal(gru?.paramsKnown, false);
  assert.equal(m.paramsComplete, false);
  assert.ok(m.diagnostics.some((d) => d.severity === 'warning' && d.code === 'rnn-too-many-layers'), JSON.stringify(m.diagnostics));
});
