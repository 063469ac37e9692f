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
