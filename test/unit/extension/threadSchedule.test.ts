import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { parseSchedstat, scheduleSince, threadSchedule } from '../../../extension/threadSchedule';

test('schedstat: nanoseconds on a core, then waiting on a run queue, read as milliseconds', () => {
  assert.deepEqual(parseSchedstat('67609 3072348 1\n'), { onCore: 0.067609, waited: 3.072348 });
  assert.equal(parseSchedstat(''), undefined);
  assert.equal(parseSchedstat('not numbers'), undefined);
});

test('a busy thread: its time on a core grows, and never beyond the wall time that passed', { skip: !existsSync('/proc/thread-self/schedstat') && 'no per-thread scheduler statistics here' }, () => {
  const from = threadSchedule();
  assert.ok(from, 'Linux gives the calling thread its schedstat');
  const start = performance.now();
  let x = 0;
  while (performance.now() - start < 30) x += Math.sqrt(x + 1);
  const wall = performance.now() - start;
  const spent = scheduleSince(from);
  assert.ok(spent && x > 0);
  assert.ok(spent.onCore > 0, 'it ran');
  // the kernel adds a running thread's time at its ticks: a read may lag by one (4 ms at most at 250 Hz)
  assert.ok(spent.onCore <= wall + 4, `on a core ${spent.onCore} ms within ${wall} ms of wall time`);
  assert.ok(spent.waited >= 0, 'waiting for a core never goes backwards');
});

test('without a starting point there is nothing to subtract', () => {
  assert.equal(scheduleSince(undefined), undefined);
});
