// The CLI's argument errors say what is wrong, in every subcommand: an unknown option (with the
// nearest real one when it is a slip), a missing value, a value given to a switch, a bad number.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkArgs } from '../../../engine/cli/args';
import { suggest } from '../../../engine/suggest';
import { runExplain } from '../../../engine/cli/explain';
import { UsageError } from '../../../engine/cli/io';
import { runSummary } from '../../../engine/cli/summary';
import { runTrain } from '../../../engine/cli/train';

const OPTIONS = { input: { type: 'string' }, depth: { type: 'string' }, json: { type: 'boolean' } } as const;

test('unknown options are named, with a suggestion only when one is close', () => {
  assert.throws(() => checkArgs(['m.py', '--bogus'], OPTIONS), (e: Error) => e instanceof UsageError && e.message === 'unknown option --bogus');
  assert.throws(() => checkArgs(['--inptu', '1,3'], OPTIONS), /unknown option --inptu \(did you mean --input\?\)$/);
  assert.throws(() => checkArgs(['--dept=2'], OPTIONS), /unknown option --dept \(did you mean --depth\?\)/);
  assert.equal(suggest('xyz', ['input', 'depth']), undefined);
  assert.equal(suggest('batchsize', ['batch-size', 'seed']), 'batch-size');
  assert.equal(suggest('epoch', ['epochs', 'entry']), 'epochs');
});

test('missing values and values given to switches are errors; negative numbers are values', () => {
  assert.throws(() => checkArgs(['m.py', '--input'], OPTIONS), /--input needs a value$/);
  assert.throws(() => checkArgs(['--input', '--json'], OPTIONS), /--input needs a value/);
  assert.throws(() => checkArgs(['--json=1'], OPTIONS), /--json takes no value/);
  assert.deepEqual(checkArgs(['m.py', '--depth', '-1', '--json', '--input=1,3'], OPTIONS), ['m.py', '--depth=-1', '--json', '--input=1,3']);
  assert.deepEqual(checkArgs(['--', '--bogus'], OPTIONS), ['--', '--bogus']);
});

const trainErr = async (args: string[]): Promise<{ code: number; err: string }> => {
  let err = '';
  const code = await runTrain(args, { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } });
  return { code, err: err.split('\n')[0] };
};

test('convlens train: unknown option, missing value and bad numbers exit 2 with what is wrong', async () => {
  assert.deepEqual(await trainErr(['m.py', '--bogus']), { code: 2, err: 'convlens train: unknown option --bogus' });
  assert.deepEqual(await trainErr(['m.py', '--epoch', '3']), { code: 2, err: 'convlens train: unknown option --epoch (did you mean --epochs?)' });
  assert.deepEqual(await trainErr(['m.py', '--lr']), { code: 2, err: 'convlens train: --lr needs a value' });
  assert.deepEqual(await trainErr(['m.py', '--lr', 'fast']), { code: 2, err: 'convlens train: --lr fast: expected a positive number' });
  assert.deepEqual(await trainErr(['m.py', '--epochs', '2.5']), { code: 2, err: 'convlens train: --epochs 2.5: expected a positive integer' });
  assert.deepEqual(await trainErr(['m.py', '--seed', '-3', '--json=yes']), { code: 2, err: 'convlens train: --json takes no value' });
  let out = '';
  assert.equal(await runTrain(['--help'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } }), 0);
  assert.match(out, /^usage: convlens train FILE/);
});

test('convlens summary and explain: the same messages', () => {
  const io = { out: () => undefined, err: () => undefined };
  assert.throws(() => runSummary(['m.py', '--imput', '1,3,8,8'], io), /unknown option --imput \(did you mean --input\?\)/);
  assert.throws(() => runSummary(['m.py', '--depth'], io), /--depth needs a value/);
  const lines: string[] = [];
  assert.equal(runExplain(['conv2d', '--strid', '2'], (s) => lines.push(s)), 2);
  assert.match(lines.join('\n'), /unknown option --strid \(did you mean --stride\?\)/);
});
