// keras.applications built in, against published numbers: the parameter counts of Keras's
// applications table (keras.io/api/applications, the version that prints exact counts), the
// EfficientNetV2 counts its original implementation tests for, torchvision's published ConvNeXt counts
// (the same architecture; Keras's ConvNeXt normalises its input with a fixed mean, which holds no weights)
// and printed `model.summary()` outputs; the fine-tuning idioms; and what ConvLens does when it does not know.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { formatTable } from '../../../engine/report/format';
import type { ModelReport } from '../../../engine/report/types';
import { APPLICATIONS } from '../../../engine/frameworks/keras/applications/catalogue';

/** Total parameters with the top, as published. */
const PUBLISHED: Record<string, number> = {
  Xception: 22_910_480, VGG16: 138_357_544, VGG19: 143_667_240,
  ResNet50: 25_636_712, ResNet101: 44_707_176, ResNet152: 60_419_944,
  ResNet50V2: 25_613_800, ResNet101V2: 44_675_560, ResNet152V2: 60_380_648,
  InceptionV3: 23_851_784, InceptionResNetV2: 55_873_736, MobileNet: 4_253_864, MobileNetV2: 3_538_984,
  // printed by model.summary() of tf.keras 2.x (the table rounds them to 2.6M and 5.5M)
  MobileNetV3Small: 2_554_968, MobileNetV3Large: 5_507_432,
  DenseNet121: 8_062_504, DenseNet169: 14_307_880, DenseNet201: 20_242_984,
  NASNetMobile: 5_326_716, NASNetLarge: 88_949_818,
  EfficientNetB0: 5_330_571, EfficientNetB1: 7_856_239, EfficientNetB2: 9_177_569, EfficientNetB3: 12_320_535,
  EfficientNetB4: 19_466_823, EfficientNetB5: 30_562_527, EfficientNetB6: 43_265_143, EfficientNetB7: 66_658_687,
  EfficientNetV2B0: 7_200_312, EfficientNetV2B1: 8_212_124, EfficientNetV2B2: 10_178_374, EfficientNetV2B3: 14_467_622,
  EfficientNetV2S: 21_612_360, EfficientNetV2M: 54_431_388, EfficientNetV2L: 119_027_848,
  ConvNeXtTiny: 28_589_128, ConvNeXtSmall: 50_223_688, ConvNeXtBase: 88_591_464, ConvNeXtLarge: 197_767_336,
  ConvNeXtXLarge: 350_196_968,
};

/** Trainable / non-trainable splits printed by model.summary() (BatchNormalization's moving statistics, Normalization's). */
const SPLIT: Record<string, [number, number]> = {
  ResNet50: [25_583_592, 53_120], Xception: [22_855_952, 54_528], InceptionV3: [23_817_352, 34_432],
  MobileNetV2: [3_504_872, 34_112], DenseNet121: [7_978_856, 83_648], NASNetMobile: [5_289_978, 36_738],
  MobileNetV3Small: [2_542_856, 12_112], EfficientNetB0: [5_288_548, 42_023],
};

const analyse = (src: string): ModelReport[] => analyzeSource('/ws/model.py', src).models;
const one = (src: string): ModelReport => {
  const models = analyse(src);
  assert.equal(models.length, 1, models.map((m) => m.name).join(', '));
  return models[0];
};
const split = (m: ModelReport) => [m.totalParams, m.trainableParams, m.nonTrainableParams];
const exact = (m: ModelReport) => assert.deepEqual([m.complete, m.paramsComplete, m.unmodelled], [true, true, []]);
const warnings = (m: ModelReport) => m.diagnostics.filter((d) => d.severity !== 'info');

describe('every model of the applications table, with its defaults, as published', () => {
  const names = Object.keys(APPLICATIONS);
  test('the catalogue is the table', () => assert.deepEqual(names.sort(), Object.keys(PUBLISHED).sort()));
  // one analysis builds them all (each family's source runs once)
  const models = analyse(`from tensorflow import keras\n${names.map((n) => `m_${n} = keras.applications.${n}()`).join('\n')}\n`);
  for (const [i, name] of names.entries()) {
    test(name, () => {
      const m = models[i];
      assert.equal(m.totalParams, PUBLISHED[name]);
      if (SPLIT[name]) assert.deepEqual([m.trainableParams, m.nonTrainableParams], SPLIT[name]);
      assert.equal(m.paramsComplete, true);
      assert.deepEqual(m.unmodelled, []);
      assert.equal(m.outputShape?.at(-1), 1000);
    });
  }
});

describe('arguments', () => {
  test('include_top=False with pooling: the published feature extractors', () => {
    const models = analyse(`import tensorflow as tf
a = tf.keras.applications.ResNet50(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
b = tf.keras.applications.VGG16(include_top=False, input_shape=(224, 224, 3))
c = tf.keras.applications.InceptionV3(include_top=False, input_shape=(150, 150, 3), weights=None)
d = tf.keras.applications.EfficientNetB0(include_top=False, pooling="avg")
`);
    assert.deepEqual(models.map(split), [
      [23_587_712, 23_534_592, 53_120], [14_714_688, 14_714_688, 0], [21_802_784, 21_768_352, 34_432],
      [4_049_571, 4_007_548, 42_023],
    ]);
    assert.deepEqual(models.map((m) => m.outputShape), [[null, 7, 7, 2048], [null, 7, 7, 512], [null, 3, 3, 2048], [null, 1280]]);
    models.slice(0, 3).forEach(exact);
    // no input_shape: Keras builds it on (None, None, 3), so the MACs are not known, the parameters are
    assert.deepEqual([models[3].paramsComplete, models[3].macsComplete, models[3].unmodelled], [true, false, []]);
  });

  test('no input_shape without the top: sizes stay None, as Keras builds it; parameters are still exact', () => {
    const m = one('from keras.applications import MobileNetV2\nbase = MobileNetV2(include_top=False, weights="imagenet")\n');
    assert.deepEqual(m.inputShape, [null, null, null, 3]);
    assert.deepEqual(m.outputShape, [null, null, null, 1280]);
    assert.equal(m.totalParams, 2_257_984);
    assert.equal(m.paramsComplete, true);
  });

  test('classes, classifier_activation, alpha, input_tensor and the submodule spellings', () => {
    const models = analyse(`import keras
from keras.applications.mobilenet_v2 import MobileNetV2
from tensorflow.keras.applications import mobilenet
inp = keras.Input(shape=(128, 128, 3))
a = keras.applications.resnet50.ResNet50(weights=None, classes=10, classifier_activation=None)
b = MobileNetV2(alpha=0.35, input_shape=(96, 96, 3), include_top=False, pooling="avg")
c = mobilenet.MobileNet(input_tensor=inp, include_top=False, weights=None, pooling="max")
`);
    // ResNet50 with 10 classes: 23,587,712 + 2048·10 + 10; MobileNetV2 0.35 at 96 (published: 410,208);
    // MobileNet without its top at 128: 3,228,864 as printed for 224 (the size does not change the weights)
    assert.deepEqual(models.map((m) => [m.totalParams, m.outputShape]), [
      [23_608_202, [null, 10]], [410_208, [null, 1280]], [3_228_864, [null, 1024]],
    ]);
    assert.deepEqual(models.slice(0, 2).map((m) => m.name), ['resnet50', 'mobilenetv2_0.35_96']);
    assert.deepEqual(models[2].inputShape, [null, 128, 128, 3]);
  });

  test("Keras's own checks are errors at the user's line, as Keras raises them", () => {
    const r = analyzeSource('/ws/model.py', 'from tensorflow import keras\nmodel = keras.applications.ResNet50(weights="imagenet", classes=10)\n');
    assert.equal(r.models.length, 0);
    const e = r.diagnostics.find((d) => d.severity === 'error');
    assert.equal(e?.line, 2);
    assert.match(e?.message ?? '', /ValueError: If using weights='imagenet' with include_top=True, classes should be 1000/);
  });
});

describe('fine-tuning idioms', () => {
  const HEAD = 'import tensorflow as tf\nfrom tensorflow import keras\n';
  test('a frozen base inside a new functional model: one row for the base with its totals', () => {
    const m = one(`${HEAD}base_model = keras.applications.Xception(weights="imagenet", input_shape=(150, 150, 3), include_top=False)
base_model.trainable = False
inputs = keras.Input(shape=(150, 150, 3))
x = base_model(inputs, training=False)
x = keras.layers.GlobalAveragePooling2D()(x)
outputs = keras.layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
`);
    // keras.io/guides/transfer_learning prints 20,863,529 / 2,049 / 20,861,480
    assert.deepEqual(split(m), [20_863_529, 2_049, 20_861_480]);
    const row = m.layers.find((r) => r.path === 'xception');
    assert.deepEqual([row?.type, row?.params, row?.trainableParams, row?.outputShape], ['Functional', 20_861_480, 0, [null, 5, 5, 2048]]);
    exact(m);
  });

  test('Sequential([base, ...]), the first N layers frozen, and trainable set again on the whole base', () => {
    const models = analyse(`${HEAD}base = keras.applications.VGG16(include_top=False, input_shape=(224, 224, 3))
for layer in base.layers[:-2]:
    layer.trainable = False
head = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(5)])
other = keras.applications.ResNet50(include_top=False, weights=None, input_shape=(224, 224, 3))
for layer in other.layers[:100]:
    layer.trainable = False
other.trainable = True
`);
    // only block5_conv3 trainable: 3·3·512·512 + 512 = 2,359,808 (printed in published fine-tuning runs);
    // the head adds 512·5 + 5; setting trainable on a model sets it on every layer inside, as Keras does
    assert.deepEqual(models.map(split), [[14_717_253, 2_362_373, 12_354_880], [23_587_712, 23_534_592, 53_120]]);
    assert.deepEqual(models[0].layers.map((r) => [r.path, r.type]), [['vgg16', 'Functional'], ['global_average_pooling2d', 'GlobalAveragePooling2D'], ['dense', 'Dense']]);
  });

  test('feature extraction: get_layer(...).output, base.input and base.output', () => {
    const models = analyse(`${HEAD}base_model = tf.keras.applications.MobileNetV2(input_shape=[128, 128, 3], include_top=False)
names = ["block_1_expand_relu", "block_3_expand_relu", "block_6_expand_relu", "block_13_expand_relu", "block_16_project"]
down_stack = tf.keras.Model(inputs=base_model.input, outputs=[base_model.get_layer(n).output for n in names])
features = keras.Model(base_model.inputs, keras.layers.Flatten()(base_model.output))
`);
    const down = models.find((m) => m.name === 'down_stack');
    const features = models.find((m) => m.name === 'features');
    // the sizes TensorFlow's segmentation tutorial lists for these layers: 64, 32, 16, 8, 4
    const outputs = down?.graph.filter((n) => n.path && names(n.path)).map((n) => n.outputShape);
    assert.deepEqual(outputs, [[null, 64, 64, 96], [null, 32, 32, 144], [null, 16, 16, 192], [null, 8, 8, 576], [null, 4, 4, 320]]);
    assert.deepEqual(features?.outputShape, [null, 4 * 4 * 1280]);
    assert.equal(features?.totalParams, 2_257_984);
  });
});
const names = (path: string) => ['block_1_expand_relu', 'block_3_expand_relu', 'block_6_expand_relu', 'block_13_expand_relu', 'block_16_project'].includes(path);

describe('what ConvLens does not know stays visible', () => {
  test('an application it does not have, as a backbone: a row, a warning that names it, unknown totals', () => {
    const m = one(`from tensorflow import keras
base = keras.applications.RegNetX002(include_top=False)
inputs = keras.Input((224, 224, 3))
x = keras.layers.GlobalAveragePooling2D()(base(inputs))
model = keras.Model(inputs, keras.layers.Dense(3)(x))
`);
    const row = m.layers.find((r) => r.type === 'RegNetX002');
    assert.deepEqual([row?.paramsKnown, row?.outputShape], [false, null]);
    assert.deepEqual(m.unmodelled.map((u) => [u.name, u.line]), [['keras.applications.RegNetX002', 2]]);
    assert.match(warnings(m)[0].message, /^keras\.applications\.RegNetX002 \(not among the keras\.applications models ConvLens has built in\) is not modelled/);
    assert.deepEqual([m.complete, m.paramsComplete], [false, false]);
    assert.match(formatTable(m), /Total params: \?/);
  });

  test('an application it does not have, alone: still a model with one row and the warning', () => {
    const m = one('from tensorflow import keras\nmodel = keras.applications.ResNetRS50(weights=None)\n');
    assert.deepEqual(m.layers.map((r) => [r.type, r.paramsKnown]), [['ResNetRS50', false]]);
    assert.equal(m.paramsComplete, false);
    assert.equal(warnings(m).length, 1);
  });

  test('a keyword it does not know: the counts it has, marked as lower bounds, and a warning naming it', () => {
    const m = one(`from tensorflow import keras
base = keras.applications.ResNet50(include_top=False, weights=None, input_shape=(64, 64, 3), frobnicate=2)
inputs = keras.Input((64, 64, 3))
model = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.GlobalAveragePooling2D()(base(inputs))))
`);
    assert.deepEqual(m.unmodelled.map((u) => [u.name, u.line, u.missing]), [['keras.applications.ResNet50(frobnicate=…)', 2, ['params', 'macs']]]);
    assert.match(warnings(m)[0].message, /ConvLens does not know the keyword frobnicate/);
    assert.deepEqual([m.complete, m.paramsComplete, m.totalParams], [false, false, 23_587_712 + 2048 * 3 + 3]);
    assert.equal(m.layers.find((r) => r.path === 'resnet50')?.paramsKnown, false);
    assert.match(formatTable(m), /Total params: ≥ 23,593,859/);
  });

  test('an argument whose value is unknown: lower bounds and a warning naming the argument', () => {
    const m = one('from tensorflow import keras\nimport config\nbase = keras.applications.ResNet50(config.TOP, None, input_shape=(64, 64, 3))\n');
    assert.deepEqual(m.unmodelled.map((u) => u.name), ['keras.applications.ResNet50(include_top=…)']);
    assert.match(warnings(m).map((d) => d.message).join('\n'), /the value of include_top is unknown/);
    assert.equal(m.paramsComplete, false);
  });
});
