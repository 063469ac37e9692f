// The analysis worker's figures wait for an idle moment: they run after the delay, or are dropped (and
// whoever waits for them told at once) when a request or newer figures come first.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { IdleTask } from '../../../extension/idleTask';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('IdleTask runs its job after the delay, or drops it when something comes first', async () => {
  const task = new IdleTask(10);
  const log: string[] = [];
  assert.equal(task.pending, false);
  task.set(() => log.push('ran a'), () => log.push('dropped a'));
  assert.equal(log.join(', '), '');
  assert.equal(task.pending, true, 'a job waits');
  await wait(30);
  assert.equal(log.join(', '), 'ran a');
  assert.equal(task.pending, false, 'none once it ran');
  task.drop();
  assert.equal(log.join(', '), 'ran a', 'nothing to drop once it ran');
  task.set(() => log.push('ran b'), () => log.push('dropped b'));
  task.drop();
  task.set(() => log.push('ran c'), () => log.push('dropped c'));
  task.set(() => log.push('ran d'), () => log.push('dropped d'));
  await wait(30);
  assert.equal(log.join(', '), 'ran a, dropped b, dropped c, ran d');
});
