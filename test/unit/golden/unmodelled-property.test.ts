// The honesty rule as a property: take a committed random model (test/fixtures/random, whose totals
// real PyTorch printed), replace one of its layer constructions with a class from a missing package,
// and the report must say so — never a confident number: complete false, `Thing` named in
// `unmodelled` and in a warning, a row for it, and every known total at most the real one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';

import { analyzeEntry, FIXTURES, fixturesIn } from './golden';

const DIR = join(FIXTURES, 'random');
const fixtures = fixturesIn(DIR);
const LAYER = /nn\.[A-Z]\w*\(/g;

test('a random layer replaced by an unknown class: incomplete, named, a row, totals are lower bounds', () => {
  assert.ok(fixtures.length >= 40);
  fc.assert(
    fc.property(fc.nat(), fc.nat(), (pick, which) => {
      const { name, source, golden } = fixtures[pick % fixtures.length];
      // a layer of the model, not the model itself (`model = nn.Sequential(…)` is the entry)
      const sites = [...source.matchAll(LAYER)].filter((m) => !/^model = $/m.test(source.slice(source.lastIndexOf('\n', m.index) + 1, m.index)));
      assert.ok(sites.length > 0, `${name} constructs no layer`);
      const at = sites[which % sites.length];
      const end = (at.index ?? 0) + at[0].length;
      const changed = `from missing_pkg import Thing\n${source.slice(0, at.index)}Thing(${source.slice(end)}`;
      const g = golden.entries[0];
      const r = analyzeEntry(join(DIR, name), changed, g.entry, g.input, DIR);
      if (!r.ok) throw new Error(`${name}: ${r.message}`);
      const m = r.model;
      const where = `${name}, ${at[0]} at offset ${at.index}`;
      assert.equal(m.complete, false, where);
      assert.ok(m.unmodelled.some((u) => u.name === 'Thing'), `${where}: unmodelled ${JSON.stringify(m.unmodelled)}`);
      assert.ok(m.diagnostics.some((d) => d.code === 'unmodelled' && d.severity === 'warning' && d.message.startsWith('Thing ')), where);
      assert.ok(m.layers.some((l) => l.type === 'Thing' && !l.paramsKnown && !l.macsKnown && l.outputShape === null), `${where}: no row for Thing`);
      assert.equal(m.paramsComplete, false, where);
      assert.ok(m.totalParams <= g.torch.totalParams, `${where}: ${m.totalParams} params > ${g.torch.totalParams}`);
      assert.ok(m.trainableParams <= g.torch.trainableParams, `${where}: trainable`);
      assert.ok(m.macs <= g.torch.macs, `${where}: ${m.macs} MACs > ${g.torch.macs}`);
    }),
    { numRuns: 40, seed: 10 },
  );
});
