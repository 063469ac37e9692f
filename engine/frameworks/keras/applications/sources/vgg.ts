// keras.applications.vgg16 / vgg19, with Keras's layer names, written after keras/applications/vgg16.py
// and vgg19.py (Copyright The TensorFlow Authors, Apache License 2.0).
export const VGG = String.raw`
from keras import layers
from keras.applications import imagenet_utils as iu


def VGG(convs, model_name, function, include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, kwargs):
    img_input, input_shape = iu.prepare(weights, include_top, classes, input_tensor, input_shape, 224)
    x = img_input
    for b, (n, filters) in enumerate(zip(convs, (64, 128, 256, 512, 512))):
        for c in range(n):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same",
                              name="block{}_conv{}".format(b + 1, c + 1))(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name="block{}_pool".format(b + 1))(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        iu.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = iu.pool(x, pooling)
    return iu.make_model(input_tensor, img_input, x, model_name, kwargs, function)


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax", **kwargs):
    return VGG((2, 2, 3, 3, 3), "vgg16", "VGG16", include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, kwargs)


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax", **kwargs):
    return VGG((2, 2, 4, 4, 4), "vgg19", "VGG19", include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, kwargs)


def preprocess_input(x, data_format=None):
    return iu.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = iu.decode_predictions
`;
