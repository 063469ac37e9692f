// Test helper: one PyTorch golden case of a layer rule (test/fixtures/layers/*.json) compared with
// what the rule computes, and one test per layer over all its cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TORCH_LAYERS } from '../../../engine/frameworks/pytorch/layers/index';
import type { LayerResult } from '../../../engine/frameworks/pytorch/layers/spec';
import { bind } from './bind';

export interface GoldenCase {
  layer: string;
  kwargs: Record<string, unknown>;
  inputs: number[][];
  batched: boolean;
  error?: string;
  macs?: number | null;
  params?: Array<{ name: string; shape: number[] }>;
}

/** What differs from PyTorch: `run` applies the rule, `output` puts its result in the golden's notation. */
export function mismatches<C extends GoldenCase & { output?: unknown }>(
  c: C, run: (cfg: ReturnType<typeof bind>) => LayerResult, output: (res: LayerResult) => unknown,
): string[] {
  const spec = TORCH_LAYERS[c.layer];
  if (!spec) return ['not in the catalog'];
  const cfg = bind(spec, c.kwargs);
  const res = run(cfg);
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  const got = JSON.stringify(output(res));
  const out: string[] = [];
  if (c.error) {
    if (errors.length === 0) out.push(`PyTorch raises "${c.error}" but no error diagnostic (output ${got})`);
  } else {
    if (errors.length > 0) out.push(`unexpected error: ${errors[0].message}`);
    if (got !== JSON.stringify(c.output)) out.push(`output ${got} ≠ ${JSON.stringify(c.output)}`);
    if (c.macs !== null && c.macs !== undefined && res.macs !== c.macs) out.push(`MACs ${res.macs} ≠ ${c.macs}`);
  }
  if (c.params) {
    const params = spec.parameters(cfg)?.map((p) => ({ name: p.name, shape: p.shape }));
    if (JSON.stringify(params) !== JSON.stringify(c.params)) out.push(`params ${JSON.stringify(params)} ≠ ${JSON.stringify(c.params)}`);
  }
  return out;
}

/** One test per layer: every case of it, the first five differences shown. Returns the cases by layer. */
export function testEachLayer<C extends GoldenCase>(cases: C[], differs: (c: C) => string[], label: (c: C) => string): Map<string, C[]> {
  const byLayer = new Map<string, C[]>();
  for (const c of cases) byLayer.set(c.layer, [...(byLayer.get(c.layer) ?? []), c]);
  for (const [layer, mine] of byLayer) {
    test(`${layer}: ${mine.length} PyTorch cases`, () => {
      const failures = mine.flatMap((c) => differs(c).map((m) => `${label(c)}: ${m}`));
      assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${mine.length} cases differ`);
    });
  }
  return byLayer;
}
