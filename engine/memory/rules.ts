// What autograd keeps for the backward pass, per op: one table, from PyTorch's derivative
// definitions (tools/autograd/derivatives.yaml) and checked op by op against PyTorch 1.13 on the CPU
// (test/fixtures/memory: saved_tensors_hooks, unique storages). Parameters and buffers that an op
// saves (a conv's weight, BatchNorm's running statistics) are not activations: they are counted once
// as parameters and buffers.

/**
 * A tensor an op keeps:
 * - `input`: its first tensor input (the same storage, whoever else keeps it); `inputs`: every tensor input;
 * - `output`: its result;
 * - `mask`: a dropout mask, one element per input element, in the activation dtype (the CPU kernel
 *   multiplies by a float mask; CUDA's fused kernel keeps a 1-byte bool mask instead);
 * - `channelMask`: Dropout2d/3d's mask, one element per (sample, channel);
 * - `indices`: int64, one per output element (max pooling);
 * - `channelStats`: mean and inverse std per channel (BatchNorm in training), 2·C;
 * - `sampleStats`: mean and rstd per normalised slice (LayerNorm), 2·numel/∏normalized_shape;
 * - `groupStats`: mean and rstd per (sample, group) (GroupNorm), 2·N·G;
 * - `preActivation`: a Keras layer's result before its fused activation, the size of its output;
 * - `instanceStats`: InstanceNorm runs BatchNorm on (1, N·C, …): 2·N·C, plus the N-times repeated weight when affine;
 * - `recurrent`: an RNN/LSTM/GRU's input, every step's gates and states, each layer's output (recurrent.ts).
 */
export type Kept = 'input' | 'inputs' | 'output' | 'mask' | 'channelMask' | 'indices' | 'channelStats' | 'sampleStats'
  | 'groupStats' | 'instanceStats' | 'preActivation' | 'recurrent';

/**
 * When it keeps them: `anyGrad` when its input or its own parameters need a gradient (conv, BatchNorm: one
 * backward formula for all); `inputGrad` only when an input needs one (activations, pooling); `weightGrad`
 * only when its weight trains (linear: the input is needed for the weight's gradient alone).
 */
export type Needs = 'anyGrad' | 'inputGrad' | 'weightGrad';

export interface MemoryRule {
  keeps: Kept[];
  needs: Needs;
  /** The result is a view of the first input: no new storage (views, reshapes, Identity). */
  view?: boolean;
  /** In place (`inplace=True`), it keeps its output instead of a copy of its input (leaky_relu_, elu_). */
  inplaceKeepsOutput?: boolean;
  /** What PyTorch's derivative keeps, in words (README and hover). */
  why: string;
}

const rule = (keeps: Kept[], needs: Needs, why: string, extra: Partial<MemoryRule> = {}): MemoryRule => ({ keeps, needs, why, ...extra });

const CONV = rule(['input'], 'anyGrad', 'its input (for the weight gradient; the weight is a parameter)');
const LINEAR = rule(['input'], 'weightGrad', 'its input, when its weight trains');
const BATCH_NORM = rule(['input', 'channelStats'], 'anyGrad', 'its input and the per-channel mean and inverse std');
const OUTPUT = rule(['output'], 'inputGrad', 'its output');
const INPUT = rule(['input'], 'inputGrad', 'its input');
const INPUT_INPLACE_OUT = rule(['input'], 'inputGrad', 'its input (in place: its output)', { inplaceKeepsOutput: true });
const MAX_POOL = rule(['input', 'indices'], 'inputGrad', 'its input and the int64 indices of the maxima');
const NOTHING = rule([], 'inputGrad', 'nothing (its gradient needs only sizes)');
const VIEW = rule([], 'inputGrad', 'nothing (a view of its input)', { view: true });
const INPUT_OUTPUT = rule(['input', 'output'], 'inputGrad', 'its input and its result (to find where the result came from)');
const BOTH = rule(['inputs'], 'inputGrad', 'both operands (each one is the other\'s gradient factor)');
const DROPOUT = rule(['mask'], 'inputGrad', 'its mask, one element per input element');
const FEATURE_DROPOUT = rule(['channelMask'], 'inputGrad', 'its mask, one element per sample and channel');

const table: Record<string, MemoryRule> = {};
const put = (names: string, r: MemoryRule) => { for (const n of names.split(/\s+/).filter(Boolean)) table[n] = r; };

// PyTorch modules (graph `module` nodes) and the functional ops the tracer names (graph `op` nodes)
put('Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d conv1d conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d', CONV);
put('Linear linear Bilinear', LINEAR);
put('BatchNorm1d BatchNorm2d BatchNorm3d SyncBatchNorm batch_norm', BATCH_NORM);
put('LayerNorm layer_norm', rule(['input', 'sampleStats'], 'anyGrad', 'its input and the mean and rstd of each normalised slice'));
put('GroupNorm group_norm', rule(['input', 'groupStats'], 'anyGrad', 'its input and the mean and rstd per sample and group'));
put('InstanceNorm1d InstanceNorm2d InstanceNorm3d instance_norm',
  rule(['input', 'instanceStats'], 'anyGrad', 'its input and the mean and inverse std per sample and channel (and the repeated weight)'));
put('ReLU relu Sigmoid sigmoid Tanh tanh Softmax softmax LogSoftmax log_softmax Softmin softmin exp', OUTPUT);
put('ReLU6 relu6 Hardtanh hardtanh Hardswish hardswish Hardsigmoid hardsigmoid SiLU silu GELU gelu Mish mish Softplus softplus '
  + 'Softsign softsign LogSigmoid logsigmoid Tanhshrink tanhshrink SELU selu CELU celu PReLU prelu RReLU rrelu Threshold threshold '
  + 'log sqrt rsqrt abs reciprocal sin cos pow square clamp', INPUT);
put('amax amin logsumexp norm', INPUT_OUTPUT);
put('maximum minimum', BOTH);
put('LeakyReLU leaky_relu ELU elu', INPUT_INPLACE_OUT);
put('MaxPool1d MaxPool2d MaxPool3d max_pool1d max_pool2d max_pool3d AdaptiveMaxPool1d AdaptiveMaxPool2d AdaptiveMaxPool3d '
  + 'adaptive_max_pool1d adaptive_max_pool2d adaptive_max_pool3d', MAX_POOL);
put('AvgPool1d AvgPool2d AvgPool3d avg_pool1d avg_pool2d avg_pool3d AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d '
  + 'adaptive_avg_pool1d adaptive_avg_pool2d adaptive_avg_pool3d', rule(['input'], 'inputGrad', 'its input (PyTorch keeps it, though only its size is needed)'));
put('ReflectionPad1d ReflectionPad2d ReflectionPad3d ReplicationPad1d ReplicationPad2d ReplicationPad3d', INPUT);
put('Dropout Dropout1d AlphaDropout dropout alpha_dropout', DROPOUT);
put('Dropout2d Dropout3d FeatureAlphaDropout dropout1d dropout2d dropout3d feature_alpha_dropout', FEATURE_DROPOUT);
put('mul div matmul mm bmm', BOTH);
put('add sub neg cat stack ZeroPad1d ZeroPad2d ZeroPad3d ConstantPad1d ConstantPad2d ConstantPad3d pad Upsample upsample '
  + 'UpsamplingNearest2d UpsamplingBilinear2d interpolate PixelShuffle PixelUnshuffle pixel_shuffle pixel_unshuffle sum constant '
  + 'indices repeat roll flip cumsum', NOTHING);
put('Flatten Unflatten Identity flatten view reshape squeeze unsqueeze permute transpose expand expand_as chunk split unbind '
  + 'narrow index unfold_view t', VIEW);
// a parameter an op reads (`self.layer_scale * x`): its bytes are the parameter's, counted once as such
put('parameter', rule([], 'inputGrad', 'nothing (a parameter: counted with the parameters)'));
put('RNN LSTM GRU', rule(['recurrent'], 'anyGrad', 'its input, each step\'s gates and states and each layer\'s output'));
put('RNN.state LSTM.state GRU.state', NOTHING);
put('Embedding embedding', rule(['input'], 'weightGrad', 'its int64 indices'));

// Keras layers, by the same rules where the layer maps onto a PyTorch op (TensorFlow's own gradient code
// keeps slightly different tensors: its max pooling keeps input and output, not indices)
put('Conv1D Conv2D Conv3D Conv1DTranspose Conv2DTranspose Conv3DTranspose DepthwiseConv2D', CONV);
put('Dense', LINEAR);
put('BatchNormalization', BATCH_NORM);
put('MaxPooling1D MaxPooling2D MaxPooling3D', MAX_POOL);
put('AveragePooling1D AveragePooling2D AveragePooling3D GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D',
  rule(['input'], 'inputGrad', 'its input'));
put('Add Subtract Concatenate ZeroPadding1D ZeroPadding2D ZeroPadding3D UpSampling1D UpSampling2D UpSampling3D Rescaling', NOTHING);
put('Flatten Reshape Permute InputLayer', VIEW);
put('SpatialDropout1D SpatialDropout2D SpatialDropout3D', FEATURE_DROPOUT);
put('Multiply', BOTH);

const KERAS_OUTPUT_ACTIVATIONS = new Set(['relu', 'sigmoid', 'tanh', 'softmax', 'exponential']);
const KERAS_INPUT_ACTIVATIONS = new Set(['relu6', 'gelu', 'silu', 'swish', 'elu', 'selu', 'softplus', 'softsign', 'hard_sigmoid',
  'hard_silu', 'hard_swish', 'leaky_relu', 'mish']);

/** A Keras layer with a fused `activation=`: the layer's rule, then the activation's (its output, or its input: a new tensor). */
function withActivation(base: MemoryRule | undefined, activation: unknown): MemoryRule | undefined {
  if (!base || activation === undefined || activation === null || activation === 'linear') return base;
  if (typeof activation !== 'string') return undefined;
  if (KERAS_OUTPUT_ACTIVATIONS.has(activation)) return { ...base, keeps: [...base.keeps, 'output'], why: `${base.why}, and its ${activation}'s output` };
  // the activation's input is the layer's pre-activation result, a tensor of the output's size the graph does not show
  if (KERAS_INPUT_ACTIVATIONS.has(activation)) return { ...base, keeps: [...base.keeps, 'preActivation'], why: `${base.why}, and its result before ${activation}` };
  return undefined;
}

/** The rule for a graph node's type, or undefined when ConvLens has none (the totals are then lower bounds). */
export function memoryRule(type: string, config: Record<string, unknown>, outputRank: number | undefined): MemoryRule | undefined {
  // mean over some dimensions keeps its input in PyTorch 1.13; over all of them, only the size
  if (type === 'mean') return outputRank === 0 ? NOTHING : INPUT;
  // max/min over a dimension keep the int64 indices of their result; over everything, input and result
  if (type === 'max' || type === 'min') {
    return typeof config.dim === 'number' ? rule(['indices'], 'inputGrad', 'the int64 indices of the extremes') : INPUT_OUTPUT;
  }
  // dropout with p = 0 returns its input unchanged
  if ((type === 'dropout' || type === 'Dropout') && config.p === 0) return VIEW;
  if (type === 'Activation') {
    const a = config.activation;
    return typeof a !== 'string' ? undefined : KERAS_OUTPUT_ACTIVATIONS.has(a) ? OUTPUT : KERAS_INPUT_ACTIVATIONS.has(a) ? INPUT
      : a === 'linear' ? VIEW : undefined;
  }
  return 'activation' in config ? withActivation(table[type], config.activation) : table[type];
}

/** Every op type with a rule, for the table test and the README. */
export const MEMORY_RULES: Readonly<Record<string, MemoryRule>> = table;
