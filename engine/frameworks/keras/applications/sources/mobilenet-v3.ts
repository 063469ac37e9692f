// keras.applications.mobilenet_v3 (alpha, minimalistic, include_preprocessing), with Keras 3.15's layer and
// model names (checked against real Keras 3.15.1), written after keras/applications/mobilenet_v3.py
// (Copyright The TensorFlow Authors, Apache License 2.0).
export const MOBILENET_V3 = String.raw`
from keras import backend, layers
from keras.applications import imagenet_utils as iu


def relu(x):
    return layers.ReLU()(x)


def hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def hard_swish(x):
    return layers.Activation("hard_swish")(x)


_depth = iu.make_divisible


def _se_block(inputs, filters, se_ratio, prefix):
    x = layers.GlobalAveragePooling2D(keepdims=True, name=prefix + "squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(_depth(filters * se_ratio), kernel_size=1, padding="same", name=prefix + "squeeze_excite_conv")(x)
    x = layers.ReLU(name=prefix + "squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", name=prefix + "squeeze_excite_conv_1")(x)
    x = hard_sigmoid(x)
    return layers.Multiply(name=prefix + "squeeze_excite_mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id):
    shortcut = x
    prefix = "expanded_conv_"
    infilters = backend.int_shape(x)[-1]
    if block_id:
        prefix = "expanded_conv_{}_".format(block_id)
        x = layers.Conv2D(_depth(infilters * expansion), kernel_size=1, padding="same", use_bias=False,
                          name=prefix + "expand")(x)
        x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=prefix + "expand_bn")(x)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=iu.correct_pad(x, kernel_size), name=prefix + "depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, padding="same" if stride == 1 else "valid",
                               use_bias=False, name=prefix + "depthwise")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=prefix + "depthwise_bn")(x)
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False, name=prefix + "project")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=prefix + "project_bn")(x)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=prefix + "add")([shortcut, x])
    return x


def MobileNetV3(stack_fn, last_point_ch, input_shape, alpha, model_type, minimalistic, include_top, weights,
                input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing, kwargs,
                function):
    iu.check_weights(weights, include_top, classes)
    if input_shape is None and input_tensor is not None and backend.is_keras_tensor(input_tensor):
        rows, cols = backend.int_shape(input_tensor)[1:3]
        input_shape = (cols, rows, 3)
    if input_shape is None:
        input_shape = (None, None, 3)
    rows, cols = input_shape[0], input_shape[1]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError("Input size must be at least 32x32; Received input_shape=" + str(input_shape))
    if weights == "imagenet" and ((not minimalistic and alpha not in (0.75, 1.0)) or (minimalistic and alpha != 1.0)):
        raise ValueError("If imagenet weights are being loaded, alpha can be one of 0.75, 1.0 for non minimalistic "
                         "or 1.0 for minimalistic only.")
    img_input = iu.image_input(input_tensor, input_shape)
    if minimalistic:
        kernel, activation, se_ratio = 3, relu, None
    else:
        kernel, activation, se_ratio = 5, hard_swish, 0.25
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="conv_bn")(x)
    x = activation(x)
    x = stack_fn(x, kernel, activation, se_ratio)
    last_conv_ch = _depth(backend.int_shape(x)[-1] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="conv_1")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="conv_1_bn")(x)
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True, name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        iu.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = iu.pool(x, pooling, "avg_pool", "max_pool")
    return iu.make_model(input_tensor, img_input, x, function, kwargs, function)


# each block: expansion, filters, kernel (0: the model's own, 5 or 3 when minimalistic), stride, squeeze-excite,
# the model's own activation (hard swish, or ReLU when minimalistic) rather than ReLU
PLANS = {
    "small": [(1, 16, 3, 2, True, False), (72.0 / 16, 24, 3, 2, False, False), (88.0 / 24, 24, 3, 1, False, False),
              (4, 40, 0, 2, True, True), (6, 40, 0, 1, True, True), (6, 40, 0, 1, True, True),
              (3, 48, 0, 1, True, True), (3, 48, 0, 1, True, True), (6, 96, 0, 2, True, True),
              (6, 96, 0, 1, True, True), (6, 96, 0, 1, True, True)],
    "large": [(1, 16, 3, 1, False, False), (4, 24, 3, 2, False, False), (3, 24, 3, 1, False, False),
              (3, 40, 0, 2, True, False), (3, 40, 0, 1, True, False), (3, 40, 0, 1, True, False),
              (6, 80, 3, 2, False, True), (2.5, 80, 3, 1, False, True), (2.3, 80, 3, 1, False, True),
              (2.3, 80, 3, 1, False, True), (6, 112, 3, 1, True, True), (6, 112, 3, 1, True, True),
              (6, 160, 0, 2, True, True), (6, 160, 0, 1, True, True), (6, 160, 0, 1, True, True)],
}


def _stack(model_type, alpha):
    def stack_fn(x, kernel, activation, se_ratio):
        for block_id, (expansion, filters, k, stride, se, own) in enumerate(PLANS[model_type]):
            x = _inverted_res_block(x, expansion, _depth(filters * alpha), k or kernel, stride, se_ratio if se else None,
                                    activation if own else relu, block_id)
        return x
    return stack_fn


def _variant(model_type, last_point_ch, function):
    def build(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights="imagenet", input_tensor=None,
              classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax", include_preprocessing=True,
              **kwargs):
        return MobileNetV3(_stack(model_type, alpha), last_point_ch, input_shape, alpha, model_type, minimalistic,
                           include_top, weights, input_tensor, classes, pooling, dropout_rate, classifier_activation,
                           include_preprocessing, kwargs, function)
    return build


MobileNetV3Small = _variant("small", 1024, "MobileNetV3Small")
MobileNetV3Large = _variant("large", 1280, "MobileNetV3Large")


def preprocess_input(x, data_format=None):
    return x


decode_predictions = iu.decode_predictions
`;
