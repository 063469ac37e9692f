// The PyTorch layer catalog: every standard `torch.nn` layer class the engine knows, keyed by
// class name, with its constructor signature, its own parameters (state_dict names, buffers
// excluded) and its shape/MAC rule. MACs are per sample and count only convolution and linear
// layers, the convention of torchvision's "GFLOPS", plus recurrent and attention layers by the
// convention documented in recurrent.ts and attention.ts. A signature entry named `*args` / `**kwargs`
// collects extra positional / keyword arguments (Identity takes and ignores any).
import { ACTIVATION_LAYERS } from './activation';
import { ATTENTION_LAYERS } from './attention';
import { CONV_LAYERS } from './conv';
import { DISTANCE_LAYERS } from './distance';
import { DROPOUT_LAYERS } from './dropout';
import { EMBEDDING_LAYERS } from './embedding';
import { LINEAR_LAYERS } from './linear';
import { LOSS_LAYERS } from './loss';
import { NORM_LAYERS } from './norm';
import { PADDING_LAYERS } from './padding';
import { PIXEL_SHUFFLE_LAYERS } from './pixelshuffle';
import { POOL_LAYERS } from './pool';
import { RECURRENT_LAYERS } from './recurrent';
import { SHAPE_LAYERS } from './shape';
import type { TorchLayerSpec } from './spec';
import { UNPOOL_LAYERS } from './unpool';
import { UPSAMPLE_LAYERS } from './upsample';

export const TORCH_LAYERS: Record<string, TorchLayerSpec> = {
  ...CONV_LAYERS,
  ...LINEAR_LAYERS,
  ...NORM_LAYERS,
  ...POOL_LAYERS,
  ...UNPOOL_LAYERS,
  ...DROPOUT_LAYERS,
  ...ACTIVATION_LAYERS,
  ...SHAPE_LAYERS,
  ...PADDING_LAYERS,
  ...UPSAMPLE_LAYERS,
  ...EMBEDDING_LAYERS,
  ...PIXEL_SHUFFLE_LAYERS,
  ...RECURRENT_LAYERS,
  ...ATTENTION_LAYERS,
  ...LOSS_LAYERS,
  ...DISTANCE_LAYERS,
};
