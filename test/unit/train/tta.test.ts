// The test-time augmentation rule: TTA replays only what a run trained with, is off for a run
// without augmentation, follows the augmentation boxes in the panel, and explains itself in one line.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { estimateSeconds } from '../../../engine/train/loop/estimate';
import { ttaAfter, ttaNote, ttaViewCount } from '../../../engine/train/loop/tta';
import { defaultSettings } from '../../../extension/trainDefaults';

const none = { crop: false, flip: false }, crop = { crop: true, flip: false }, flip = { crop: false, flip: true }, both = { crop: true, flip: true };

test('TTA averages the views of what the run trained with: 5 crops, 2 flips, 10 with both; none without augmentation', () => {
  assert.deepEqual([none, crop, flip, both].map((a) => ttaViewCount(true, a)), [0, 5, 2, 10]);
  assert.deepEqual([none, crop, flip, both].map((a) => ttaViewCount(false, a)), [0, 0, 0, 0]);
});

test('the TTA box follows augmentation: on when a run starts augmenting, off without any, the user\'s choice in between', () => {
  assert.equal(ttaAfter({ ...none, tta: false }, crop), true);
  assert.equal(ttaAfter({ ...crop, tta: true }, none), false);
  assert.equal(ttaAfter({ ...crop, tta: false }, both), false, 'a box the user unticked stays unticked');
  assert.equal(ttaAfter({ ...both, tta: true }, flip), true);
  assert.equal(ttaAfter({ ...none, tta: true }, none), false, 'never on without augmentation');
});

test('the bundled examples start without augmentation, so without TTA, and the panel says why', () => {
  for (const file of ['examples/lenet_mnist.py', 'examples/resnet_cifar.py']) {
    const s = defaultSettings(analyzeSource(file, readFileSync(file, 'utf8'), {}).models[0]);
    assert.deepEqual([s.crop, s.flip, s.tta], [false, false, false], file);
    assert.equal(ttaViewCount(s.tta, s), 0);
    assert.match(ttaNote(s), /^Test-time augmentation is off: .* trains with none\.$/);
  }
});

test('the note names only the views the run trained with, in one line', () => {
  const notes = [crop, flip, both].map((a) => ttaNote({ ...a, tta: true }));
  assert.match(notes[0], /averages 5 views, the 4 corner crops and the centre:/);
  assert.ok(!/mirror/.test(notes[0]), 'no flips for a run trained without flips');
  assert.match(notes[1], /averages 2 views, each image and its mirror image:/);
  assert.ok(!/crop/.test(notes[1]), 'no crops without random crop');
  assert.match(notes[2], /averages 10 views, .*crops.*mirrored/);
  assert.match(ttaNote({ ...crop, tta: false }), /is off \(on, it would average 5 views/);
  for (const n of notes) assert.ok(!n.includes('\n'));
});

test('the time estimate counts the TTA views: ten more passes over the test images with crops and flips', () => {
  const macs = 1e6, plain = estimateSeconds(macs, 0, 1000, 1, 0);
  assert.equal(estimateSeconds(macs, 0, 1000, 1, ttaViewCount(true, both)), 11 * plain);
  assert.equal(estimateSeconds(macs, 0, 1000, 1, ttaViewCount(true, flip)), 3 * plain);
});
