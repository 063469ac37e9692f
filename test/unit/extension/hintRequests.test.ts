// The inlay hint provider's log of every request (latency.ts), which bench:editor prints: per document, in the
// order they came, the newest 50 kept, handed out as a copy; a document with no request has an empty log.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { hintRequestsOf, noteHintRequest, type HintRequestLog } from '../../../extension/latency';

const request = (askedAt: number, outcome: HintRequestLog['outcome'], hints = 0): HintRequestLog =>
  ({ askedAt, answeredAt: askedAt + 1, version: 1, from: 0, to: 40, hints, outcome });

test('requests are kept per document in order, empty answers with why', () => {
  noteHintRequest('file:///a.py', request(1, 'first-empty'));
  noteHintRequest('file:///b.py', request(2, 'hints', 3));
  noteHintRequest('file:///a.py', request(3, 'hints', 2));
  assert.deepEqual(hintRequestsOf('file:///a.py').map((r) => [r.askedAt, r.outcome, r.hints]), [[1, 'first-empty', 0], [3, 'hints', 2]]);
  assert.deepEqual(hintRequestsOf('file:///b.py').map((r) => r.outcome), ['hints']);
  assert.deepEqual(hintRequestsOf('file:///never.py'), []);
});

test('only the newest 50 are kept, and the log handed out is a copy', () => {
  for (let i = 0; i < 60; i++) noteHintRequest('file:///c.py', request(i, i % 2 ? 'cancelled' : 'stale'));
  const log = hintRequestsOf('file:///c.py');
  assert.equal(log.length, 50);
  assert.equal(log[0].askedAt, 10);
  assert.equal(log[49].askedAt, 59);
  log.length = 0;
  assert.equal(hintRequestsOf('file:///c.py').length, 50);
});
