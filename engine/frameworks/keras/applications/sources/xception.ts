// keras.applications.xception, with Keras's layer names, written after keras/applications/xception.py
// (Copyright The TensorFlow Authors, Apache License 2.0).
export const XCEPTION = String.raw`
from keras import layers
from keras.applications import imagenet_utils as iu


def _sep_bn(x, filters, name, act_before=True):
    if act_before:
        x = layers.Activation("relu", name=name + "_act")(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=-1, name=name + "_bn")(x)


def _down(x, block, filters1, filters2, first_act=True):
    residual = layers.Conv2D(filters2, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization(axis=-1)(residual)
    x = _sep_bn(x, filters1, "block{}_sepconv1".format(block), first_act)
    x = _sep_bn(x, filters2, "block{}_sepconv2".format(block))
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name="block{}_pool".format(block))(x)
    return layers.add([x, residual])


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax", **kwargs):
    img_input, input_shape = iu.prepare(weights, include_top, classes, input_tensor, input_shape, 299, 71)
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=-1, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=-1, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    x = _down(x, 2, 128, 128, first_act=False)
    x = _down(x, 3, 256, 256)
    x = _down(x, 4, 728, 728)
    for i in range(8):
        residual = x
        prefix = "block" + str(i + 5)
        for j in (1, 2, 3):
            x = _sep_bn(x, 728, prefix + "_sepconv" + str(j))
        x = layers.add([x, residual])
    x = _down(x, 13, 728, 1024)
    x = layers.SeparableConv2D(1536, (3, 3), padding="same", use_bias=False, name="block14_sepconv1")(x)
    x = layers.BatchNormalization(axis=-1, name="block14_sepconv1_bn")(x)
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = layers.SeparableConv2D(2048, (3, 3), padding="same", use_bias=False, name="block14_sepconv2")(x)
    x = layers.BatchNormalization(axis=-1, name="block14_sepconv2_bn")(x)
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    x = iu.classifier(x, include_top, pooling, classes, classifier_activation, weights)
    return iu.make_model(input_tensor, img_input, x, "xception", kwargs, "Xception")


def preprocess_input(x, data_format=None):
    return iu.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = iu.decode_predictions
`;
