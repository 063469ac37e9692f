// A small seeded run of the mutation fuzzer (test/fuzz/): real model files damaged at random must
// never make analyzeSource throw or run past the time limit. The big run is `npm run fuzz`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, mutant, seedFiles } from '../../fuzz/mutate';

test('the fuzzer mutates: a seed always gives the same mutant, and mutants differ from their file', () => {
  const files = seedFiles();
  assert.ok(files.length > 20, String(files.length));
  assert.deepEqual(mutant(files, 7), mutant(files, 7));
  const changed = Array.from({ length: 50 }, (_, i) => mutant(files, i)).filter((m) => m.source !== files.find((f) => f.name === m.file)?.source);
  assert.ok(changed.length >= 40, String(changed.length)); // a few are no-ops (a line swapped with itself)
});

test('200 seeded mutants of real model files: no internal error, no timeout', () => {
  const findings = fuzz(20_000, 200, { timeLimitMs: 10_000, maxSteps: 200_000 });
  assert.deepEqual(findings.map((f) => `seed ${f.seed} ${f.kind}: ${f.detail}`), []);
});
