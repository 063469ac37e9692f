// Randomly generated models in the three source styles: the committed ones against real PyTorch,
// and fresh seeds for properties that need no PyTorch (valid models analyse without errors, and
// every parameter and MAC shows up in a layer row).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';

import { randomModel, STYLES } from '../../fixtures/generate/random_models';
import { goldenSuite } from './fixture-suite';
import { analyzeEntry, FIXTURES } from './golden';

const DIR = join(FIXTURES, 'random');

goldenSuite(DIR);

test('the committed random models are exactly what the generator writes for their seeds', () => {
  const files = readdirSync(DIR).filter((f) => /^\d+_\w+\.py$/.test(f));
  assert.ok(files.length >= 40, `only ${files.length} random models`);
  for (const f of files) {
    const m = randomModel(Number(f.split('_')[0]));
    assert.equal(m.fileName, f);
    assert.equal(readFileSync(join(DIR, f), 'utf8'), m.source, `${f} no longer matches its seed: regenerate with make_goldens.sh random`);
  }
  assert.deepEqual(new Set(files.map((f) => /_(\w+)\.py$/.exec(f)?.[1])), new Set(STYLES));
});

test('fresh random models analyse without errors, and their rows add up to the totals', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1000, max: 1_000_000 }), (seed) => {
      const m = randomModel(seed);
      const r = analyzeEntry(`/random/${m.fileName}`, m.source, m.entry, m.input, '/random');
      if (!r.ok) throw new Error(`seed ${seed}: ${r.message}`);
      const errors = [...r.report.diagnostics, ...r.model.diagnostics].filter((d) => d.severity === 'error');
      assert.deepEqual(errors, [], `seed ${seed}: a valid model got errors`);
      assert.ok(r.model.outputShape?.every((d) => typeof d === 'number'), `seed ${seed}: output ${JSON.stringify(r.model.outputShape)}`);
      // Every module of a generated stack is called exactly once, so rows and totals must agree.
      assert.equal(r.model.layers.reduce((s, l) => s + l.params, 0), r.model.totalParams, `seed ${seed}: params`);
      assert.equal(r.model.layers.reduce((s, l) => s + l.macs, 0), r.model.macs, `seed ${seed}: macs`);
    }),
    { numRuns: 50 },
  );
});
