// keras.applications.densenet, with Keras's layer names, written after keras/applications/densenet.py
// (Copyright The TensorFlow Authors, Apache License 2.0).
export const DENSENET = String.raw`
from keras import backend, layers
from keras.applications import imagenet_utils as iu


def dense_block(x, blocks, name):
    for i in range(blocks):
        x = conv_block(x, 32, name=name + "_block" + str(i + 1))
    return x


def transition_block(x, reduction, name):
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_bn")(x)
    x = layers.Activation("relu", name=name + "_relu")(x)
    x = layers.Conv2D(int(backend.int_shape(x)[3] * reduction), 1, use_bias=False, name=name + "_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=name + "_pool")(x)


def conv_block(x, growth_rate, name):
    x1 = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_0_bn")(x)
    x1 = layers.Activation("relu", name=name + "_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=name + "_1_conv")(x1)
    x1 = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_1_bn")(x1)
    x1 = layers.Activation("relu", name=name + "_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=name + "_2_conv")(x1)
    return layers.Concatenate(axis=3, name=name + "_concat")([x, x1])


def DenseNet(blocks, model_name, function, include_top, weights, input_tensor, input_shape, pooling, classes,
             classifier_activation, kwargs):
    img_input, input_shape = iu.prepare(weights, include_top, classes, input_tensor, input_shape, 224)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    x = dense_block(x, blocks[0], name="conv2")
    x = transition_block(x, 0.5, name="pool2")
    x = dense_block(x, blocks[1], name="conv3")
    x = transition_block(x, 0.5, name="pool3")
    x = dense_block(x, blocks[2], name="conv4")
    x = transition_block(x, 0.5, name="pool4")
    x = dense_block(x, blocks[3], name="conv5")
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    x = iu.classifier(x, include_top, pooling, classes, classifier_activation, weights, pool_names=("avg_pool", "max_pool"))
    return iu.make_model(input_tensor, img_input, x, model_name, kwargs, function)


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    return DenseNet([6, 12, 24, 16], "densenet121", "DenseNet121", include_top, weights, input_tensor, input_shape,
                    pooling, classes, classifier_activation, kwargs)


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    return DenseNet([6, 12, 32, 32], "densenet169", "DenseNet169", include_top, weights, input_tensor, input_shape,
                    pooling, classes, classifier_activation, kwargs)


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    return DenseNet([6, 12, 48, 32], "densenet201", "DenseNet201", include_top, weights, input_tensor, input_shape,
                    pooling, classes, classifier_activation, kwargs)


def preprocess_input(x, data_format=None):
    return iu.preprocess_input(x, data_format=data_format, mode="torch")


decode_predictions = iu.decode_predictions
`;
