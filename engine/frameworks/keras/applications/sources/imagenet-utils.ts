// keras.applications.imagenet_utils as ConvLens reads it: the input-shape rules, the padding helper
// and the argument checks every application shares, written after Keras's own
// (keras/applications/imagenet_utils.py, Copyright The TensorFlow Authors, Apache License 2.0), plus the
// two natives the module is given: `_source_inputs` and `_not_modelled` (see ../module.ts).
export const IMAGENET_UTILS = String.raw`
from keras import backend, layers, ops, Model


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights=None):
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        default_shape = (default_size, default_size, input_shape[-1])
    else:
        default_shape = (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError("When setting include_top=True and loading imagenet weights, input_shape should be "
                             + str(default_shape) + ". Received: input_shape=" + str(input_shape))
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError("input_shape must be a tuple of three integers. Received: input_shape=" + str(input_shape))
        if input_shape[-1] != 3 and weights == "imagenet":
            raise ValueError("The input must have 3 channels; Received input_shape=" + str(input_shape))
        if (input_shape[0] is not None and input_shape[0] < min_size) or (
                input_shape[1] is not None and input_shape[1] < min_size):
            raise ValueError("Input size must be at least {}x{}; Received: input_shape={}".format(
                min_size, min_size, input_shape))
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError("If include_top is True, you should specify a static input_shape. Received: input_shape="
                         + str(input_shape))
    return input_shape


def correct_pad(inputs, kernel_size):
    input_size = backend.int_shape(inputs)[1:3]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    if input_size[0] is None:
        adjust = (1, 1)
    else:
        adjust = (1 - input_size[0] % 2, 1 - input_size[1] % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def validate_activation(classifier_activation, weights):
    if weights is None:
        return
    if classifier_activation not in ("softmax", None):
        raise ValueError("Only None and softmax activations are allowed for the classifier_activation argument "
                         "when using pretrained weights, with include_top=True; Received: classifier_activation="
                         + str(classifier_activation))


def preprocess_input(x, data_format=None, mode="caffe"):
    # Keras 3's _preprocess_tensor_input for channels-last tensors: the same operations, so a model built
    # on a preprocessed Input lists the same rows (caffe: get_item ×3, stack, add)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean = [0.485, 0.456, 0.406]
        std = [0.229, 0.224, 0.225]
    else:
        x = ops.stack([x[..., i] for i in (2, 1, 0)], axis=-1)
        mean = [103.939, 116.779, 123.68]
        std = None
    mean_tensor = ops.reshape(ops.convert_to_tensor([-m for m in mean]), (1,) * (len(x.shape) - 1) + (3,))
    x += mean_tensor
    if std is not None:
        x /= ops.convert_to_tensor(std)
    return x


def decode_predictions(preds, top=5):
    return None


def check_weights(weights, include_top, classes):
    # a path names a weights file: the architecture is the same, and ConvLens reads no weights
    if not (weights is None or isinstance(weights, str)):
        raise ValueError("The weights argument should be either None (random initialization), imagenet "
                         "(pre-training on ImageNet), or the path to the weights file to be loaded. Received: weights="
                         + str(weights))
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError("If using weights='imagenet' with include_top=True, classes should be 1000. Received: classes="
                         + str(classes))


def make_divisible(v, divisor=8, min_value=None):
    # the channel rounding of the MobileNets (slim's _make_divisible / _depth)
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def prepare(weights, include_top, classes, input_tensor, input_shape, default_size, min_size=32, require_flatten=None):
    # what every application does first: check its arguments, settle the input shape, make the input
    check_weights(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, default_size=default_size, min_size=min_size,
                                     data_format="channels_last",
                                     require_flatten=include_top if require_flatten is None else require_flatten,
                                     weights=weights)
    return image_input(input_tensor, input_shape), input_shape


def classifier(x, include_top, pooling, classes, classifier_activation, weights, gap_name="avg_pool", dropout=0,
               pool_names=(None, None)):
    # the usual top: global average pooling and a Dense "predictions"; without it, the pooling asked for
    if not include_top:
        return pool(x, pooling, pool_names[0], pool_names[1])
    x = layers.GlobalAveragePooling2D(name=gap_name)(x)
    if dropout > 0:
        x = layers.Dropout(dropout, name="top_dropout")(x)
    validate_activation(classifier_activation, weights)
    return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)


def image_input(input_tensor, input_shape):
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if not backend.is_keras_tensor(input_tensor):
        return layers.Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def pool(x, pooling, avg_name=None, max_name=None):
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def make_model(input_tensor, img_input, x, name, kwargs, function):
    # Keras 3 takes name=; any other keyword is one ConvLens does not know: a warning, lower-bound totals
    name = kwargs.pop("name", name)
    inputs = _source_inputs(input_tensor) if input_tensor is not None else img_input
    model = Model(inputs, x, name=name)
    if kwargs:
        _not_modelled(model, "keras.applications." + function, sorted(kwargs))
    return model
`;
