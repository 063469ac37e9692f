// keras.applications.resnet and resnet_v2: ResNet50/101/152 and their V2 (pre-activation) forms, with
// Keras's layer names, written after keras/applications/resnet.py and resnet_v2.py (Copyright The
// TensorFlow Authors, Apache License 2.0).
export const RESNET = String.raw`
from keras import layers
from keras.applications import imagenet_utils as iu


def block1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="SAME", name=name + "_2_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_3_bn")(x)
    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.Activation("relu", name=name + "_out")(x)


def stack1(x, filters, blocks, stride1=2, name=None):
    x = block1(x, filters, stride=stride1, name=name + "_block1")
    for i in range(2, blocks + 1):
        x = block1(x, filters, conv_shortcut=False, name=name + "_block" + str(i))
    return x


def block2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    preact = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_preact_bn")(x)
    preact = layers.Activation("relu", name=name + "_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=name + "_1_conv")(preact)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name + "_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=name + "_2_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    return layers.Add(name=name + "_out")([shortcut, x])


def stack2(x, filters, blocks, stride1=2, name=None):
    x = block2(x, filters, conv_shortcut=True, name=name + "_block1")
    for i in range(2, blocks):
        x = block2(x, filters, name=name + "_block" + str(i))
    return block2(x, filters, stride=stride1, name=name + "_block" + str(blocks))


def ResNet(stack_fn, preact, use_bias, model_name, include_top, weights, input_tensor, input_shape, pooling,
           classes, classifier_activation, kwargs, function):
    img_input, input_shape = iu.prepare(weights, include_top, classes, input_tensor, input_shape, 224)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    x = iu.classifier(x, include_top, pooling, classes, classifier_activation, weights, pool_names=("avg_pool", "max_pool"))
    return iu.make_model(input_tensor, img_input, x, model_name, kwargs, function)


def _v1(depths, name, args):
    def stack_fn(x):
        x = stack1(x, 64, depths[0], stride1=1, name="conv2")
        x = stack1(x, 128, depths[1], name="conv3")
        x = stack1(x, 256, depths[2], name="conv4")
        return stack1(x, 512, depths[3], name="conv5")
    return ResNet(stack_fn, False, True, name, *args)


def _v2(depths, name, args):
    def stack_fn(x):
        x = stack2(x, 64, depths[0], name="conv2")
        x = stack2(x, 128, depths[1], name="conv3")
        x = stack2(x, 256, depths[2], name="conv4")
        return stack2(x, 512, depths[3], stride1=1, name="conv5")
    return ResNet(stack_fn, True, True, name, *args)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax", **kwargs):
    return _v1([3, 4, 6, 3], "resnet50", [include_top, weights, input_tensor, input_shape, pooling, classes,
                                          classifier_activation, kwargs, "ResNet50"])


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
              classifier_activation="softmax", **kwargs):
    return _v1([3, 4, 23, 3], "resnet101", [include_top, weights, input_tensor, input_shape, pooling, classes,
                                            classifier_activation, kwargs, "ResNet101"])


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
              classifier_activation="softmax", **kwargs):
    return _v1([3, 8, 36, 3], "resnet152", [include_top, weights, input_tensor, input_shape, pooling, classes,
                                            classifier_activation, kwargs, "ResNet152"])


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
               classifier_activation="softmax", **kwargs):
    return _v2([3, 4, 6, 3], "resnet50v2", [include_top, weights, input_tensor, input_shape, pooling, classes,
                                            classifier_activation, kwargs, "ResNet50V2"])


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    return _v2([3, 4, 23, 3], "resnet101v2", [include_top, weights, input_tensor, input_shape, pooling, classes,
                                              classifier_activation, kwargs, "ResNet101V2"])


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    return _v2([3, 8, 36, 3], "resnet152v2", [include_top, weights, input_tensor, input_shape, pooling, classes,
                                              classifier_activation, kwargs, "ResNet152V2"])


def preprocess_input(x, data_format=None):
    return iu.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = iu.decode_predictions
`;

/** resnet_v2's own preprocessing ("tf" mode); its models are those of resnet.py. */
export const RESNET_V2 = String.raw`
from keras.applications.resnet import ResNet50V2, ResNet101V2, ResNet152V2, decode_predictions
from keras.applications import imagenet_utils as iu


def preprocess_input(x, data_format=None):
    return iu.preprocess_input(x, data_format=data_format, mode="tf")
`;
