// Every case of the PyTorch goldens (test/fixtures/layers/make_layer_goldens.py, generated with
// real torch) against the catalog: output shape, the error PyTorch raises, the module's own
// parameters, MACs per sample; and each constructor signature against torch's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TORCH_LAYERS } from '../../../engine/frameworks/pytorch/layers/index';
import { REQUIRED } from '../../../engine/frameworks/pytorch/layers/spec';
import type { Shape } from '../../../engine/shapes/dim';
import { mismatches, testEachLayer, type GoldenCase } from './golden-case';

interface Case extends GoldenCase {
  output?: number[];
}

const goldens = JSON.parse(readFileSync(new URL('../../fixtures/layers/goldens.json', import.meta.url), 'utf8')) as {
  signatures: Record<string, Array<[string, unknown]>>;
  cases: Case[];
};

testEachLayer(goldens.cases, (c) => mismatches(c, (cfg) => TORCH_LAYERS[c.layer].apply(cfg, c.inputs as Shape[]), (res) => res.output),
  (c) => `${JSON.stringify(c.kwargs)} on ${JSON.stringify(c.inputs)}`);

test('the goldens exercise errors, MACs and parameters', () => {
  assert.ok(goldens.cases.length > 2000);
  assert.ok(goldens.cases.filter((c) => c.error).length > 300);
  assert.ok(goldens.cases.some((c) => (c.macs ?? 0) > 0));
});

// Newer PyTorch adds arguments before device/dtype (LayerNorm's bias, Embedding's _freeze), so
// torch's list (without device/dtype) must be a prefix of ours, with the same defaults.
test('constructor signatures agree with torch', () => {
  const strip = (sig: Array<[string, unknown]>) => sig.filter(([n]) => n !== 'device' && n !== 'dtype');
  for (const [layer, torchSig] of Object.entries(goldens.signatures)) {
    const ours = strip(TORCH_LAYERS[layer].signature).map(([n, d]) => [n, d === REQUIRED ? '<required>' : n.startsWith('*') ? null : d]);
    const theirs = strip(torchSig);
    assert.deepEqual(ours.slice(0, theirs.length), theirs, layer);
  }
});
