// The recurrent and attention layers against real PyTorch (test/fixtures/layers/make_recurrent_goldens.py):
// the returned tuple's shapes, the error PyTorch raises, each parameter's name and shape, MACs per
// sample; and what the rules say when a size is unknown.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TORCH_LAYERS } from '../../../engine/frameworks/pytorch/layers/index';
import { UNKNOWN, type CallArg, type CallArgs, type OutputTree } from '../../../engine/frameworks/pytorch/layers/spec';
import { bind } from './bind';
import { mismatches, testEachLayer, type GoldenCase } from './golden-case';

type Tree = number[] | null | { t: Tree[] };

interface Case extends GoldenCase {
  call: Record<string, unknown>;
  output?: Tree;
}

const goldens = JSON.parse(readFileSync(new URL('../../fixtures/layers/recurrent.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** A golden's call argument as the session passes it: a shape list is a tensor, {t} a tuple. */
function callArg(v: unknown): CallArg {
  if (Array.isArray(v)) return { shape: v as number[] };
  if (v !== null && typeof v === 'object' && 't' in v) return (v as { t: unknown[] }).t.map(callArg);
  return v as CallArg;
}

function callOf(c: Case): CallArgs {
  const call: CallArgs = { input: { shape: c.inputs[0] } };
  if (c.layer === 'MultiheadAttention') Object.assign(call, { key: { shape: c.inputs[1] }, value: { shape: c.inputs[2] } });
  for (const [k, v] of Object.entries(c.call)) call[k] = callArg(v);
  return call;
}

/** The engine's output tree in the golden's notation. */
function tree(o: OutputTree | undefined): Tree | undefined {
  if (o === undefined || o === null) return o === null ? null : undefined;
  if (Array.isArray(o)) return { t: o.map((x) => tree(x) as Tree) };
  return 'shape' in o ? (o.shape as number[]) : undefined;
}

const byLayer = testEachLayer(goldens.cases, (c) => mismatches(c, (cfg) => TORCH_LAYERS[c.layer].apply(cfg, [], callOf(c)), (res) => tree(res.outputs)),
  (c) => `${JSON.stringify(c.kwargs)} on ${JSON.stringify(c.inputs)} ${JSON.stringify(c.call)}`);

test('the recurrent goldens cover every layer, errors and MACs', () => {
  assert.deepEqual([...byLayer.keys()].sort(), ['GRU', 'GRUCell', 'LSTM', 'LSTMCell', 'MultiheadAttention', 'RNN', 'RNNCell']);
  assert.ok(goldens.cases.filter((c) => c.error).length >= 20);
  assert.ok(goldens.cases.filter((c) => (c.macs ?? 0) > 0).length > 150);
});

test('an unknown size leaves the parameters uncounted, with a warning, and never a number', () => {
  for (const [layer, kwargs] of [
    ['LSTM', { input_size: UNKNOWN, hidden_size: 6 }],
    ['GRU', { input_size: 5, hidden_size: 6, num_layers: UNKNOWN }],
    ['LSTM', { input_size: 5, hidden_size: 6, proj_size: UNKNOWN }],
    ['LSTMCell', { input_size: UNKNOWN, hidden_size: 6 }],
    ['MultiheadAttention', { embed_dim: 8, num_heads: UNKNOWN }],
  ] as const) {
    const spec = TORCH_LAYERS[layer];
    const cfg = bind(spec, kwargs);
    assert.equal(spec.parameters(cfg), null, `${layer} parameters`);
    const input = layer === 'LSTMCell' ? [3, 5] : [4, 2, 8];
    const call: CallArgs = { input: { shape: input }, key: { shape: input }, value: { shape: input } };
    const res = spec.apply(cfg, [], call);
    assert.equal(res.macs, null, `${layer} MACs`);
    assert.ok(res.diagnostics.some((d) => d.severity === 'warning' && d.code === 'params-unknown'), `${layer} warns`);
  }
});

test('an input of unknown shape still gives the tuple, of unknown tensors', () => {
  const spec = TORCH_LAYERS.LSTM;
  const res = spec.apply(bind(spec, { input_size: 5, hidden_size: 6 }), [], { input: { shape: null } });
  assert.deepEqual(res.outputs, [{ shape: null }, [{ shape: null }, { shape: null }]]);
  assert.equal(res.macs, null);
});

test('a packed batch: .data rows are the total length, MACs per sample from it', () => {
  const spec = TORCH_LAYERS.GRU;
  const cfg = bind(spec, { input_size: 5, hidden_size: 6, bidirectional: true });
  const known = spec.apply(cfg, [], { input: { packed: { padded: [4, 2, 5], steps: 6 } } });
  assert.deepEqual(known.output, [6, 12]);
  // 3 steps per sample × 2 directions × 3 gates × 6 × (5 + 6)
  assert.equal(known.macs, 3 * 2 * 3 * 6 * 11);
  const unknownLengths = spec.apply(cfg, [], { input: { packed: { padded: [null, 2, 5], steps: null } } });
  assert.deepEqual(unknownLengths.output, [null, 12]);
  assert.equal(unknownLengths.macs, null);
});
