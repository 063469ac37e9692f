// `convlens train` on Keras models: the run trains (a Keras model was refused before Start), what is saved
// is Keras's weights (names `conv2d/kernel`, shapes (kh, kw, cin, cout), Dense (in, out)), a layer with
// trainable=False keeps its initial (seeded glorot_uniform) values bit for bit, and a layer the engine
// cannot train is named with its type and line before any work.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { runTrain } from '../../../engine/cli/train';
import { networkFor } from '../../../engine/train/graph/network-for';
import { initParams } from '../../../engine/train/init/init';
import { kerasLoadCode } from '../../../engine/train/save/load-code';
import { readSafetensors } from '../../../engine/train/save/safetensors';
import { Rng } from '../../../engine/train/tensor/rng';
import { tempDir } from '../temp-dir';

const capture = () => {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } };
};

const SOURCE = `import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(16, 16, 1)),
    layers.Conv2D(8, 3, padding="same", activation="relu", trainable=False),
    layers.BatchNormalization(),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
`;

test('convlens train trains a Keras Sequential and saves Keras weights; its trainable=False layer stays as it started', async () => {
  const dir = tempDir('convlens-keras-'), file = join(dir, 'k.py'), save = join(dir, 'k.safetensors');
  writeFileSync(file, SOURCE);
  const { out, io } = capture();
  const code = await runTrain([file, '--dataset', 'bars', '--limit', '400', '--epochs', '2', '--optimizer', 'adam', '--lr', '0.01', '--seed', '3', '--save', save, '--json'], io);
  assert.equal(code, 0, out.stderr);
  assert.match(out.stderr, /training 5,146 of 5,226 parameters \(80 frozen\)/);
  const r = JSON.parse(out.stdout) as { testAccuracy: number; trainableParams: number; frozenParams: number };
  assert.deepEqual([r.trainableParams, r.frozenParams], [5146, 80]);
  assert.ok(r.testAccuracy > 0.5, `synthetic bars (8 classes, chance 12.5 %) after two epochs: ${r.testAccuracy}`);
  const saved = readSafetensors(readFileSync(save));
  assert.deepEqual([...saved.keys()], ['conv2d/kernel', 'conv2d/bias', 'batch_normalization/gamma', 'batch_normalization/beta',
    'batch_normalization/moving_mean', 'batch_normalization/moving_variance', 'dense/kernel', 'dense/bias']);
  assert.deepEqual(saved.get('conv2d/kernel')!.shape, [3, 3, 1, 8]);
  assert.deepEqual(saved.get('dense/kernel')!.shape, [512, 10]);
  // the frozen kernel is the seeded glorot_uniform draw: bound √(6/(9 + 72))
  const net = networkFor(analyzeSource(file, SOURCE).models[0]);
  initParams(net.params, 'default', new Rng(3));
  const start = net.params.find((p) => p.name === 'conv2d/kernel')!.value;
  assert.deepEqual(Float32Array.from(saved.get('conv2d/kernel')!.data), start);
  const bound = Math.sqrt(6 / (9 + 72));
  assert.ok(start.every((v) => Math.abs(v) <= bound) && start.some((v) => Math.abs(v) > 0.8 * bound), 'glorot_uniform');
  assert.ok(saved.get('conv2d/bias')!.data.every((v) => v === 0), 'Keras biases start at zero');
  assert.ok(saved.get('batch_normalization/moving_mean')!.data.some((v) => v !== 0), 'the moving mean moved');
});

test('a Keras layer the engine cannot train is named with its type and line before training', async () => {
  const dir = tempDir('convlens-keras-'), file = join(dir, 'k.py');
  writeFileSync(file, SOURCE.replace('layers.MaxPooling2D(2),', 'layers.MaxPooling2D(2),\n    layers.LayerNormalization(),')
    .replace('layers.BatchNormalization(),', 'layers.BatchNormalization(axis=1),'));
  const { out, io } = capture();
  assert.equal(await runTrain([file, '--dataset', 'bars', '--limit', '100'], io), 1);
  assert.match(out.stderr, /cannot train this model:\n {2}BatchNormalization \(line 7\): BatchNormalization over axis 1 is not supported \(the channel axis, -1, is\)\n {2}LayerNormalization \(line 9\): the training engine has no Keras layer 'LayerNormalization'\n$/);
  assert.doesNotMatch(out.stderr, /images of/);
});

test('the code that loads a Keras run\'s weights assigns each Keras variable by its layer/weight name, channels-last statistics', () => {
  const code = kerasLoadCode({ model: 'model', file: 'models/mnist.py', weights: 'run/weights.safetensors', normalization: { mean: [0.1318], std: [0.3096] } });
  // run against real Keras 3.15.1 on the MNIST subset: the same test accuracy as the ConvLens run that saved them
  assert.equal(code, 'import numpy as np\nfrom safetensors.numpy import load_file\nfrom models.mnist import model as model\n\n'
    + 'weights = load_file("run/weights.safetensors")\nfor v in model.weights:\n    v.assign(weights["/".join(v.path.split("/")[-2:])])\n\n'
    + '# ConvLens trained on images scaled to [0, 1] and normalised per channel with these statistics:\n'
    + 'mean = np.array([0.1318]).reshape(1, 1, 1, -1)\nstd = np.array([0.3096]).reshape(1, 1, 1, -1)\n'
    + '# probabilities = model.predict((images - mean) / std)  # images: (N, H, W, C)\n');
});

test('a Keras model that rescales its own input is warned that the data pipeline already normalised it', async () => {
  const dir = tempDir('convlens-keras-'), file = join(dir, 'k.py');
  writeFileSync(file, SOURCE.replace('keras.Input(shape=(16, 16, 1)),', 'keras.Input(shape=(16, 16, 1)),\n    layers.Rescaling(1.0 / 255),'));
  const { out, io } = capture();
  assert.equal(await runTrain([file, '--dataset', 'bars', '--limit', '64', '--json'], io), 0, out.stderr);
  assert.match(out.stderr, /warning: the model's Rescaling \(line 6\) scales images that ConvLens already scaled to \[0, 1\] and normalised per channel/);
});
