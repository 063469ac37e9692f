// The golden suite for a folder of fixture files (`NN_name.py` + `NN_name.golden.json`): every
// entry with its input given, and once more without, where the engine must find the input shape
// in the file itself.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { join } from 'node:path';

import { differences } from './compare';
import { analyzeEntry, fixturesIn } from './golden';

export function goldenSuite(dir: string): void {
  const fixtures = fixturesIn(dir);
  test(`${dir} holds goldens`, () => assert.ok(fixtures.length > 0, `no *.golden.json in ${dir}`));

  for (const { name, source, golden } of fixtures) {
    const file = join(dir, name);
    describe(name, () => {
      for (const g of golden.entries) {
        test(`${g.entry} with --input ${g.input.join(',')}`, () => {
          const r = analyzeEntry(file, source, g.entry, g.input, dir);
          if (!r.ok) assert.fail(r.message);
          const diffs = differences(r.model, g.torch);
          if (r.model.inputShapeSource !== 'argument') diffs.unshift(`inputShapeSource: ${r.model.inputShapeSource}, expected argument`);
          assert.ok(diffs.length === 0, `${name} ${g.entry} differs from PyTorch:\n  ${diffs.join('\n  ')}`);
        });

        test(`${g.entry} without --input (${g.inputShapeSource === 'argument' ? 'nothing in the file' : `the ${g.inputShapeSource} in the file`})`, () => {
          const r = analyzeEntry(file, source, g.entry, undefined, dir);
          if (!r.ok) assert.fail(r.message);
          if (g.inputShapeSource === 'argument') {
            // Nothing in the file gives the shape: the engine must not claim it found one.
            assert.ok(['symbolic', 'inferred'].includes(r.model.inputShapeSource),
              `inputShapeSource: ${r.model.inputShapeSource}, expected symbolic or inferred (no input shape in the file)`);
            return;
          }
          const diffs = differences(r.model, g.torch);
          if (r.model.inputShapeSource !== g.inputShapeSource) diffs.unshift(`inputShapeSource: ${r.model.inputShapeSource}, expected ${g.inputShapeSource}`);
          assert.ok(diffs.length === 0, `${name} ${g.entry} differs from PyTorch:\n  ${diffs.join('\n  ')}`);
        });
      }
    });
  }
}
