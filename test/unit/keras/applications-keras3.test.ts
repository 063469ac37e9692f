// Every keras.applications model against real Keras 3.15.1 (test/fixtures/keras-applications: the calls,
// the oracle script and what it printed): parameters, trainable and non-trainable, the output shape, the
// model's name and its rows — how many, and their names in model.summary()'s order (as a SHA-256 of the list).
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';

interface Golden {
  call: string; name: string; totalParams: number; trainableParams: number; nonTrainableParams: number;
  outputShape: Array<number | null>; layers: number; firstLayers: string[]; lastLayers: string[]; namesSha256: string;
}
const { models } = JSON.parse(readFileSync(join(__dirname, '../../fixtures/keras-applications/golden.json'), 'utf8')) as { models: Golden[] };

test('the oracle covers all 40 models of the applications table', () => assert.equal(models.length, 40));

for (const g of models) {
  test(`keras.applications.${g.call} is what Keras 3.15.1 builds`, () => {
    const [m] = analyzeSource('/ws/app.py', `import keras\nmodel = keras.applications.${g.call}\n`).models;
    assert.deepEqual([m.totalParams, m.trainableParams, m.nonTrainableParams, m.paramsComplete],
      [g.totalParams, g.trainableParams, g.nonTrainableParams, true]);
    assert.deepEqual(m.outputShape, g.outputShape);
    assert.equal(m.name, g.name);
    const names = m.layers.map((r) => r.path);
    assert.equal(names.length, g.layers);
    assert.deepEqual([names.slice(0, 4), names.slice(-4)], [g.firstLayers, g.lastLayers]);
    assert.equal(createHash('sha256').update(names.join(' ')).digest('hex'), g.namesSha256, 'the row names in Keras\'s order');
  });
}
