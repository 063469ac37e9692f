// What each statement of forward() produces (the editor's per-line hints) against real PyTorch:
// test/fixtures/statement_reference.py ran every PyTorch fixture with its functions instrumented
// and wrote NN_name.statements.json. Every statement either side must be on the other, with the
// same targets, shapes, first-run shapes and number of runs. A fixture whose forward pass raises in
// PyTorch ("raised") holds what ran before the error: there the engine's statements that ran after
// the error it found must say so (afterError), and only those may differ from PyTorch's.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import type { StatementRecord } from '../../../engine/report/types';
import { analyzeEntry, FIXTURES, readGolden } from './golden';

interface TorchStatement {
  line: number;
  col: number;
  iterations: number;
  targets: Array<{ name: string; shapes: number[][]; keys?: string[]; firstShapes?: number[][] }>;
}

interface StatementsGolden {
  entries: Array<{ entry: string; input: number[]; raised?: string; statements: TorchStatement[] }>;
}

const DIR = join(FIXTURES, 'pytorch');
const files = readdirSync(DIR).filter((f) => /^\d+_\w+\.statements\.json$/.test(f)).sort();

/** The engine's record in the oracle's form, for a readable diff. */
const asTorch = (s: StatementRecord): TorchStatement => ({
  line: s.range.line,
  col: s.range.col,
  iterations: s.iterations,
  targets: s.targets.map((t) => ({ name: t.name, shapes: t.shapes as number[][], ...(t.keys ? { keys: t.keys } : {}), ...(t.firstShapes ? { firstShapes: t.firstShapes as number[][] } : {}) })),
});

const key = (s: TorchStatement): string => `${s.line}:${s.col}`;

function statementDifferences(engine: StatementRecord[], torch: TorchStatement[]): string[] {
  const ours = new Map(engine.map((s) => [key(asTorch(s)), asTorch(s)]));
  // after an error PyTorch stops: what the engine carried on with is marked, and not compared
  for (const s of engine) {
    if (!s.afterError) continue;
    ours.delete(key(asTorch(s)));
    torch = torch.filter((t) => key(t) !== key(asTorch(s)));
  }
  const diffs: string[] = [];
  for (const t of torch) {
    const o = ours.get(key(t));
    ours.delete(key(t));
    if (!o) diffs.push(`line ${t.line}: PyTorch binds ${JSON.stringify(t.targets)}, the engine records nothing`);
    else if (JSON.stringify(o) !== JSON.stringify(t)) diffs.push(`line ${t.line}: engine ${JSON.stringify(o)}\n    PyTorch ${JSON.stringify(t)}`);
  }
  for (const o of ours.values()) diffs.push(`line ${o.line}: the engine records ${JSON.stringify(o.targets)}, PyTorch binds no tensor there`);
  return diffs;
}

test('statement goldens exist for the PyTorch fixtures', () => assert.ok(files.length >= 50, `only ${files.length} *.statements.json`));

for (const f of files) {
  const name = f.replace(/\.statements\.json$/, '.py');
  const source = readFileSync(join(DIR, name), 'utf8');
  describe(name, () => {
    for (const g of readGolden<StatementsGolden>(join(DIR, f)).entries) {
      test(`${g.entry}: each statement's shapes as PyTorch binds them`, () => {
        const r = analyzeEntry(join(DIR, name), source, g.entry, g.input, DIR);
        if (!r.ok) assert.fail(r.message);
        const diffs = statementDifferences(r.model.statements, g.statements);
        assert.ok(diffs.length === 0, `${name} ${g.entry}:\n  ${diffs.join('\n  ')}`);
        const marked = r.model.statements.filter((s) => s.afterError);
        if (g.raised) {
          assert.ok(marked.length > 0, `PyTorch raised (${g.raised}); the engine marks no statement as after its error`);
          const errors = r.model.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line);
          assert.ok(marked.every((s) => errors.includes(s.afterError!.line)), 'afterError names a line with an error');
        } else assert.deepEqual(marked.map((s) => s.range.line), [], 'PyTorch ran the forward pass without an error');
      });
    }
  });
}
