import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GCProfiler } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IdleCollector, minorCollector } from '../../../extension/workerGc';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('minorCollector runs a young-generation collection and leaves gc() unexposed to new contexts', () => {
  const exposedBefore = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const collect = minorCollector();
  assert.ok(collect, 'V8 gives the collector');
  const profiler = new GCProfiler();
  profiler.start();
  collect();
  const kinds = profiler.stop().statistics.map((s) => s.gcType);
  assert.ok(kinds.includes('Scavenge'), `a scavenge ran (${kinds.join(', ')})`);
  assert.ok(!kinds.includes('MarkSweepCompact'), 'and no full collection');
  if (!exposedBefore) assert.equal(runInNewContext('typeof gc'), 'undefined', 'the --expose-gc flag is off again');
});

test('IdleCollector collects once the worker is idle, not when a request comes first, and times GC pauses', async () => {
  let runs = 0;
  const idle = new IdleCollector(() => runs++, 5);
  idle.idle();
  await sleep(40);
  assert.equal(runs, 1, 'collected after the idle delay');
  idle.idle();
  idle.begin();
  await sleep(40);
  assert.equal(runs, 1, 'a request that came first cancels the collection');
  assert.ok(idle.end() >= 0);

  const timed = new IdleCollector(undefined, 5);
  timed.begin();
  minorCollector()?.();
  assert.ok(timed.end() > 0, 'a collection during the request is counted');
  timed.idle(); // no collector: nothing scheduled, nothing thrown
});

test('IdleCollector skips a collection while the young generation has room for two more requests like the last', async () => {
  let runs = 0;
  const space = { used: 0, available: 100 };
  const idle = new IdleCollector(() => runs++, 5, () => ({ ...space }));
  const request = async (allocated: number) => {
    idle.begin();
    space.used += allocated;
    space.available -= allocated;
    idle.end();
    idle.idle();
    await sleep(30);
  };
  await request(20);
  assert.equal(runs, 0, '80 left holds two more requests of 20');
  await request(20);
  assert.equal(runs, 0, '60 left still does');
  await request(20);
  assert.equal(runs, 1, '40 left does not: collected');
  space.used = 0;
  space.available = 100;
  await request(60);
  assert.equal(runs, 2, 'one request that took 60 leaves no room for two more');
  idle.begin();
  space.used = 5; // a collection during the request: what it allocated is not known
  idle.idle();
  await sleep(30);
  assert.equal(runs, 3, 'collected when the use fell during the request');
  const blind = new IdleCollector(() => runs++, 5, () => undefined);
  blind.begin();
  blind.idle();
  await sleep(30);
  assert.equal(runs, 4, 'without figures from V8, a collection follows every request');
});

test('IdleCollector weighs what was allocated after the reply when asked again (the worker\'s later figures)', async () => {
  let runs = 0;
  const space = { used: 0, available: 100 };
  const idle = new IdleCollector(() => { runs++; space.available += space.used; space.used = 0; }, 5, () => ({ ...space }));
  const allocate = (n: number) => { space.used += n; space.available -= n; };
  idle.begin();
  allocate(20);
  idle.idle();
  await sleep(30);
  assert.equal(runs, 0, 'room for two more');
  allocate(30); // the figures: 50 since the request began, 50 left
  idle.idle();
  await sleep(30);
  assert.equal(runs, 1, 'collected once the figures used the room');
  allocate(10); // after the collection only these count: 10, 90 left
  idle.idle();
  await sleep(30);
  assert.equal(runs, 1, 'not collected again for a little more');
});
