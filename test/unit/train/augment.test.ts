// Keras's random augmentation layers (RandomFlip, RandomRotation, RandomZoom, RandomTranslation) against Keras 3:
// augment.json holds, per case, the transform Keras drew for each sample of a batch as the uniform draws that give
// it, the output of that transform and the input gradient. The engine's layer, fed the same draws, must give
// both; in evaluation it passes the image through; what it cannot do is refused by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildKerasNetwork } from '../../../engine/train/graph/build-keras';
import { UnsupportedModel } from '../../../engine/train/graph/build';
import { kerasAugmentation } from '../../../engine/train/layers/augment';
import type { Rng } from '../../../engine/train/tensor/rng';
import { Rng as SeededRng } from '../../../engine/train/tensor/rng';
import { assertClose, fixture, inputNode, relayout, type FixtureTensor } from './helpers';

interface AugmentCase {
  name: string;
  type: string;
  config: Record<string, unknown>;
  draws: number[][];
  input: FixtureTensor;
  output: FixtureTensor;
  dy: FixtureTensor;
  inputGrad: FixtureTensor;
}

const { cases } = fixture<{ cases: AugmentCase[] }>('augment.json');

/** An Rng that hands out the given draws in order, and fails when asked for more. */
function replay(draws: number[]): Rng {
  let i = 0;
  return { uniform: () => { assert.ok(i < draws.length, 'the layer drew more than Keras did'); return draws[i++]; } } as unknown as Rng;
}

const engine = (t: FixtureTensor) => relayout(t.shape, Float32Array.from(t.data), true);

test('the fixture covers every augmentation layer the engine trains', () => {
  assert.deepEqual([...new Set(cases.map((c) => c.type))].sort(), ['RandomFlip', 'RandomRotation', 'RandomTranslation', 'RandomZoom']);
});

for (const c of cases) {
  test(`Keras ${c.type} (${c.name}): Keras's transform gives Keras's output and input gradient`, () => {
    const layer = kerasAugmentation(c.type, c.config);
    const draws = c.draws.flat();
    const y = layer.forward([engine(c.input)], { training: true, rng: replay(draws) });
    assertClose(relayout(y.shape, y.data, false).data, c.output.data, 1e-4, 'output');
    const [dx] = layer.backward(engine(c.dy), [true]);
    assertClose(relayout(dx!.shape, dx!.data, false).data, c.inputGrad.data, 1e-4, 'input gradient');
  });
}

test('in evaluation an augmentation layer passes the image through and draws nothing', () => {
  const c = cases[0], x = engine(c.input);
  for (const k of cases) {
    const y = kerasAugmentation(k.type, k.config).forward([x], { training: false, rng: replay([]) });
    assert.equal(y, x, k.name);
  }
});

test('an augmentation layer ConvLens cannot follow is refused with its type and line before a run', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['RandomRotation', { factor: null }], ['RandomZoom', { height_factor: 0.2, fill_mode: 'mirror' }],
    ['RandomTranslation', { height_factor: 0.1, width_factor: 0.1, interpolation: 'bicubic' }], ['RandomFlip', { mode: 'diagonal' }],
    ['RandomContrast', { factor: 0.2 }],
  ];
  for (const [type, config] of bad) {
    const graph = [inputNode([null, 8, 8, 1]), { id: 1, kind: 'module' as const, type, path: 'aug', config, inputs: [0], outputShape: [null, 8, 8, 1], line: 4 }];
    assert.throws(() => buildKerasNetwork({ graph, parameters: [] }), (e: unknown) => e instanceof UnsupportedModel
      && e.problems.length === 1 && e.problems[0].type === type && e.problems[0].line === 4, type);
  }
});

test("each sample gets its own transform from the run's seeded generator", () => {
  const c = cases.find((k) => k.type === 'RandomRotation')!, x = engine(c.input);
  const layer = kerasAugmentation(c.type, c.config);
  const a = Float32Array.from(layer.forward([x], { training: true, rng: new SeededRng(3) }).data);
  const b = layer.forward([x], { training: true, rng: new SeededRng(3) }).data;
  assert.deepEqual(Array.from(a), Array.from(b), 'the same seed gives the same transforms');
  const plane = x.data.length / x.shape[0];
  const moved = (s: number) => a.slice(s * plane, (s + 1) * plane).some((v, i) => Math.abs(v - x.data[s * plane + i]) > 1e-6);
  assert.ok([0, 1, 2, 3].every(moved), 'every sample is transformed');
});
