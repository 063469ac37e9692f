// The lazy layers (nn.LazyConv2d, nn.LazyLinear, nn.LazyBatchNorm2d, …): the concrete class each
// becomes at its first call (PyTorch's `cls_to_become`), its constructor signature (the concrete
// one without the size it infers) and how that size is read from the first input, exactly as
// PyTorch's `initialize_parameters` reads it.
import { formatShape, type Dim, type Shape } from '../../../shapes/dim';
import { CONV_LAYERS } from './conv';
import { LINEAR_LAYERS } from './linear';
import { NORM_LAYERS } from './norm';
import type { TorchLayerSpec } from './spec';

/** What the first input gives: the size, or the exception PyTorch raises there. */
export type Inferred = { size: Dim } | { raise: string; message: string };

export interface LazyLayerSpec {
  /** The concrete class the module becomes after its first call (`Conv2d` for `LazyConv2d`). */
  becomes: string;
  /** The constructor argument taken from the first input (`in_channels`, `in_features`, `num_features`). */
  inferred: string;
  signature: Array<[string, unknown]>;
  infer(input: Shape, layer: string): Inferred;
}

const without = (spec: TorchLayerSpec, name: string): Array<[string, unknown]> => spec.signature.filter(([n]) => n !== name);

function lazyConv(n: number, transposed: boolean): LazyLayerSpec {
  const becomes = `${transposed ? 'ConvTranspose' : 'Conv'}${n}d`;
  return {
    becomes,
    inferred: 'in_channels',
    signature: without(CONV_LAYERS[becomes], 'in_channels'),
    // _LazyConvXdMixin._get_in_channels: dim 1 when batched, dim 0 when not, any other rank raises
    infer: (x, layer) => (x.length === n + 2 ? { size: x[1] } : x.length === n + 1 ? { size: x[0] } : {
      raise: 'RuntimeError',
      message: `Expected ${n + 1}D (unbatched) or ${n + 2}D (batched) input to ${layer}, but got input of size: ${formatShape(x)}`,
    }),
  };
}

/** _LazyNormBase: `num_features = input.shape[1]` whatever the rank; affine and running stats on by default. */
function lazyNorm(becomes: string): LazyLayerSpec {
  const signature = without(NORM_LAYERS[becomes], 'num_features')
    .map(([name, dflt]): [string, unknown] => (name === 'affine' || name === 'track_running_stats' ? [name, true] : [name, dflt]));
  return {
    becomes,
    inferred: 'num_features',
    signature,
    infer: (x) => (x.length >= 2 ? { size: x[1] } : { raise: 'IndexError', message: 'tuple index out of range' }),
  };
}

const lazyLinear: LazyLayerSpec = {
  becomes: 'Linear',
  inferred: 'in_features',
  signature: without(LINEAR_LAYERS.Linear, 'in_features'),
  infer: (x) => (x.length >= 1 ? { size: x[x.length - 1] } : { raise: 'IndexError', message: 'tuple index out of range' }),
};

export const LAZY_LAYERS: Record<string, LazyLayerSpec> = {
  ...Object.fromEntries([1, 2, 3].flatMap((n) => [
    [`LazyConv${n}d`, lazyConv(n, false)],
    [`LazyConvTranspose${n}d`, lazyConv(n, true)],
    [`LazyBatchNorm${n}d`, lazyNorm(`BatchNorm${n}d`)],
    [`LazyInstanceNorm${n}d`, lazyNorm(`InstanceNorm${n}d`)],
  ])),
  LazyLinear: lazyLinear,
};
