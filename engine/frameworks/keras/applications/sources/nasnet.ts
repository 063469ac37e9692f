// keras.applications.nasnet (NASNet-A Mobile and Large), with Keras's layer names, written after
// keras/applications/nasnet.py (Copyright The TensorFlow Authors, Apache License 2.0).
export const NASNET = String.raw`
from keras import backend, layers
from keras.applications import imagenet_utils as iu


def _bn(x, name=None):
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)(x)


def _separable_conv_block(ip, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    x = layers.Activation("relu")(ip)
    if strides == (2, 2):
        x = layers.ZeroPadding2D(padding=iu.correct_pad(x, kernel_size), name="separable_conv_1_pad_%s" % block_id)(x)
        conv_pad = "valid"
    else:
        conv_pad = "same"
    x = layers.SeparableConv2D(filters, kernel_size, strides=strides, name="separable_conv_1_%s" % block_id,
                               padding=conv_pad, use_bias=False)(x)
    x = _bn(x, "separable_conv_1_bn_%s" % block_id)
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, kernel_size, name="separable_conv_2_%s" % block_id, padding="same",
                               use_bias=False)(x)
    return _bn(x, "separable_conv_2_bn_%s" % block_id)


def _adjust_block(p, ip, filters, block_id=None):
    ip_shape = backend.int_shape(ip)
    if p is None:
        return ip
    p_shape = backend.int_shape(p)
    if p_shape[-2] != ip_shape[-2]:
        p = layers.Activation("relu", name="adjust_relu_1_%s" % block_id)(p)
        p1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name="adjust_avg_pool_1_%s" % block_id)(p)
        p1 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name="adjust_conv_1_%s" % block_id)(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name="adjust_avg_pool_2_%s" % block_id)(p2)
        p2 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name="adjust_conv_2_%s" % block_id)(p2)
        p = layers.concatenate([p1, p2], axis=-1)
        p = _bn(p, "adjust_bn_%s" % block_id)
    elif p_shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", name="adjust_conv_projection_%s" % block_id,
                          use_bias=False)(p)
        p = _bn(p, "adjust_bn_%s" % block_id)
    return p


def _normal_a_cell(ip, p, filters, block_id=None):
    p = _adjust_block(p, ip, filters, block_id)
    h = layers.Activation("relu")(ip)
    h = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", name="normal_conv_1_%s" % block_id,
                      use_bias=False)(h)
    h = _bn(h, "normal_bn_1_%s" % block_id)
    x1 = layers.add([_separable_conv_block(h, filters, kernel_size=(5, 5), block_id="normal_left1_%s" % block_id),
                     _separable_conv_block(p, filters, block_id="normal_right1_%s" % block_id)],
                    name="normal_add_1_%s" % block_id)
    x2 = layers.add([_separable_conv_block(p, filters, (5, 5), block_id="normal_left2_%s" % block_id),
                     _separable_conv_block(p, filters, (3, 3), block_id="normal_right2_%s" % block_id)],
                    name="normal_add_2_%s" % block_id)
    x3 = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name="normal_left3_%s" % block_id)(h)
    x3 = layers.add([x3, p], name="normal_add_3_%s" % block_id)
    x4_1 = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name="normal_left4_%s" % block_id)(p)
    x4_2 = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name="normal_right4_%s" % block_id)(p)
    x4 = layers.add([x4_1, x4_2], name="normal_add_4_%s" % block_id)
    x5 = _separable_conv_block(h, filters, block_id="normal_left5_%s" % block_id)
    x5 = layers.add([x5, h], name="normal_add_5_%s" % block_id)
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name="normal_concat_%s" % block_id)
    return x, ip


def _reduction_a_cell(ip, p, filters, block_id=None):
    p = _adjust_block(p, ip, filters, block_id)
    h = layers.Activation("relu")(ip)
    h = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", name="reduction_conv_1_%s" % block_id,
                      use_bias=False)(h)
    h = _bn(h, "reduction_bn_1_%s" % block_id)
    h3 = layers.ZeroPadding2D(padding=iu.correct_pad(h, 3), name="reduction_pad_1_%s" % block_id)(h)
    x1 = layers.add([
        _separable_conv_block(h, filters, (5, 5), strides=(2, 2), block_id="reduction_left1_%s" % block_id),
        _separable_conv_block(p, filters, (7, 7), strides=(2, 2), block_id="reduction_right1_%s" % block_id),
    ], name="reduction_add_1_%s" % block_id)
    x2 = layers.add([
        layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name="reduction_left2_%s" % block_id)(h3),
        _separable_conv_block(p, filters, (7, 7), strides=(2, 2), block_id="reduction_right2_%s" % block_id),
    ], name="reduction_add_2_%s" % block_id)
    x3 = layers.add([
        layers.AveragePooling2D((3, 3), strides=(2, 2), padding="valid", name="reduction_left3_%s" % block_id)(h3),
        _separable_conv_block(p, filters, (5, 5), strides=(2, 2), block_id="reduction_right3_%s" % block_id),
    ], name="reduction_add3_%s" % block_id)
    x4 = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name="reduction_left4_%s" % block_id)(x1)
    x4 = layers.add([x2, x4])
    x5 = layers.add([
        _separable_conv_block(x1, filters, (3, 3), block_id="reduction_left4_%s" % block_id),
        layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name="reduction_right5_%s" % block_id)(h3),
    ], name="reduction_add4_%s" % block_id)
    x = layers.concatenate([x2, x3, x4, x5], axis=-1, name="reduction_concat_%s" % block_id)
    return x, ip


def NASNet(input_shape, penultimate_filters, num_blocks, stem_block_filters, skip_reduction, filter_multiplier,
           include_top, weights, input_tensor, pooling, classes, default_size, classifier_activation, kwargs, function):
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError("When specifying the input shape of a NASNet and loading ImageNet weights, the input_shape "
                         "argument must be static (no None entries). Got: input_shape=" + str(input_shape))
    img_input, input_shape = iu.prepare(weights, include_top, classes, input_tensor, input_shape, default_size,
                                        require_flatten=True)
    if penultimate_filters % (24 * (filter_multiplier ** 2)) != 0:
        raise ValueError("For NASNet-A models, the penultimate_filters must be a multiple of 24 * "
                         "(filter_multiplier ** 2). Current value: %d" % penultimate_filters)
    filters = penultimate_filters // 24
    x = layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False,
                      name="stem_conv1")(img_input)
    x = _bn(x, "stem_bn1")
    p = None
    x, p = _reduction_a_cell(x, p, filters // (filter_multiplier ** 2), block_id="stem_1")
    x, p = _reduction_a_cell(x, p, filters // filter_multiplier, block_id="stem_2")
    for i in range(num_blocks):
        x, p = _normal_a_cell(x, p, filters, block_id="%d" % i)
    x, p0 = _reduction_a_cell(x, p, filters * filter_multiplier, block_id="reduce_%d" % num_blocks)
    p = p0 if not skip_reduction else p
    for i in range(num_blocks):
        x, p = _normal_a_cell(x, p, filters * filter_multiplier, block_id="%d" % (num_blocks + i + 1))
    x, p0 = _reduction_a_cell(x, p, filters * filter_multiplier ** 2, block_id="reduce_%d" % (2 * num_blocks))
    p = p0 if not skip_reduction else p
    for i in range(num_blocks):
        x, p = _normal_a_cell(x, p, filters * filter_multiplier ** 2, block_id="%d" % (2 * num_blocks + i + 1))
    x = layers.Activation("relu")(x)
    x = iu.classifier(x, include_top, pooling, classes, classifier_activation, weights, gap_name=None)
    # Keras 3 names the models nasnet_mobile and nasnet_large
    return iu.make_model(input_tensor, img_input, x, "nasnet_" + function[len("NASNet"):].lower(), kwargs, function)


def NASNetMobile(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000,
                 classifier_activation="softmax", **kwargs):
    return NASNet(input_shape, 1056, 4, 32, False, 2, include_top, weights, input_tensor, pooling, classes, 224,
                  classifier_activation, kwargs, "NASNetMobile")


def NASNetLarge(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    return NASNet(input_shape, 4032, 6, 96, True, 2, include_top, weights, input_tensor, pooling, classes, 331,
                  classifier_activation, kwargs, "NASNetLarge")


def preprocess_input(x, data_format=None):
    return iu.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = iu.decode_predictions
`;
