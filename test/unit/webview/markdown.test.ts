// The LeNet numbers are PyTorch's (examples/lenet_mnist.py): fc1 = 400·120 + 120 = 48,120 params.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { SummaryModel } from '../../../webview/protocol';
import { summaryMarkdown } from '../../../webview/summary/markdown';

const model: SummaryModel = {
  name: 'LeNet', framework: 'pytorch', line: 8, input: '(1, 1, 28, 28)', inputOrigin: 'from a `# convlens: input=` comment', output: '(N, 10)',
  totalParams: 61706, trainableParams: 61706, nonTrainableParams: 0, macs: 416520, paramsComplete: true, macsComplete: true, bound: '',
  rows: [
    { path: '', type: 'LeNet', depth: 0, line: 8, params: 61706, macs: 416520, paramsKnown: true, macsKnown: true, output: '(N, 10)', isLeaf: false },
    { path: 'fc1', type: 'Linear', depth: 1, line: 14, params: 48120, macs: 48000, paramsKnown: true, macsKnown: true, output: '(N, 120)', isLeaf: true },
    { path: 'block.conv', type: 'Conv2d', depth: 2, line: 20, params: 10, macs: 10, paramsKnown: true, macsKnown: true, output: '(N, 1)', isLeaf: true },
  ],
};

test('copy as Markdown: a table down to the depth, with shares and totals', () => {
  const md = summaryMarkdown(model, 1, 'MACs').split('\n');
  assert.equal(md[0], '**LeNet** (pytorch), input (1, 1, 28, 28) (from a # convlens: input= comment)');
  assert.equal(md[2], '| Layer (type) | Output shape | Params | MACs | % of MACs |');
  assert.equal(md[4], '| LeNet (LeNet) | (N, 10) | 61,706 | 416,520 | 100.0% |');
  assert.equal(md[5], '| fc1 (Linear) | (N, 120) | 48,120 | 48,000 | 11.5% |');
  assert.ok(!md.some((l) => l.includes('conv (Conv2d)')), 'depth 2 is folded');
  assert.equal(md.at(-2), 'Total params: 61,706 (61.7K) · trainable 61,706 · non-trainable 0  ');
  assert.equal(md.at(-1), 'Total MACs: 416,520 (417K) per sample');
  assert.ok(summaryMarkdown(model, 2, 'FLOPs').includes('| &nbsp;&nbsp;conv (Conv2d) | (N, 1) | 10 | 20 | 0.0% |'));
});

test('copy as Markdown: lower bounds carry ≥, unknowns are ?, and the reason follows the totals', () => {
  const bound = '≥: 1 thing not modelled: Mystery (line 16)';
  const partial: SummaryModel = {
    ...model, paramsComplete: false, macsComplete: false, bound,
    rows: [
      { ...model.rows[0], paramsKnown: false, macsKnown: false },
      model.rows[1],
      { path: 'm', type: 'Mystery', depth: 1, line: 16, params: 0, macs: 0, paramsKnown: false, macsKnown: false, output: '?', isLeaf: true },
    ],
  };
  const md = summaryMarkdown(partial, 1, 'MACs').split('\n');
  assert.equal(md[4], '| LeNet (LeNet) | (N, 10) | ≥ 61,706 | ≥ 416,520 | 100.0% |');
  assert.equal(md[6], '| m (Mystery) | ? | ? | ? | 0.0% |');
  assert.equal(md.at(-3), 'Total params: ≥ 61,706 (≥ 61.7K) · trainable ≥ 61,706 · non-trainable ?  ');
  assert.equal(md.at(-2), 'Total MACs: ≥ 416,520 (≥ 417K) per sample  ');
  assert.equal(md.at(-1), bound);
});
