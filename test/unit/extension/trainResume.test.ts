// Whether the training panel offers to resume a saved run, and what it says about an interrupted
// one: only an interrupted run of the session's own model and file, with a resume state, resumes;
// a file edited only around the model (lines moved) is not a changed model, a swapped layer is.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { defaultSettings } from '../../../extension/trainDefaults';
import { interruptedNote, modelChanged, resumeBlocker } from '../../../extension/trainResume';
import type { SavedRun } from '../../../extension/trainRuns';

const source = readFileSync('examples/lenet_mnist.py', 'utf8');
const lenet = analyzeSource('lenet_mnist.py', source, {}).models[0];
const spec = (m = lenet) => ({ name: m.name, graph: m.graph, parameters: m.parameters });
const epoch = (e: number) => ({ epoch: e, step: 10 * e, trainLoss: 1, trainAccuracy: 0.5, valLoss: 1 / e, valAccuracy: 0.5, seconds: 1 });

const run = (status: SavedRun['metrics']['status'], bestEpoch: number | null = 2, done = 3): SavedRun => ({
  config: {
    id: 'r1', created: '2026-12-05T00:00:00Z', model: { ...spec(), file: 'lenet_mnist.py', line: lenet.line },
    data: { kind: 'bars', label: 'bars', limit: 300, spec: { kind: 'bars', limit: 300, seed: 1 } }, settings: { ...defaultSettings(lenet), epochs: 10 },
  },
  metrics: { status, seconds: 4, data: null, batches: [], epochs: Array.from({ length: done }, (_, i) => epoch(i + 1)), bestEpoch, normalization: null, result: null },
});
const here = { model: 'LeNet', file: 'lenet_mnist.py' };

test('only an interrupted run of this model and file, with a resume state, can be resumed; otherwise the reason is named', () => {
  assert.equal(resumeBlocker(run('interrupted'), here, true), undefined);
  assert.match(resumeBlocker(run('completed'), here, true)!, /r1 completed: only an interrupted run resumes/);
  assert.match(resumeBlocker(run('stopped'), here, true)!, /was stopped/);
  assert.match(resumeBlocker(run('interrupted'), { model: 'Net', file: 'lenet_mnist.py' }, true)!, /trained LeNet of lenet_mnist\.py: resume it from that model's training panel/);
  assert.match(resumeBlocker(run('interrupted'), { model: 'LeNet', file: 'other.py' }, true)!, /that model's training panel/);
  assert.match(resumeBlocker(run('interrupted'), here, false)!, /no state to resume from/);
  const old = run('interrupted');
  delete old.config.data.spec;
  assert.match(resumeBlocker(old, here, true)!, /no state to resume from/);
});

test('the model changed: not for lines moved by an edit above it, yes for a layer swapped', () => {
  const moved = analyzeSource('lenet_mnist.py', `# a comment\n\n${source}`, {}).models[0];
  assert.notEqual(moved.line, lenet.line);
  assert.equal(modelChanged(spec(), spec(moved)), false);
  const swapped = analyzeSource('lenet_mnist.py', source.replace(/F\.relu\(/, 'torch.tanh('), {}).models[0];
  assert.notEqual(source.replace(/F\.relu\(/, 'torch.tanh('), source, 'the example calls F.relu');
  assert.equal(modelChanged(spec(), spec(swapped)), true);
});

test('an interrupted run says the epoch it reached of how many, and which epoch its weights are', () => {
  assert.match(interruptedNote(run('interrupted', 2, 3)), /^Interrupted at epoch 3 of 10 .*weights are those of epoch 2 \(the best so far\)$/);
  assert.match(interruptedNote(run('interrupted', 3, 3)), /epoch 3 of 10 .*those of epoch 3$/);
  assert.match(interruptedNote(run('interrupted', null, 1)), /epoch 1 of 10 .*it saved no weights$/);
});
