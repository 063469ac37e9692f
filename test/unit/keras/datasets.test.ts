// keras.datasets: load_data() gives arrays of the documented shapes (values never read), so a model built from
// the data's own shape gets its real input. The figures are the published summaries of the examples these
// files follow; what needs the values stays unknown, named.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { checked, failures } from '../checked-source';

const models = (src: string) => analyzeSource('/ws/train.py', checked(src)).models;

// keras.io's mnist_convnet with the input shape read from the data: 34,826 parameters in its published summary
const MNIST = `import numpy as np
import keras
from keras import layers
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.astype("float32") / 255
x_train = np.expand_dims(x_train, -1)
x_test = x_test[..., np.newaxis]
num_classes = len(np.unique(y_train))
y_train = keras.utils.to_categorical(y_train, num_classes)
model = keras.Sequential([
    keras.Input(shape=x_train.shape[1:]),
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(num_classes, activation="softmax"),
])
model.fit(x_train, y_train, batch_size=128, epochs=15, validation_split=0.1)
`;

test('mnist: x_train.shape[1:] after expand_dims is (28, 28, 1); np.unique of the labels is the 10 classes', () => {
  const [m] = models(MNIST);
  assert.equal(m.totalParams, 34826);
  assert.equal(m.complete, true);
  assert.deepEqual(m.inputShape, [null, 28, 28, 1]);
  for (const variant of ['x_train.reshape(-1, 28, 28, 1)', 'x_train.reshape((x_train.shape[0], 28, 28, 1))', 'x_train[:, :, :, None]']) {
    const [v] = models(MNIST.replace('np.expand_dims(x_train, -1)', variant).replace('len(np.unique(y_train))', 'y_train.max() + 1'));
    assert.equal(v.totalParams, 34826, variant);
  }
});

// tensorflow.org's CNN tutorial on CIFAR-10: 122,570 parameters in its published summary
test('cifar10: images (32, 32, 3) channels last, labels (N, 1)', () => {
  const src = `import tensorflow as tf
from tensorflow.keras import datasets, layers, models
(train_images, train_labels), (test_images, test_labels) = datasets.cifar10.load_data()
train_images, test_images = train_images / 255.0, test_images / 255.0
assert train_labels.shape == (50000, 1)
model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=train_images.shape[1:]))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.Flatten())
model.add(layers.Dense(64, activation='relu'))
model.add(layers.Dense(10))
`;
  const [m] = models(src);
  assert.equal(m.totalParams, 122570);
  assert.deepEqual(failures(src), []);
  assert.notDeepEqual(failures(src.replace('(50000, 1)', '(50000,)')), []);
});

test('regression datasets: rows split by test_split as Keras does; a normalisation keeps the shape', () => {
  const src = (call: string) => `import keras
(x, y), (xt, yt) = ${call}
mean = x.mean(axis=0)
x -= mean
x /= x.std(axis=0)
assert xt.shape[0] + x.shape[0] == N
model = keras.Sequential([keras.layers.Dense(64, activation="relu", input_shape=(x.shape[1],)), keras.layers.Dense(1)])
`;
  // boston: 506 rows of 13 features; california: 20,640 (or 600) of 8
  assert.equal(models(src('keras.datasets.boston_housing.load_data()').replace('N', '506'))[0].totalParams, 14 * 64 + 65);
  const small = src('keras.datasets.california_housing.load_data(version="small", test_split=0.25)');
  assert.equal(models(small.replace('N', '600'))[0].totalParams, 9 * 64 + 65);
  assert.deepEqual(failures(small.replace('N', '600')), []);
  assert.notDeepEqual(failures(small.replace('N', '601')), []);
  assert.deepEqual(failures(src('keras.datasets.boston_housing.load_data()').replace('N', '506')), []);
});

test('cifar100: label_mode fine is 100 classes, coarse 20', () => {
  const src = (mode: string) => `import numpy as np
import keras
(x, y), _ = keras.datasets.cifar100.load_data(label_mode="${mode}")
inputs = keras.Input(shape=x.shape[1:])
h = keras.layers.GlobalAveragePooling2D()(keras.layers.Conv2D(16, 3)(inputs))
model = keras.Model(inputs, keras.layers.Dense(len(np.unique(y)))(h))
`;
  assert.equal(models(src('fine'))[0].totalParams, 448 + 17 * 100);
  assert.equal(models(src('coarse'))[0].totalParams, 448 + 17 * 20);
});

test('what needs the values is unknown, named; shapes that do not fit are Python\'s errors', () => {
  // the distinct pixel values, and a count of rows picked by a mask, are in the data only
  const [m] = models(MNIST.replace('len(np.unique(y_train))', 'len(np.unique(x_train))'));
  assert.equal(m.complete, false);
  assert.equal(m.totalParams, 320 + 18496, 'the convolutions, a lower bound without the Dense');
  assert.deepEqual(m.unmodelled.map((u) => [u.name, u.reason]), [['Dense', 'its argument units is unknown']]);
  const r = analyzeSource('/ws/t.py', MNIST.replace('np.expand_dims(x_train, -1)', 'x_train.reshape(-1, 32, 32, 1)'));
  assert.ok(r.diagnostics.some((d) => d.code === 'python-error' && /cannot reshape array of size 47040000/.test(d.message)));
  // the text datasets' sequences have lengths only the data knows
  const imdb = analyzeSource('/ws/t.py', `import keras
(x, y), _ = keras.datasets.imdb.load_data(num_words=10000)
model = keras.Sequential([keras.layers.Dense(16, input_shape=(len(x[0]),)), keras.layers.Dense(1)])
`);
  assert.equal(imdb.models[0].complete, false);
});

test('PyTorch from a Keras dataset: torch.from_numpy / torch.tensor keep the shape', () => {
  const [m] = models(`import numpy as np
import torch
import torch.nn as nn
from keras.datasets import fashion_mnist
(x, y), _ = fashion_mnist.load_data()
batch = torch.from_numpy(x[:64]).unsqueeze(1).float() / 255
model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.Flatten(), nn.Linear(8 * 26 * 26, 10))
out = model(batch)
labels = torch.tensor(y[:64])
`);
  assert.deepEqual(m.inputShape, [64, 1, 28, 28]);
  assert.equal(m.complete, true);
});
