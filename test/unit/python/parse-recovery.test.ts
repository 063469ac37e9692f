// Trees lezer recovered from broken code must cost the converter (parse.ts) about one read per node.
// The fuzzer found a real file where they did not: unbalanced parentheses in efficientnet.py made lezer
// nest comprehensions without `in` ~11 deep, each level re-read its children three times, and one file
// took 50 s and 4.8 million error entries. Bounded here by counts (nodes read, errors), not by time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parser } from '@lezer/python';
import { parseIncremental } from '../../../engine/python/parse';
import { analyzeSource } from '../../../engine/analyze';
import { MUTATIONS, rng, seedFiles } from '../../fuzz/mutate';

const EFFICIENTNET = fs.readFileSync(path.join(__dirname, '../../fixtures/zoo/torchvision/models/efficientnet.py'), 'utf8');

const treeNodes = (src: string): number => {
  let n = 0;
  parser.parse(src).iterate({ enter: () => { n++; } });
  return n;
};

/** Parses `src` and checks the work and the errors are bounded by the size of lezer's tree. */
const assertLinear = (src: string, what: string) => {
  const { module, work } = parseIncremental(src);
  const nodes = treeNodes(src);
  assert.ok(work <= 2 * nodes, `${what}: ${work} node reads for ${nodes} nodes`);
  assert.ok(module.errors.length <= Math.min(nodes, 1000), `${what}: ${module.errors.length} errors`);
  assert.equal(new Set(module.errors.map((e) => `${e.from}:${e.to}:${e.message}`)).size, module.errors.length, `${what}: repeated errors`);
  return module;
};

test('unbalanced parentheses in efficientnet.py (the fuzzer\'s hang): each tree node is read about once', () => {
  const lines = EFFICIENTNET.split('\n');
  const partials = lines.flatMap((l, i) => (l.includes('norm_layer=partial(') ? [i] : []));
  assert.ok(partials.length >= 2);
  for (const n of [1, 50, 176, 300]) {
    const damaged = lines.slice();
    // the mutant that hung: a line deleted, two runs of parentheses before `nn.BatchNorm2d`
    for (const i of partials.slice(-2)) damaged[i] = damaged[i].replace('partial(', `partial(${'('.repeat(n)}`);
    damaged.splice(partials[0] - 3, 1);
    const module = assertLinear(damaged.join('\n'), `${n} parentheses`);
    assert.ok(module.errors.length > 0);
  }
});

test('bracket-damaged real model files: converter work stays linear in the tree', () => {
  const files = seedFiles();
  for (let seed = 1; seed <= 60; seed++) {
    const r = rng(seed);
    const file = files[Math.floor(r() * files.length)];
    let lines = file.source.split('\n');
    for (let k = 0; k < 3; k++) lines = MUTATIONS[r() < 0.7 ? 'repeatBracket' : 'deleteToken'](lines, r);
    assertLinear(lines.join('\n'), `seed ${seed} (${file.name})`);
  }
});

test('a clause without its keyword reads nothing twice: the missing side is unknown', () => {
  const value = (src: string) => {
    const s = assertLinear(src, src).body[0];
    return s.t === 'assign' ? s.value : s;
  };
  const comp = value('z = [a for a b]\n');
  assert.ok(comp.t === 'comp' && comp.clauses[0].kind === 'for');
  assert.ok(comp.clauses[0].kind === 'for' && comp.clauses[0].target.t === 'name' && comp.clauses[0].iter.t === 'unknown');
  const loop = value('for x y:\n    pass\n');
  assert.ok(loop.t === 'for' && loop.target.t === 'name' && loop.iter.t === 'unknown');
  const dict = value('z = {1: 2, 3}\n');
  const entry = dict.t === 'dict' ? dict.items[1] : undefined;
  assert.ok(entry && 'k' in entry && entry.k.t === 'num' && entry.v.t === 'unknown');
  assert.equal(value('z = a if b\n').t, 'unknown');
  assert.equal(value('z = lambda x\n').t, 'unknown');
});

test('a file of syntax errors keeps the first 1,000 and analyses the rest', () => {
  const src = `${'x = 1 2\n'.repeat(3000)}import torch.nn as nn\nm = nn.Linear(4, 2)\n`;
  assert.equal(parseIncremental(src).module.errors.length, 1000);
  const r = analyzeSource('/ws/m.py', src, { input: [1, 4] });
  assert.deepEqual(r.models.map((m) => m.outputShape), [[1, 2]]);
  assert.ok(r.diagnostics.some((d) => d.code === 'syntax-error' && d.line === 1));
});
