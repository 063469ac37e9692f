import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestQueue } from '../../../extension/latestQueue';

const deferred = () => {
  let resolve!: (v: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
};

test('one job runs at a time; a waiting job is replaced by a newer one of the same key', async () => {
  const q = new LatestQueue<string>();
  const started: string[] = [];
  const first = deferred();
  const job = (name: string, d?: ReturnType<typeof deferred>) => () => { started.push(name); return d ? d.promise : Promise.resolve(name); };
  const a1 = q.push('a', job('a1', first));
  const a2 = q.push('a', job('a2'));
  const b1 = q.push('b', job('b1'));
  const a3 = q.push('a', job('a3'));
  assert.deepEqual(started, ['a1'], 'the first job starts at once, the others wait');
  assert.equal(await a2, undefined, 'a2 was replaced by a3 before it started');
  first.resolve('a1 done');
  assert.equal(await a1, 'a1 done', 'the running job is never interrupted');
  assert.equal(await b1, 'b1');
  assert.equal(await a3, 'a3');
  assert.deepEqual(started, ['a1', 'b1', 'a3'], 'waiting jobs run in order, the newest of a key at the back');
});

test('a job that fails resolves to undefined and the queue goes on; clear() drops the waiting jobs', async () => {
  const q = new LatestQueue<string>();
  const failing = q.push('a', () => Promise.reject(new Error('boom')));
  const next = q.push('b', () => Promise.resolve('b'));
  assert.equal(await failing, undefined);
  assert.equal(await next, 'b');
  const hold = deferred();
  const running = q.push('c', () => hold.promise);
  const dropped = q.push('d', () => Promise.resolve('d'));
  q.clear();
  assert.equal(await dropped, undefined);
  hold.resolve('c');
  assert.equal(await running, 'c');
});

test('a background job waits behind every other job, even one pushed after it; a newer job of its key replaces it', async () => {
  const q = new LatestQueue<string>();
  const started: string[] = [];
  const hold = deferred();
  const job = (name: string, d?: ReturnType<typeof deferred>) => () => { started.push(name); return d ? d.promise : Promise.resolve(name); };
  const running = q.push('a', job('a', hold), true);
  const hidden = q.push('hidden', job('hidden'), true);
  const replaced = q.push('other', job('other-old'), true);
  const shown = q.push('shown', job('shown'));
  const other = q.push('other', job('other'));
  assert.deepEqual(started, ['a'], 'a background job starts when nothing else waits, and is not interrupted');
  hold.resolve('a');
  assert.equal(await running, 'a');
  assert.equal(await replaced, undefined, 'a newer job of the same key replaces a background one');
  assert.equal(await shown, 'shown');
  assert.equal(await other, 'other');
  assert.equal(await hidden, 'hidden');
  assert.deepEqual(started, ['a', 'shown', 'other', 'hidden'], 'the jobs pushed later but not in the background ran first');
});
