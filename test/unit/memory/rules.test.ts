// The op table (engine/memory/rules.ts) against PyTorch 1.13, op by op: each entry of
// test/fixtures/memory/ops_table.py is a conv, one op and a reader, and the bytes autograd keeps
// (measured with saved_tensors_hooks, unique storages) must match exactly at batch 1 and 32.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { analyzeEntry, FIXTURES, readGolden } from '../golden/golden';
import { memoryAt, memoryModel } from '../../../engine/memory/estimate';
import { MEMORY_RULES, memoryRule } from '../../../engine/memory/rules';

interface OpsGolden { entries: Array<{ entry: string; input: number[]; torch: { saved: Record<string, number> } }> }

const file = join(FIXTURES, 'memory', 'ops_table.py');
const source = readFileSync(file, 'utf8');
const golden = readGolden<OpsGolden>(join(FIXTURES, 'memory', 'ops_table.memory.json'));
const lines: string[] = [];

test('the op table golden covers every entry of ops_table.py', () => {
  assert.equal(golden.entries.length, (source.match(/^# entry:/gm) ?? []).length);
});

for (const g of golden.entries) {
  test(`${g.entry} keeps what PyTorch keeps`, () => {
    const r = analyzeEntry(file, source, g.entry, g.input, join(FIXTURES, 'memory'));
    if (!r.ok) assert.fail(r.message);
    const model = memoryModel(r.model);
    assert.equal(model.complete, true, model.warnings.join('; '));
    for (const [batch, bytes] of Object.entries(g.torch.saved)) {
      const ours = memoryAt(model, { batchSize: Number(batch), dtype: 'float32', optimizer: 'sgd' }).memory.savedActivationsBytes;
      lines.push(`${g.entry.padEnd(60)} B=${batch.padEnd(3)} ${String(ours).padStart(9)} ${ours === bytes ? '=' : '≠'} ${bytes}`);
      assert.equal(ours, bytes, `${g.entry} at batch ${batch}`);
    }
  });
}

test('every rule says why, and a view keeps nothing', () => {
  for (const [type, rule] of Object.entries(MEMORY_RULES)) {
    assert.ok(rule.why.length > 5, type);
    if (rule.view) assert.deepEqual(rule.keeps, [], type);
  }
});

test('mean keeps its input unless it reduces to a scalar; dropout with p = 0 is a view', () => {
  assert.deepEqual(memoryRule('mean', {}, 2)?.keeps, ['input']);
  assert.deepEqual(memoryRule('mean', {}, 0)?.keeps, []);
  assert.equal(memoryRule('dropout', { p: 0 }, 4)?.view, true);
  assert.equal(memoryRule('NoSuchLayer', {}, 4), undefined);
});

after(() => console.log(`\nSaved bytes per op, ConvLens vs PyTorch 1.13:\n${lines.join('\n')}`));
