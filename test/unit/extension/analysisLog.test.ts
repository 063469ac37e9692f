// The output channel's line per analysis, and which level each diagnostic is logged at.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { analysisLine, LoggedAnalyzer, type LogSink } from '../../../extension/analysisLog';
import type { Analyzer } from '../../../extension/analyzer';

const SRC = ['import torch.nn as nn', '# convlens: input=(1, 4)', 'class Net(nn.Module):', '    def __init__(self):',
  '        super().__init__()', '        self.fc = nn.Linear(3, 2)', '    def forward(self, x):', '        return self.fc(x)'].join('\n');

test('one line per analysis: the file, the time, each model with its totals, the problems', () => {
  const report = analyzeSource('/ws/net.py', SRC);
  // Linear(3, 2) given 4 features raises in PyTorch: its 6 MACs are counted as if it had received 3, so not exact
  assert.equal(analysisLine(report, 12.4), '/ws/net.py: analysed in 12 ms, 1 model: Net 8 params, 6 MACs (lower bounds) · 1 error');
});

test('errors and warnings at their levels, other diagnostics at debug', async () => {
  const report = analyzeSource('/ws/net.py', SRC);
  const logged: string[] = [];
  const sink: LogSink = { info: (m) => logged.push(`info ${m}`), warn: (m) => logged.push(`warn ${m}`), error: (m) => logged.push(`error ${m}`), debug: (m) => logged.push(`debug ${m}`) };
  const inner: Analyzer = { inBackground: false, analyse: async () => ({ report, misses: [], read: [] }), dispose: () => undefined };
  await new LoggedAnalyzer(inner, () => sink).analyse('/ws/net.py', SRC, {}, new Map());
  assert.match(logged[0], /^info \/ws\/net\.py: analysed in \d+ ms, 1 model/);
  assert.ok(logged.some((l) => /^error \/ws\/net\.py:6 linear-in-features: /.test(l)), logged.join('\n'));
});
