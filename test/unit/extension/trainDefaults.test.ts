// The training panel's starting point for the bundled examples: data that suits the input, a data
// size that trains in about half a minute, and what stops a model from training, in words.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { estimateSeconds } from '../../../engine/train/loop/estimate';
import { defaultSettings, modelInfo } from '../../../extension/trainDefaults';

const model = (file: string, source = readFileSync(file, 'utf8')) => analyzeSource(file, source, {}).models[0];

test('LeNet starts on the MNIST subset, ResNet-CIFAR on synthetic shapes, in about half a minute (under one for ResNet-CIFAR)', () => {
  const lenet = model('examples/lenet_mnist.py'), resnet = model('examples/resnet_cifar.py');
  const a = defaultSettings(lenet), b = defaultSettings(resnet);
  assert.equal(a.dataset, 'mnist');
  assert.equal(b.dataset, 'shapes');
  assert.equal(a.flip || a.crop, false, 'flips would change what digits mean');
  assert.ok(a.limit >= 1000, `LeNet is small: ${a.limit} images`);
  assert.ok(b.limit < a.limit, 'the bigger model gets fewer images');
  const train = (s: typeof a, macs: number) => estimateSeconds(macs, s.limit, 0, s.epochs, 0);
  assert.ok(train(a, lenet.macs) <= 31 && train(b, resnet.macs) <= 61, `${train(a, lenet.macs)} s, ${train(b, resnet.macs)} s`);
});

test('a model with errors or an unknown input says so instead of offering Start', () => {
  const broken = modelInfo(model('examples/broken_linear.py'), 'broken_linear.py');
  assert.match(broken.blocker ?? '', /errors to fix first: line \d+/);
  const symbolic = model('net.py', 'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 8, 3)\n    def forward(self, x):\n        return self.conv(x)\n');
  assert.match(modelInfo(symbolic, 'net.py').blocker ?? '', /input shape .* is not known: add a comment such as # convlens: input=/);
  const lenet = modelInfo(model('examples/lenet_mnist.py'), 'examples/lenet_mnist.py');
  assert.deepEqual({ blocker: lenet.blocker, input: lenet.input, params: lenet.params }, { blocker: undefined, input: '(N, 1, 28, 28)', params: 61706 });
  // a Keras model (here with a frozen layer) trains: no blocker, its channels-last input as Keras prints it
  const keras = model('k.py', 'from tensorflow import keras\nfrom tensorflow.keras import layers\n'
    + 'model = keras.Sequential([keras.Input(shape=(16, 16, 3)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(2)])\n'
    + 'model.layers[0].trainable = False\n');
  const k = modelInfo(keras, 'k.py');
  assert.deepEqual({ blocker: k.blocker, framework: k.framework, input: k.input }, { blocker: undefined, framework: 'keras', input: '(N, 16, 16, 3)' });
});

test('a Keras model with a (28, 28, 1) input starts on MNIST: its channels come last', () => {
  const keras = model('test/fixtures/keras/01_mnist_convnet.py');
  assert.deepEqual(keras.inputShape.slice(1), [28, 28, 1]);
  assert.equal(defaultSettings(keras).dataset, 'mnist');
});
