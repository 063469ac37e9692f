// The panel's pure logic: the lecture's examples give the lecture's numbers through the scene the
// panel draws, img2col's matrix shapes, the announcement, editing (sizes, 1D/2D, operation), the
// value syntax, and playback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SlidingExplanation } from '../../../engine/explain/types';
import { sizesOf, withDims, withOp, withSizes, withView } from '../../../webview/animate/edit';
import { DEFAULT_EXAMPLE, EXAMPLES } from '../../../webview/animate/examples';
import { Player, type Timers } from '../../../webview/animate/player';
import { announcement, buildScene, frameArithmetic, matrixShapes } from '../../../webview/animate/scene';
import { formatChannels, formatFilters, normalise, parseInput, parseKernel } from '../../../webview/animate/values';

const example = (id: string) => {
  const e = EXAMPLES.find((x) => x.id === id);
  assert.ok(e, id);
  return e.params;
};
const sliding = (id: string): SlidingExplanation => {
  const s = buildScene(example(id));
  assert.equal(s.view, 'sliding');
  return s.e as SlidingExplanation;
};

test('the lecture\'s examples, number for number', () => {
  assert.equal(DEFAULT_EXAMPLE.id, '1d-valid');
  assert.deepEqual(sliding('1d-valid').output, [7, 8, 16, 14]);
  assert.deepEqual(sliding('1d-manual').output, [7, 8, 16, 14, 11]);
  assert.deepEqual(sliding('1d-same').output, [2, 7, 8, 16, 14, 11]);
  // stride 2: exact with padding 0,1 (windows 0, 2, 4 end on the last cell); inexact with 1,1 (position 7 unread).
  assert.deepEqual(sliding('1d-stride-exact').output, [7, 16, 11]);
  assert.deepEqual(sliding('1d-stride-exact').axes[0].tiling.neverRead, []);
  assert.deepEqual(sliding('1d-stride-inexact').output, [2, 8, 14]);
  assert.deepEqual(sliding('1d-stride-inexact').axes[0].tiling.neverRead, [7]);
  // dilation 2: taps 0, 2, 4 — 3×1 + 2×2 + 2×3 = 13, 3×0 + 2×2 + 2×1 = 6.
  assert.deepEqual(sliding('1d-dilation').output, [13, 6]);
  assert.deepEqual(sliding('2d-valid').output, [[2, 0, 2], [2, -1, 2], [3, -1, 0]]);
  assert.deepEqual(sliding('2d-filters').outputShape, [2, 3, 3]);
  // max of each 2×2 block of [[1,2,3,2],[2,3,2,5],[1,2,2,1],[0,2,1,2]]; the average of each.
  assert.deepEqual(sliding('2d-maxpool').output, [[3, 5], [2, 2]]);
  assert.deepEqual(sliding('2d-avgpool').output, [[2, 3], [1.25, 1.5]]);
  // two channels summed: the mirrored image through the ones kernel plus the image through the edge kernel.
  const mc = sliding('2d-channels');
  assert.deepEqual(mc.outputShape, [2, 3, 3]);
  assert.equal(mc.steps[0].arithmetic, 'y[0, 0, 0] = ((-1)×1 + 1×2 + (-1)×2 + 1×3) + (1×2 + 1×3 + 1×5 + 1×2) = 14');
});

test('img2col: X̂ is C·k_h·k_w × o_h·o_w, W is F × C·k_h·k_w, and column 3 is the fourth receptive field', () => {
  const s = buildScene(example('2d-img2col'));
  assert.equal(s.view, 'img2col');
  if (s.view !== 'img2col') return;
  assert.equal(matrixShapes(s.e).text, 'X̂ is 4 × 9 (C·k_h·k_w × o_h·o_w), W is 2 × 4 (F × C·k_h·k_w), Y = W·X̂ is 2 × 9 (F × o_h·o_w)');
  assert.equal(s.frames, 9);
  // Column 3 is the window at (1, 0): rows 1-2, columns 0-1 = 2, 3, 1, 2.
  assert.deepEqual(frameArithmetic(s, 3), ['Y[0, 3] = W[0, :]·X̂[:, 3] = (-1)×2 + 1×3 + (-1)×1 + 1×2 = 2', 'Y[1, 3] = W[1, :]·X̂[:, 3] = 1×2 + 1×3 + 1×1 + 1×2 = 8']);
});

test('backward of the 1D example: dX accumulates one addition per window (why addition?)', () => {
  const s = buildScene(example('1d-backward'));
  assert.equal(s.view, 'backward');
  if (s.view !== 'backward') return;
  // dY = ones: dx[t] = Σ of the weights that touched it: [3, 3+2, 3+2+2, 3+2+2, 2+2, 2].
  assert.deepEqual(s.e.dX, [[3, 5, 7, 7, 4, 2]]);
  assert.equal(s.e.sharedCells, 4);
  assert.equal(frameArithmetic(s, 1)[0], 'dx[1] += dx_hat[0, 1]: 2 + 3 = 5');
});

test('the announcement names the step and cuts long sums', () => {
  const s = buildScene(example('1d-valid'));
  assert.equal(announcement(s, 0), 'Step 1 of 4: y[0] = 3×1 + 2×0 + 2×2 = 7');
  // Two channels × a 2×2 kernel: 8 additions per column, 4 read out and the rest counted.
  const b = buildScene(withView(example('2d-channels'), 'backward'));
  const said = announcement(b, 0);
  assert.ok(said.startsWith('Column 1 of 9: dx[0, 0, 0] += dx_hat[0, 0]'), said);
  assert.equal(said.split('; ').length, 5);
  assert.ok(said.endsWith('; and 4 more'), said);
});

test('bad values give a clear error, not a crash', () => {
  assert.throws(() => buildScene({ ...example('1d-valid'), kernel: [[[1, 2, 3, 4, 5, 6, 7]]] }), /larger than the padded input/);
  assert.throws(() => parseInput('1, x, 3', 1), /input: "x" is not a number/);
  assert.throws(() => parseInput('1, 2\n3, 4', 1), /rows \(;\) given for a 1D operation/);
});

test('the value syntax: new lines are rows, "|" lines channels, "/" lines filters, and it round-trips', () => {
  assert.equal(normalise('1, 2\n3, 4\n|\n5, 6\n7, 8'), '1, 2;3, 4|5, 6;7, 8');
  const p = example('2d-channels');
  assert.deepEqual(parseInput(formatChannels(p.input), 2), p.input);
  assert.deepEqual(parseKernel(formatFilters(p.kernel), 2), p.kernel);
  assert.deepEqual(parseInput('1,0,2,2,3,1', 1), [[1, 0, 2, 2, 3, 1]]);
});

test('editing: sizes keep the values that fit, 1D/2D and operation switches stay explainable', () => {
  const p = example('1d-valid');
  const bigger = withSizes(p, { ...sizesOf(p), input: [8], channels: 2, filters: 2 });
  assert.deepEqual((bigger.input[0] as number[]).slice(0, 6), [1, 0, 2, 2, 3, 1]);
  assert.deepEqual([bigger.input.length, (bigger.input[0] as number[]).length, bigger.kernel.length, bigger.kernel[1].length], [2, 8, 2, 2]);
  assert.deepEqual(bigger.kernel[0][0], [3, 2, 2]);
  assert.deepEqual((buildScene(bigger).e as SlidingExplanation).outputShape, [2, 6]);

  const two = withDims(p, 2);
  assert.deepEqual((buildScene(two).e as SlidingExplanation).output, [[2, 0, 2], [2, -1, 2], [3, -1, 0]]);
  const pool = withOp(two, 'maxpool');
  assert.deepEqual([pool.kernelSize, pool.stride, pool.kernel], [[2, 2], [2, 2], []]);
  assert.deepEqual((buildScene(pool).e as SlidingExplanation).output, [[3, 5], [2, 2]]);
  assert.equal(withView(pool, 'img2col').view, 'sliding', 'pooling has no img2col');
  const back = withOp(pool, 'conv');
  assert.deepEqual([back.kernel.length, back.kernel[0].length, back.stride], [1, 1, [1, 1]]);
  assert.throws(() => withSizes(p, { ...sizesOf(p), input: [100000] }), /input: at most 64 per axis in the panel/);
  assert.throws(() => withSizes(p, { ...sizesOf(p), filters: 9 }), /filters: at most 8 in the panel/);
  const manual = withDims({ ...p, padding: { mode: 'manual', split: [[0, 1]] } }, 2);
  assert.deepEqual(manual.padding, { mode: 'manual', split: [[0, 1], [0, 1]] });
});

test('playback: play advances at the speed and stops at the end; stepping and seeking pause and clamp', () => {
  const pending = new Map<number, { f: () => void; ms: number }>();
  let handles = 0;
  const timers: Timers = { set: (f, ms) => pending.set(++handles, { f, ms }) && handles, clear: (h) => pending.delete(h as number) };
  const fire = () => {
    const [h, t] = [...pending.entries()][0];
    pending.delete(h);
    t.f();
    return t.ms;
  };
  let changes = 0;
  const player = new Player(() => changes++, timers);
  player.load(4, false);
  player.setSpeed(2);
  player.play();
  assert.equal(fire(), 500);
  assert.equal(player.index, 1);
  fire();
  fire();
  assert.equal(player.index, 3);
  fire();
  assert.equal(player.playing, false, 'stops at the last frame');
  player.play();
  assert.equal(player.index, 0, 'play at the end starts over');
  player.step(10);
  assert.deepEqual([player.index, player.playing], [3, false]);
  player.seek(-5);
  assert.equal(player.index, 0);
  player.load(2, true);
  assert.equal(player.index, 0);
  assert.ok(changes > 5);
});
