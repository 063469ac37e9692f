// What a forward returns beside its first tensor. Truth from torch 1.13: Spectral (fixture 138) at (2, 8, 8, 3)
// returns a (2, 8, 8, 1) tensor, a 0-d tensor and the int 4; TwoHeads (fixture 137) an Output namedtuple of
// (2, 5), (2, 8, 8, 8) and (2, 2).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';
import { unmodelledNote } from '../../../engine/report/format';
import { FIXTURES } from '../golden/golden';

const DIR = join(FIXTURES, 'pytorch');
const model = (file: string, input: number[], edit = (s: string) => s) => {
  const source = edit(readFileSync(join(DIR, file), 'utf8'));
  const m = analyzeSource(join(DIR, file), source, { root: DIR, input }).models[0];
  assert.ok(m, file);
  return m;
};

test('an int returned beside the tensors is not an output of unknown shape', () => {
  const m = model('138_fourier_and_repeats.py', [2, 8, 8, 3]);
  assert.deepEqual(m.outputShapes, [[2, 8, 8, 1], []]);
  assert.equal(m.complete, true);
});

test('a namedtuple\'s items are the outputs, each with its own shape', () => {
  const m = model('137_named_tuple_outputs.py', [2, 3, 8, 8]);
  assert.deepEqual(m.outputShapes, [[2, 5], [2, 8, 8, 8], [2, 2]]);
});

test('an output of unknown shape: the totals are lower bounds that name it, and say the pass did not stop', () => {
  const m = model('138_fourier_and_repeats.py', [2, 8, 8, 3], (s) => s.replace('return y, along.mean()', 'return y, torch.fft.hfft3(x), along.mean()'));
  assert.equal(m.complete, false);
  assert.deepEqual(m.outputShapes?.slice(0, 2), [[2, 8, 8, 1], null]);
  assert.match(unmodelledNote(m) ?? '', /torch\.fft\.hfft3/);
  // with nothing else to blame (an unknown value that no unmodelled call made)
  const bare = { ...m, unmodelled: [] };
  assert.equal(unmodelledNote(bare), '≥: the shape of output 2 of 3 is not known');
});

test('nonzero: the count of its rows is set by the values, so that dimension is unknown (?), the rank is not', () => {
  const m = model('140_more_tensor_ops.py', [2, 4, 6], (s) => s.replace('return x * total * wider', 'return x * total * wider, torch.nonzero(mask)'));
  assert.deepEqual(m.outputShapes, [[2, 4, 6], [null, 3]]);
});
