// An interpreter asked to stop (`interruptWhen`: the analysis worker's full import for a snapshot when the
// worker is to exit) throws Interrupted at its next checkpoint and at every one after, so that code which
// swallows an error cannot carry on for long, and says it was interrupted.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Interpreter } from '../../../engine/python/interpreter';
import { BudgetExceeded, Interrupted } from '../../../engine/python/values';
import { analyzeSource } from '../../../engine/analyze';

test('an interpreter asked to stop throws Interrupted from then on, and the step budget still holds', () => {
  const interp = new Interpreter(1_000_000);
  let stop = false;
  interp.interruptWhen(() => stop);
  for (let i = 0; i < 50_000; i++) interp.tick();
  assert.equal(interp.interrupted, false);
  stop = true;
  assert.throws(() => { for (let i = 0; i < 50_000; i++) interp.tick(); }, Interrupted);
  assert.equal(interp.interrupted, true);
  stop = false;
  // sticky: a swallowed Interrupted comes back at the next checkpoint
  assert.throws(() => { for (let i = 0; i < 50_000; i++) interp.tick(); }, Interrupted);
  const budget = new Interpreter(10_000);
  budget.interruptWhen(() => false);
  assert.throws(() => { for (let i = 0; i < 20_000; i++) budget.tick(); }, BudgetExceeded);
});

test('steps counted afresh for a trace keep the budget exact and the stop tested within 2,000 steps', () => {
  const interp = new Interpreter(100_000);
  let stop = false;
  interp.interruptWhen(() => stop);
  for (let i = 0; i < 90_000; i++) interp.tick();
  interp.restartSteps();
  stop = true;
  let ran = 0;
  assert.throws(() => { for (; ran < 50_000; ran++) interp.tick(); }, Interrupted);
  assert.ok(ran <= 2_000, `stopped after ${ran} steps`);
  // the whole budget again after a restart: 100,000 steps pass, the next one does not
  const budget = new Interpreter(100_000);
  for (let i = 0; i < 90_000; i++) budget.tick();
  budget.restartSteps();
  for (let i = 0; i < 100_000; i++) budget.tick();
  assert.throws(() => budget.tick(), BudgetExceeded);
});

test('an analysis asked to stop throws Interrupted, also in its trace; one never asked gives the same report', () => {
  const source = [
    'import torch', 'import torch.nn as nn', '',
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.convs = nn.Sequential(*[nn.Conv2d(8, 8, 3, padding=1) for _ in range(40)])',
    '        self.fc = nn.Linear(8, 10)',
    '    def forward(self, x):',
    '        for conv in self.convs:',
    '            x = torch.relu(conv(x))',
    '        return self.fc(x.mean((2, 3)))', '',
    'model = Net()', 'model(torch.randn(1, 8, 32, 32))', '',
  ].join('\n');
  const plain = analyzeSource('/ws/net.py', source);
  assert.equal(plain.models[0].totalParams, 40 * (8 * 8 * 9 + 8) + 8 * 10 + 10);
  assert.deepEqual(analyzeSource('/ws/net.py', source, { interrupt: () => false }), plain);
  assert.throws(() => analyzeSource('/ws/net.py', source, { interrupt: () => true }), Interrupted);
  // asked to stop only once the report's trace runs, after a long run of the file (~20,000 steps, so that its last
  // checkpoint is far beyond the trace's ~6,000 steps, counted from zero): the trace still tests it, and stops
  const long = source.replace('            x = torch.relu(conv(x))', '            x = torch.relu(conv(x))\n        for _ in range(3000):\n            y = x')
    .replace('model = Net()', 'for i in range(20000):\n    pass\nmodel = Net()');
  const timings = { parse: 0, imports: 0, interpret: 0, trace: 0, report: 0 };
  assert.equal(analyzeSource('/ws/net.py', long).models[0].totalParams, plain.models[0].totalParams);
  assert.throws(() => analyzeSource('/ws/net.py', long, { timings, interrupt: () => timings.interpret > 0 }), Interrupted);
});
