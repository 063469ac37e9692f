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
