// Every case of the PyTorch goldens (test/fixtures/layers/make_layer_goldens.py, generated with
// real torch) against the catalog: output shape, the error PyTorch raises, the module's own
// parameters, MACs per sample; and each constructor signature against torch's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TORCH_LAYERS } from '../../../engine/frameworks/pytorch/layers/index';
import { REQUIRED } from '../../../engine/frameworks/pytorch/layers/spec';
import type { Shape } from '../../../engine/shapes/dim';
import { bind } from './bind';

interface Case {
  layer: string;
  kwargs: Record<string, unknown>;
  inputs: number[][];
  batched: boolean;
  output?: number[];
  error?: string;
  macs?: number | null;
  params?: Array<{ name: string; shape: number[] }>;
}

const goldens = JSON.parse(readFileSync(new URL('../../fixtures/layers/goldens.json', import.meta.url), 'utf8')) as {
  signatures: Record<string, Array<[string, unknown]>>;
  cases: Case[];
};

function mismatches(c: Case): string[] {
  const spec = TORCH_LAYERS[c.layer];
  if (!spec) return ['not in the catalog'];
  const cfg = bind(spec, c.kwargs);
  const res = spec.apply(cfg, c.inputs as Shape[]);
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  const out: string[] = [];
  if (c.error) {
    if (errors.length === 0) out.push(`PyTorch raises "${c.error}" but no error diagnostic (output ${JSON.stringify(res.output)})`);
  } else {
    if (errors.length > 0) out.push(`unexpected error: ${errors[0].message}`);
    if (JSON.stringify(res.output) !== JSON.stringify(c.output)) out.push(`output ${JSON.stringify(res.output)} ≠ ${JSON.stringify(c.output)}`);
    if (c.macs !== null && c.macs !== undefined && res.macs !== c.macs) out.push(`MACs ${res.macs} ≠ ${c.macs}`);
  }
  if (c.params) {
    const got = spec.parameters(cfg)?.map((p) => ({ name: p.name, shape: p.shape }));
    if (JSON.stringify(got) !== JSON.stringify(c.params)) out.push(`params ${JSON.stringify(got)} ≠ ${JSON.stringify(c.params)}`);
  }
  return out;
}

const byLayer = new Map<string, Case[]>();
for (const c of goldens.cases) byLayer.set(c.layer, [...(byLayer.get(c.layer) ?? []), c]);

for (const [layer, cases] of byLayer) {
  test(`${layer}: ${cases.length} PyTorch cases`, () => {
    const failures = cases.flatMap((c) => mismatches(c).map((m) => `${JSON.stringify(c.kwargs)} on ${JSON.stringify(c.inputs)}: ${m}`));
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${cases.length} cases differ`);
  });
}

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
