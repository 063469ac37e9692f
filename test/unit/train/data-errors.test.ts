// Bad training data ends in a message that names the file and the reason (never an internal
// error), and what the loader or the run does silently becomes a warning: images converted in size
// or channels, one class, a model with 0 trainable parameters, a diverged loss.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import { loadDataDir, loadIdxFiles } from '../../../engine/cli/train-data';
import { analyzeSource } from '../../../engine/analyze';
import { buildNetwork } from '../../../engine/train/graph/build';
import { networkFor, trainingNetworkFor } from '../../../engine/train/graph/network-for';
import { TrainError } from '../../../engine/train/layers/layer';
import { train } from '../../../engine/train/loop/train';
import { trainWarnings } from '../../../engine/train/loop/warnings';
import { inputNode } from './helpers';
import { tempDir } from '../temp-dir';

const png = (w: number, h: number, channels: 1 | 3, v = 100): Uint8Array =>
  encodePng({ width: w, height: h, channels, depth: 8, data: new Uint8Array(w * h * channels).fill(v) });

/** A folder of class sub-folders, two images each, plus what `extra` adds. */
function imageFolder(classes: string[], extra: (dir: string) => void = () => undefined): string {
  const dir = tempDir('convlens-data-');
  for (const c of classes) {
    mkdirSync(join(dir, c));
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, c, `${i}.png`), png(8, 8, 1, 40 * i));
  }
  extra(dir);
  return dir;
}

const fails = (fn: () => unknown, message: RegExp): void =>
  assert.throws(fn, (e: unknown) => e instanceof TrainError && message.test(e.message));

const smallNet = (classes: number) => buildNetwork({
  parameters: [],
  graph: [
    inputNode(['N', 1, 8, 8]),
    { id: 1, kind: 'module', type: 'Flatten', path: 'flat', config: {}, inputs: [0], outputShape: null, line: 2 },
    { id: 2, kind: 'module', type: 'Linear', path: 'fc', config: { in_features: 64, out_features: classes, bias: true }, inputs: [1], outputShape: null, line: 3 },
  ],
});

test('an empty, a non-image and a truncated .png or .jpg is named with the reason', () => {
  const cases: Array<[string, Uint8Array | string, RegExp]> = [
    ['empty.png', '', /empty\.png: an empty file, not an image/],
    ['text.png', 'hello, not a picture', /text\.png: not a readable PNG image/],
    ['cut.png', png(8, 8, 1).subarray(0, 40), /cut\.png: not a readable PNG image/],
    ['text.jpg', 'GIF89a and more', /text\.jpg: not a readable JPEG image/],
    ['empty.jpeg', '', /empty\.jpeg: an empty file/],
  ];
  for (const [name, bytes, message] of cases) {
    const dir = imageFolder(['a', 'b'], (d) => writeFileSync(join(d, 'b', name), bytes));
    fails(() => loadDataDir(dir, 0), message);
  }
});

test('a dangling symbolic link in an image folder is named as such', () => {
  const dir = imageFolder(['a', 'b'], (d) => symlinkSync(join(d, 'gone.png'), join(d, 'a', 'link.png')));
  fails(() => loadDataDir(dir, 0), /a[\\/]link\.png: a broken symbolic link/);
  // a broken link where a class folder could be is not a class
  const dir2 = imageFolder(['a', 'b'], (d) => symlinkSync(join(d, 'nowhere'), join(d, 'c')));
  assert.deepEqual(loadDataDir(dir2, 0).train.classNames, ['a', 'b']);
});

test('a gzip IDX file with damaged or wrong content is named with the reason', () => {
  const dir = tempDir('convlens-idx-');
  const labels = gzipSync(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 0, 1]));
  const images = gzipSync(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, ...new Array(8).fill(9)]));
  const lab = join(dir, 'train-labels-idx1-ubyte.gz'), img = join(dir, 'train-images-idx3-ubyte.gz');
  writeFileSync(lab, labels);
  const damaged = Uint8Array.from(images);
  damaged.fill(0x55, 12, damaged.length - 8);
  writeFileSync(img, damaged);
  fails(() => loadIdxFiles([img, lab], dir), /train-images-idx3-ubyte\.gz: a damaged gzip file/);
  writeFileSync(img, gzipSync(Buffer.from('not idx at all')));
  fails(() => loadIdxFiles([img, lab], dir), /train-images-idx3-ubyte\.gz is not an IDX file/);
  writeFileSync(img, images);
  writeFileSync(lab, gzipSync(Uint8Array.from([0, 0, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 1, 255, 255, 255, 255])));
  fails(() => loadIdxFiles([img, lab], dir), /label 1 is -1; labels are class numbers/);
  writeFileSync(lab, labels);
  assert.equal(loadIdxFiles([img, lab], dir).train.n, 2);
});

test('zero images: the message says so and does not blame the validation split', async () => {
  fails(() => loadDataDir(imageFolder([], (d) => { mkdirSync(join(d, 'a')); writeFileSync(join(d, 'a', 'notes.txt'), 'x'); }), 0),
    /the class folders \(a\) hold no PNG or JPEG images/);
  const dir = tempDir('convlens-idx0-');
  const img = join(dir, 'train-images-idx3-ubyte'), lab = join(dir, 'train-labels-idx1-ubyte');
  writeFileSync(img, Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 8]));
  writeFileSync(lab, Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 0]));
  await assert.rejects(train(smallNet(2), loadIdxFiles([img, lab], dir), { epochs: 1, batchSize: 2, optimizer: { name: 'sgd', lr: 0.1 }, init: 'default', seed: 1, valSplit: 0.2 }),
    (e: Error) => /the training data holds no images/.test(e.message) && !/validation/.test(e.message));
});

test('images of another size or channel count are converted and counted in a warning', () => {
  const dir = imageFolder(['a', 'b'], (d) => {
    writeFileSync(join(d, 'a', 'big.png'), png(16, 12, 1));
    writeFileSync(join(d, 'b', 'rgb.png'), png(8, 8, 3));
    writeFileSync(join(d, 'b', 'rgb-big.png'), png(10, 10, 3));
  });
  const s = loadDataDir(dir, 0);
  assert.deepEqual(s.train.shape, [1, 8, 8]);
  assert.deepEqual(s.warnings, [
    `2 of the 9 images in ${dir} were resized to 8×8 (the first image's size)`,
    `2 of the 9 images in ${dir} were converted to greyscale`,
  ]);
  assert.deepEqual(loadDataDir(imageFolder(['a', 'b']), 0).warnings, []);
});

test('one class and 0 trainable parameters are warned about', () => {
  const one = loadDataDir(imageFolder(['only']), 0);
  assert.deepEqual(trainWarnings(smallNet(2), one), ['the training data has one class only (only): any model scores 100 % on it, and learns nothing']);
  const none = buildNetwork({ parameters: [], graph: [inputNode(['N', 1, 8, 8]), { id: 1, kind: 'module', type: 'Flatten', path: 'flat', config: {}, inputs: [0], outputShape: null, line: 2 }] });
  assert.deepEqual(trainWarnings(none, loadDataDir(imageFolder(['a', 'b']), 0)), ['the model has 0 trainable parameters: training cannot change it']);
  assert.deepEqual(trainWarnings(smallNet(2), loadDataDir(imageFolder(['a', 'b']), 0)), []);
});

test('a forward that returns several tensors is told which one trains', () => {
  const data = loadDataDir(imageFolder(['a', 'b']), 0);
  assert.deepEqual(trainWarnings(smallNet(2), data, undefined, { outputShapes: [[null, 2], [null, 500]] }),
    ['the model returns 2 tensors, (N, 2), (N, 500): training takes the first as the class scores (so does the exported script)']);
  assert.deepEqual(trainWarnings(smallNet(2), data, undefined, {}), []);
});

test("a run too short for Keras BatchNormalization's running statistics (momentum 0.99) is warned about, a long one is not", () => {
  const src = `import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 1))
x = layers.Conv2D(4, 3)(inputs)
x = layers.BatchNormalization()(x)
outputs = layers.Dense(2)(layers.Flatten()(x))
model = keras.Model(inputs, outputs)
`;
  const net = networkFor(analyzeSource('/tmp/keras_bn.py', src).models[0]), data = loadDataDir(imageFolder(['a', 'b']), 0);
  const stale = (steps: number) => trainWarnings(net, data, steps).filter((w) => /running statistics/.test(w));
  // 0.99^94 = 0.389: Keras's own run tests as badly
  assert.deepEqual(stale(94), ['the running statistics of the BatchNorm layer (line 6: each batch weighs 0.01) keep 39 % of their '
    + "starting values after this run's 94 batches, and evaluation and testing normalise with them: the test accuracy can be far "
    + 'below the training accuracy, as in Keras (about 299 batches leave less than 5 %)']);
  assert.deepEqual(stale(299), []);
  assert.deepEqual(stale(0), []);
});

test('a loss that diverges after a good epoch stops the run and keeps the weights of that epoch', async () => {
  const data = loadDataDir(imageFolder(['a', 'b']), 0);
  const net = smallNet(2);
  let kept: Float32Array[] = [];
  const r = await train(net, data, {
    epochs: 3, batchSize: 2, optimizer: { name: 'adam', lr: 0.01 }, init: 'default', seed: 1, valSplit: 0,
    // after epoch 1, the weights blow up as they would at a huge learning rate
    onEpoch: (m) => { if (m.epoch === 1) { kept = net.snapshot(); net.params[0].value.fill(1e30, 0, 64).fill(-1e30, 64); } },
  });
  assert.match(r.diverged ?? '', /^the loss became (infinite|NaN|[\d.e+]+ \(diverged\)) at step \d+ \(epoch 2, batch 1\).*training stopped and kept the weights of epoch 1$/);
  assert.equal(r.epochs.length, 1);
  assert.equal(r.bestEpoch, 1);
  assert.deepEqual(net.snapshot(), kept);
  assert.ok(r.testAccuracy !== null);
});

test('Adam at a huge learning rate is stopped with a message, not trained to chance level', async () => {
  const data = loadDataDir(imageFolder(['a', 'b', 'c']), 0);
  await assert.rejects(train(smallNet(3), data, { epochs: 5, batchSize: 1, optimizer: { name: 'adam', lr: 1e6 }, init: 'default', seed: 1, valSplit: 0 }),
    /the loss became .* at step \d+ \(epoch 1, batch \d+\): lower the learning rate \(now 1000000\)/);
});

test("a model whose output is not class scores is refused before training, as PyTorch's cross_entropy refuses its first batch", () => {
  // torch 1.13 on a DCGAN generator's (N, 3, 64, 64) or a discriminator's (N,) with (N,) labels: RuntimeError
  const net = (body: string) => analyzeSource('/t/g.py', `import torch.nn as nn
# convlens: input=(1, 4, 1, 1)
class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose2d(4, 3, 4, 1, 0)
    def forward(self, x):
        return ${body}
`).models[0];
  assert.throws(() => trainingNetworkFor(net('self.up(x)')), /the model's output is \(N, 3, 4, 4\): training fits class scores, \(N, classes\)/);
  assert.throws(() => trainingNetworkFor(net('self.up(x).view(-1, 1).squeeze(1)')), /the model's output is \(N\)/);
  assert.doesNotThrow(() => trainingNetworkFor(net('self.up(x).flatten(1)')));
});
