import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseFromWebview, parseToWebview } from '../../../webview/protocol';

const row = { path: 'fc1', type: 'Linear', depth: 1, line: 12, params: 48120, macs: 48000, paramsKnown: true, macsKnown: true, output: '(N, 120)', isLeaf: true };
const model = {
  name: 'LeNet', framework: 'pytorch', line: 8, input: '(1, 1, 28, 28)', inputOrigin: 'comment', output: '(N, 10)',
  totalParams: 61706, trainableParams: 61706, nonTrainableParams: 0, macs: 416520, paramsComplete: true, macsComplete: true, bound: '', rows: [row],
};

test('well-formed messages pass both ways', () => {
  const summary = { type: 'summary', file: 'lenet_mnist.py', models: [model], selected: 0, computeUnit: 'MACs', imports: ['torchvision: /p/.venv/lib/python3.11/site-packages (venv /p/.venv)'] };
  assert.deepEqual(parseToWebview(summary), summary);
  assert.equal(parseToWebview({ ...summary, imports: [3] }), undefined);
  assert.equal(parseToWebview({ ...summary, imports: undefined }), undefined);
  assert.deepEqual(parseToWebview({ type: 'empty', message: 'No model' }), { type: 'empty', message: 'No model' });
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'reveal', line: 12 }), { type: 'reveal', line: 12 });
  assert.deepEqual(parseFromWebview({ type: 'copy', text: '| a |' }), { type: 'copy', text: '| a |' });
});

test('malformed messages are dropped', () => {
  const bad: unknown[] = [
    null, 42, 'ready', [], {}, { type: 'nope' }, { type: 'toString' }, { type: '__proto__' },
    { type: 'reveal', line: 0 }, { type: 'reveal', line: 1.5 }, { type: 'reveal', line: '3' },
    { type: 'copy' }, { type: 'copy', text: 'x'.repeat(1_000_001) },
  ];
  for (const m of bad) assert.equal(parseFromWebview(m), undefined, JSON.stringify(m)?.slice(0, 40));
  assert.equal(parseToWebview({ type: 'summary', file: 'x', models: [{ ...model, rows: [{ ...row, params: 'many' }] }], selected: 0, computeUnit: 'MACs', imports: [] }), undefined);
  assert.equal(parseToWebview({ type: 'summary', file: 'x', models: [model], selected: 0, computeUnit: 'ops', imports: [] }), undefined);
  // a lower bound must say so: the known flags are required booleans, never left out
  const { macsKnown: _dropped, ...noFlag } = row;
  assert.equal(parseToWebview({ type: 'summary', file: 'x', models: [{ ...model, rows: [noFlag] }], selected: 0, computeUnit: 'MACs', imports: [] }), undefined);
  assert.equal(parseToWebview({ type: 'summary', file: 'x', models: [{ ...model, paramsComplete: 'yes' }], selected: 0, computeUnit: 'MACs', imports: [] }), undefined);
  assert.equal(parseToWebview({ type: 'summary', file: 'x', models: [{ ...model, framework: 'jax' }], selected: 0, computeUnit: 'MACs', imports: [] }), undefined);
  assert.equal(parseToWebview({ type: 'empty', message: ['x'] }), undefined);
});
