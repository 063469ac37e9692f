// Unmodified torchvision model source (test/fixtures/zoo) against real PyTorch: the check
// (`convlens summary FILE --entry … --input … --root test/fixtures/zoo`). Each model reports the
// acceptance numbers (params exact, MACs diff %, share of (path, shape) rows) and must agree exactly.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { join } from 'node:path';

import { agreement, differences } from './compare';
import { analyzeEntry, FIXTURES, readGolden } from './golden';

const ZOO = join(FIXTURES, 'zoo');
const GOLDENS = join(ZOO, 'goldens');
const summary: string[] = [];

const goldenFiles = readdirSync(GOLDENS).filter((f) => f.endsWith('.golden.json')).sort();
test('the zoo holds goldens', () => assert.ok(goldenFiles.length > 0));

for (const f of goldenFiles) {
  const golden = readGolden(join(GOLDENS, f));
  const file = join(ZOO, golden.file ?? '');
  const source = readFileSync(file, 'utf8');
  describe(golden.file ?? f, () => {
    for (const g of golden.entries) {
      test(`${g.entry} with --input ${g.input.join(',')}`, (t) => {
        const r = analyzeEntry(file, source, g.entry, g.input, ZOO);
        if (!r.ok) {
          summary.push(`${g.entry.padEnd(50)} engine failed`);
          assert.fail(r.message);
        }
        const a = agreement(r.model, g.torch);
        const line = `${g.entry.padEnd(50)} params ${a.paramsExact ? 'exact' : 'WRONG'}  MACs ${a.macsDiffPercent.toFixed(3)} %  rows ${a.rowsMatchingPercent.toFixed(1)} %  output ${a.outputShapeExact ? 'exact' : 'WRONG'}`;
        summary.push(line);
        t.diagnostic(line);
        const diffs = differences(r.model, g.torch);
        assert.ok(diffs.length === 0, `${g.entry} differs from PyTorch:\n  ${diffs.join('\n  ')}`);
      });
    }
  });
}

after(() => {
  console.log(`\nZoo agreement with PyTorch (issue 2 accepts MACs within 0.5 %, rows ≥ 99 %):\n${summary.join('\n')}`);
});
