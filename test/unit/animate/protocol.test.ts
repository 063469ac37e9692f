// The animation panel's messages: well-formed ones pass both ways, anything else is dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXAMPLES } from '../../../webview/animate/examples';
import { parseFromAnimate, parseToAnimate } from '../../../webview/animate/protocol';

const params = EXAMPLES.find((e) => e.id === '2d-channels')!.params;
const layer = { type: 'layer', id: 3, source: { title: 'Conv2d conv1 in Stem (stem_conv.py)', notes: ['Scaled down'], line: 11 }, params };

test('well-formed messages pass', () => {
  assert.deepEqual(parseToAnimate(layer), layer);
  assert.deepEqual(parseToAnimate({ type: 'lecture', id: 1 }), { type: 'lecture', id: 1 });
  assert.deepEqual(parseToAnimate({ type: 'lecture', id: 2, note: 'not a convolution' }), { type: 'lecture', id: 2, note: 'not a convolution' });
  for (const e of EXAMPLES) assert.ok(parseToAnimate({ type: 'layer', id: 0, source: { title: e.label, notes: [] }, params: e.params }), e.id);
  assert.deepEqual(parseFromAnimate({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromAnimate({ type: 'reveal', line: 11 }), { type: 'reveal', line: 11 });
});

test('malformed messages are dropped', () => {
  const from: unknown[] = [null, 'ready', {}, { type: 'play' }, { type: 'reveal' }, { type: 'reveal', line: 0 }, { type: 'reveal', line: 2.5 }, { type: 'constructor' }];
  for (const m of from) assert.equal(parseFromAnimate(m), undefined, JSON.stringify(m));
  const bad = (over: Record<string, unknown>) => ({ ...layer, params: { ...params, ...over } });
  const to: unknown[] = [
    { type: 'lecture' },
    { type: 'lecture', id: -1 },
    { type: 'lecture', id: 1, note: 7 },
    { ...layer, id: 'x' },
    { ...layer, source: { title: 'x' } },
    bad({ op: 'conv3d' }),
    bad({ view: 'fft' }),
    bad({ dims: 3 }),
    bad({ input: [] }),
    bad({ input: [[[1, 'a']]] }),
    bad({ input: [[[1, NaN]]] }),
    bad({ stride: [0] }),
    bad({ stride: [1, 1, 1] }),
    bad({ dilation: [1.5] }),
    bad({ padding: { mode: 'same' } }),
    bad({ padding: { mode: 'manual', split: [[1, -1]] } }),
    bad({ padding: { mode: 'reflect' } }),
    bad({ ceilMode: 'yes' }),
    bad({ countIncludePad: 1 }),
    bad({ input: [Array.from({ length: 400 }, () => Array(400).fill(1))] }),
  ];
  for (const m of to) assert.equal(parseToAnimate(m), undefined, JSON.stringify(m).slice(0, 120));
});
