// keras.applications.efficientnet_v2 (B0–B3, S, M, L), with Keras's layer names and preprocessing
// layers, written after keras/applications/efficientnet_v2.py (Copyright The TensorFlow Authors,
// Apache License 2.0). Blocks: (kernel, repeats, in, out, expand ratio, se ratio, stride, fused).
export const EFFICIENTNET_V2 = String.raw`
import math
from keras import layers
from keras.applications import imagenet_utils as iu

_B = [(3, 1, 32, 16, 1, 0, 1, 1), (3, 2, 16, 32, 4, 0, 2, 1), (3, 2, 32, 48, 4, 0, 2, 1),
      (3, 3, 48, 96, 4, 0.25, 2, 0), (3, 5, 96, 112, 6, 0.25, 1, 0), (3, 8, 112, 192, 6, 0.25, 2, 0)]
BLOCKS = {
    "efficientnetv2-b0": _B, "efficientnetv2-b1": _B, "efficientnetv2-b2": _B, "efficientnetv2-b3": _B,
    "efficientnetv2-s": [(3, 2, 24, 24, 1, 0, 1, 1), (3, 4, 24, 48, 4, 0, 2, 1), (3, 4, 48, 64, 4, 0, 2, 1),
                         (3, 6, 64, 128, 4, 0.25, 2, 0), (3, 9, 128, 160, 6, 0.25, 1, 0),
                         (3, 15, 160, 256, 6, 0.25, 2, 0)],
    "efficientnetv2-m": [(3, 3, 24, 24, 1, 0, 1, 1), (3, 5, 24, 48, 4, 0, 2, 1), (3, 5, 48, 80, 4, 0, 2, 1),
                         (3, 7, 80, 160, 4, 0.25, 2, 0), (3, 14, 160, 176, 6, 0.25, 1, 0),
                         (3, 18, 176, 304, 6, 0.25, 2, 0), (3, 5, 304, 512, 6, 0.25, 1, 0)],
    "efficientnetv2-l": [(3, 4, 32, 32, 1, 0, 1, 1), (3, 7, 32, 64, 4, 0, 2, 1), (3, 7, 64, 96, 4, 0, 2, 1),
                         (3, 10, 96, 192, 4, 0.25, 2, 0), (3, 19, 192, 224, 6, 0.25, 1, 0),
                         (3, 25, 224, 384, 6, 0.25, 2, 0), (3, 7, 384, 640, 6, 0.25, 1, 0)],
}


def round_filters(filters, width_coefficient, min_depth, depth_divisor):
    filters *= width_coefficient
    minimum_depth = min_depth or depth_divisor
    new_filters = max(minimum_depth, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor)
    return int(new_filters)


def _bn(x, name):
    return layers.BatchNormalization(axis=3, momentum=0.9, name=name)(x)


def _se(x, input_filters, filters, se_ratio, activation, name):
    filters_se = max(1, int(input_filters * se_ratio))
    se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=name + "se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=activation, name=name + "se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=name + "se_expand")(se)
    return layers.multiply([x, se], name=name + "se_excite")


def _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name):
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.add([x, inputs], name=name + "add")
    return x


def MBConvBlock(inputs, input_filters, output_filters, expand_ratio, kernel_size, strides, se_ratio, activation,
                survival_probability, name):
    filters = input_filters * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, strides=1, padding="same", use_bias=False, name=name + "expand_conv")(x)
        x = _bn(x, name + "expand_bn")
        x = layers.Activation(activation, name=name + "expand_activation")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding="same", use_bias=False, name=name + "dwconv2")(x)
    x = _bn(x, name + "bn")
    x = layers.Activation(activation, name=name + "activation")(x)
    if 0 < se_ratio <= 1:
        x = _se(x, input_filters, filters, se_ratio, activation, name)
    x = layers.Conv2D(output_filters, 1, strides=1, padding="same", use_bias=False, name=name + "project_conv")(x)
    x = _bn(x, name + "project_bn")
    return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)


def FusedMBConvBlock(inputs, input_filters, output_filters, expand_ratio, kernel_size, strides, se_ratio, activation,
                     survival_probability, name):
    filters = input_filters * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, kernel_size, strides=strides, padding="same", use_bias=False,
                          name=name + "expand_conv")(x)
        x = _bn(x, name + "expand_bn")
        x = layers.Activation(activation, name=name + "expand_activation")(x)
    if 0 < se_ratio <= 1:
        x = _se(x, input_filters, filters, se_ratio, activation, name)
    x = layers.Conv2D(output_filters, 1 if expand_ratio != 1 else kernel_size, strides=1 if expand_ratio != 1 else strides,
                      padding="same", use_bias=False, name=name + "project_conv")(x)
    x = _bn(x, name + "project_bn")
    if expand_ratio == 1:
        x = layers.Activation(activation, name=name + "project_activation")(x)
    return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)


def EfficientNetV2(width_coefficient, depth_coefficient, default_size, model_name, function, include_top, weights,
                   input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing, kwargs,
                   dropout_rate=0.2, drop_connect_rate=0.2, depth_divisor=8, min_depth=8, activation="swish"):
    blocks_args = BLOCKS[model_name]
    img_input, input_shape = iu.prepare(weights, include_top, classes, input_tensor, input_shape, default_size)
    x = img_input
    if include_preprocessing:
        if model_name.split("-")[-1].startswith("b") and input_shape[2] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406], variance=[0.229 ** 2, 0.224 ** 2, 0.225 ** 2],
                                     axis=3)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    def filters_of(n):
        return round_filters(n, width_coefficient, min_depth, depth_divisor)

    x = layers.Conv2D(filters_of(blocks_args[0][2]), 3, strides=2, padding="same", use_bias=False, name="stem_conv")(x)
    x = _bn(x, "stem_bn")
    x = layers.Activation(activation, name="stem_activation")(x)
    b = 0
    blocks = float(sum(n for (_, n, _, _, _, _, _, _) in blocks_args))
    for i, (kernel, repeats, f_in, f_out, expand, se_ratio, strides, fused) in enumerate(blocks_args):
        f_in, f_out = filters_of(f_in), filters_of(f_out)
        fn = FusedMBConvBlock if fused else MBConvBlock
        for j in range(int(math.ceil(depth_coefficient * repeats))):
            if j > 0:
                strides, f_in = 1, f_out
            x = fn(x, f_in, f_out, expand, kernel, strides, se_ratio, activation, drop_connect_rate * b / blocks,
                   "block{}{}_".format(i + 1, chr(j + 97)))
            b += 1
    x = layers.Conv2D(filters_of(1280), 1, strides=1, padding="same", use_bias=False, name="top_conv")(x)
    x = _bn(x, "top_bn")
    x = layers.Activation(activation, name="top_activation")(x)
    x = iu.classifier(x, include_top, pooling, classes, classifier_activation, weights, dropout=dropout_rate,
                      pool_names=("avg_pool", "max_pool"))
    return iu.make_model(input_tensor, img_input, x, model_name, kwargs, function)


def _variant(suffix, width, depth, size):
    def build(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
              classifier_activation="softmax", include_preprocessing=True, **kwargs):
        return EfficientNetV2(width, depth, size, "efficientnetv2-" + suffix, "EfficientNetV2" + suffix.upper(),
                              include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                              include_preprocessing, kwargs)
    return build


EfficientNetV2B0 = _variant("b0", 1.0, 1.0, 224)
EfficientNetV2B1 = _variant("b1", 1.0, 1.1, 240)
EfficientNetV2B2 = _variant("b2", 1.1, 1.2, 260)
EfficientNetV2B3 = _variant("b3", 1.2, 1.4, 300)
EfficientNetV2S = _variant("s", 1.0, 1.0, 384)
EfficientNetV2M = _variant("m", 1.0, 1.0, 480)
EfficientNetV2L = _variant("l", 1.0, 1.0, 480)


def preprocess_input(x, data_format=None):
    return x


decode_predictions = iu.decode_predictions
`;
