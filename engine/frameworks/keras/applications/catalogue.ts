// Which Python source defines each `keras.applications` submodule, and where each application lives
// (Keras's applications table: https://keras.io/api/applications/).
import { CONVNEXT } from './sources/convnext';
import { DENSENET } from './sources/densenet';
import { EFFICIENTNET } from './sources/efficientnet';
import { EFFICIENTNET_V2 } from './sources/efficientnet-v2';
import { IMAGENET_UTILS } from './sources/imagenet-utils';
import { INCEPTION_RESNET_V2, INCEPTION_V3 } from './sources/inception';
import { MOBILENET, MOBILENET_V2 } from './sources/mobilenet';
import { MOBILENET_V3 } from './sources/mobilenet-v3';
import { NASNET } from './sources/nasnet';
import { RESNET, RESNET_V2 } from './sources/resnet';
import { VGG } from './sources/vgg';
import { XCEPTION } from './sources/xception';

const reexport = (from: string, names: string) => `from keras.applications.${from} import ${names}, preprocess_input, decode_predictions\n`;

/** Python source per submodule of keras.applications. */
export const APPLICATION_SOURCES: Record<string, string> = {
  imagenet_utils: IMAGENET_UTILS,
  vgg16: VGG, vgg19: reexport('vgg16', 'VGG19'),
  resnet: RESNET, resnet50: reexport('resnet', 'ResNet50'), resnet_v2: RESNET_V2,
  xception: XCEPTION, inception_v3: INCEPTION_V3, inception_resnet_v2: INCEPTION_RESNET_V2,
  mobilenet: MOBILENET, mobilenet_v2: MOBILENET_V2, mobilenet_v3: MOBILENET_V3,
  densenet: DENSENET, nasnet: NASNET,
  efficientnet: EFFICIENTNET, efficientnet_v2: EFFICIENTNET_V2, convnext: CONVNEXT,
};

const family = (module: string, names: string[]) => Object.fromEntries(names.map((n) => [n, module]));

/** Each application by the submodule that defines it. */
export const APPLICATIONS: Record<string, string> = {
  VGG16: 'vgg16', VGG19: 'vgg19', Xception: 'xception', InceptionV3: 'inception_v3',
  InceptionResNetV2: 'inception_resnet_v2', MobileNet: 'mobilenet', MobileNetV2: 'mobilenet_v2',
  ...family('resnet', ['ResNet50', 'ResNet101', 'ResNet152']),
  ...family('resnet_v2', ['ResNet50V2', 'ResNet101V2', 'ResNet152V2']),
  ...family('mobilenet_v3', ['MobileNetV3Small', 'MobileNetV3Large']),
  ...family('densenet', ['DenseNet121', 'DenseNet169', 'DenseNet201']),
  ...family('nasnet', ['NASNetMobile', 'NASNetLarge']),
  ...family('efficientnet', [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `EfficientNetB${i}`)),
  ...family('efficientnet_v2', ['B0', 'B1', 'B2', 'B3', 'S', 'M', 'L'].map((v) => `EfficientNetV2${v}`)),
  ...family('convnext', ['Tiny', 'Small', 'Base', 'Large', 'XLarge'].map((v) => `ConvNeXt${v}`)),
};
