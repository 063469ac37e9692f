// The worker parses an edited file from its previous parse (an edit inside one statement: that statement alone,
// `parse.ts`); its report must be the one a fresh analysis gives. Every PyTorch and Keras fixture, with a number
// typed over inside an indented line (a layer's size in __init__, a constant in forward), then changed back.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeSource } from '../../../engine/analyze';
import { withFreshParseCache } from '../../../engine/python/imports';
import { WorkerAnalysis } from '../../../extension/workerAnalysis';

const dirs = ['pytorch', 'keras'].map((d) => path.join(__dirname, '../../fixtures', d));

/** The text with the last digit of the first indented line that has one (outside comments) changed, or undefined. */
function typedOver(text: string): string | undefined {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^\s+[^\s#"'].*\d/.test(l) && !l.includes('#') && !/["']/.test(l));
  if (i < 0) return undefined;
  const at = lines[i].search(/\d(?!.*\d)/);
  lines[i] = `${lines[i].slice(0, at)}${(Number(lines[i][at]) + 1) % 10}${lines[i].slice(at + 1)}`;
  return lines.join('\n');
}

test('reports after an edit inside a statement equal fresh analyses, on every fixture', () => {
  let edited = 0;
  for (const dir of dirs) {
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.py')).sort()) {
      const original = fs.readFileSync(path.join(dir, name), 'utf8');
      const changed = typedOver(original);
      if (!changed) continue;
      edited++;
      const file = `/ws/${name}`;
      const worker = new WorkerAnalysis();
      worker.analyse({ file, content: original, options: { root: '/ws' }, updates: [], forget: [], disk: false });
      for (const text of [changed, original]) {
        const reply = worker.analyse({ file, content: text, options: { root: '/ws' }, updates: [], forget: [], disk: false });
        const fresh = withFreshParseCache(() => analyzeSource(file, text, { root: '/ws', host: { readFile: () => undefined } }));
        assert.deepStrictEqual(reply.report, fresh, name);
      }
    }
  }
  assert.ok(edited > 120, `${edited} fixtures edited`);
});
