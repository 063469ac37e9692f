// keras.applications.convnext (Tiny, Small, Base, Large, XLarge), with Keras's layer names, its nested
// Sequential stem and downsampling blocks and its LayerScale layers, written after
// keras/applications/convnext.py (Copyright The TensorFlow Authors, Apache License 2.0).
export const CONVNEXT = String.raw`
from keras import layers, Sequential
from keras.applications import imagenet_utils as iu

MODEL_CONFIGS = {
    "tiny": ([3, 3, 9, 3], [96, 192, 384, 768]),
    "small": ([3, 3, 27, 3], [96, 192, 384, 768]),
    "base": ([3, 3, 27, 3], [128, 256, 512, 1024]),
    "large": ([3, 3, 27, 3], [192, 384, 768, 1536]),
    "xlarge": ([3, 3, 27, 3], [256, 512, 1024, 2048]),
}


class LayerScale(layers.Layer):
    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(self.projection_dim,), trainable=True)

    def call(self, x):
        return x * self.gamma


def ConvNeXtBlock(x, projection_dim, layer_scale_init_value, name):
    inputs = x
    x = layers.Conv2D(filters=projection_dim, kernel_size=7, padding="same", groups=projection_dim,
                      name=name + "_depthwise_conv")(x)
    x = layers.LayerNormalization(epsilon=1e-6, name=name + "_layernorm")(x)
    x = layers.Dense(4 * projection_dim, name=name + "_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=name + "_gelu")(x)
    x = layers.Dense(projection_dim, name=name + "_pointwise_conv_2")(x)
    if layer_scale_init_value is not None:
        x = LayerScale(layer_scale_init_value, projection_dim, name=name + "_layer_scale")(x)
    return inputs + layers.Activation("linear", name=name + "_identity")(x)


def ConvNeXt(size, model_name, function, include_top, include_preprocessing, weights, input_tensor, input_shape,
             pooling, classes, classifier_activation, kwargs, layer_scale_init_value=1e-6, default_size=224):
    depths, projection_dims = MODEL_CONFIGS[size]
    img_input, input_shape = iu.prepare(weights, include_top, classes, input_tensor, input_shape, default_size)
    x = img_input
    if include_preprocessing and input_shape[2] == 3:
        x = layers.Normalization(mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                                 variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
                                 name=model_name + "_prestem_normalization")(x)
    stem = Sequential([
        layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=model_name + "_stem_conv"),
        layers.LayerNormalization(epsilon=1e-6, name=model_name + "_stem_layernorm"),
    ], name=model_name + "_stem")
    downsample_layers = [stem]
    for i in range(3):
        downsample_layers.append(Sequential([
            layers.LayerNormalization(epsilon=1e-6, name=model_name + "_downsampling_layernorm_" + str(i)),
            layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2,
                          name=model_name + "_downsampling_conv_" + str(i)),
        ], name=model_name + "_downsampling_block_" + str(i)))
    for i in range(4):
        x = downsample_layers[i](x)
        for j in range(depths[i]):
            x = ConvNeXtBlock(x, projection_dims[i], layer_scale_init_value, model_name + "_stage_{}_block_{}".format(i, j))
    if include_top:
        x = layers.GlobalAveragePooling2D(name=model_name + "_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=model_name + "_head_layernorm")(x)
        iu.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name=model_name + "_head_dense")(x)
    else:
        x = iu.pool(x, pooling)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    return iu.make_model(input_tensor, img_input, x, model_name, kwargs, function)


def _variant(size, function):
    def build(model_name="convnext_" + size, include_top=True, include_preprocessing=True, weights="imagenet",
              input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
              **kwargs):
        return ConvNeXt(size, model_name, function, include_top, include_preprocessing, weights, input_tensor,
                        input_shape, pooling, classes, classifier_activation, kwargs)
    return build


ConvNeXtTiny = _variant("tiny", "ConvNeXtTiny")
ConvNeXtSmall = _variant("small", "ConvNeXtSmall")
ConvNeXtBase = _variant("base", "ConvNeXtBase")
ConvNeXtLarge = _variant("large", "ConvNeXtLarge")
ConvNeXtXLarge = _variant("xlarge", "ConvNeXtXLarge")


def preprocess_input(x, data_format=None):
    return x


decode_predictions = iu.decode_predictions
`;
