// The Keras layer catalogue: every `keras.layers` class the engine knows, keyed by class name,
// with its constructor signature, the weights its build creates and its shape/MAC rule. MACs
// follow the same convention as for PyTorch (convolution, dense, recurrent and attention layers:
// matrix products only).
import { ATTENTION_LAYERS } from './attention';
import { CONV_LAYERS } from './conv';
import { CONVLSTM_LAYERS } from './convlstm';
import { DENSE_LAYERS } from './dense';
import { ELEMENTWISE_LAYERS } from './elementwise';
import { MERGE_LAYERS } from './merge';
import { NORM_LAYERS } from './norm';
import { POOL_LAYERS } from './pool';
import { RECURRENT_LAYERS } from './recurrent';
import { RESHAPE_LAYERS } from './reshape';
import { RESIZE_LAYERS } from './resize';
import type { KerasLayerSpec } from './spec';
import { WRAPPER_LAYERS } from './wrappers';

export const KERAS_LAYERS: Record<string, KerasLayerSpec> = {
  ...CONV_LAYERS,
  ...DENSE_LAYERS,
  ...NORM_LAYERS,
  ...POOL_LAYERS,
  ...MERGE_LAYERS,
  ...RESHAPE_LAYERS,
  ...ELEMENTWISE_LAYERS,
  ...RESIZE_LAYERS,
  ...RECURRENT_LAYERS,
  ...CONVLSTM_LAYERS,
  ...ATTENTION_LAYERS,
  ...WRAPPER_LAYERS,
};

/** Older spellings that Keras still exports. */
export const KERAS_ALIASES: Record<string, string> = {
  Convolution1D: 'Conv1D', Convolution2D: 'Conv2D', Convolution3D: 'Conv3D',
  Convolution2DTranspose: 'Conv2DTranspose', Deconvolution2D: 'Conv2DTranspose',
  SeparableConvolution2D: 'SeparableConv2D', MaxPool1D: 'MaxPooling1D', MaxPool2D: 'MaxPooling2D', MaxPool3D: 'MaxPooling3D',
  AvgPool1D: 'AveragePooling1D', AvgPool2D: 'AveragePooling2D', AvgPool3D: 'AveragePooling3D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D', GlobalMaxPool2D: 'GlobalMaxPooling2D', GlobalMaxPool3D: 'GlobalMaxPooling3D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D', GlobalAvgPool2D: 'GlobalAveragePooling2D', GlobalAvgPool3D: 'GlobalAveragePooling3D',
};

/** The functional spellings of the merge layers (`layers.add([a, b])`). */
export const MERGE_FUNCTIONS: Record<string, string> = {
  add: 'Add', subtract: 'Subtract', multiply: 'Multiply', average: 'Average', maximum: 'Maximum', minimum: 'Minimum', concatenate: 'Concatenate', dot: 'Dot',
};
