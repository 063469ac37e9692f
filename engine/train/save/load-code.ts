// The PyTorch (or Keras) code that loads a saved run's weights into the model of its file, with the input
// normalisation the engine trained with (per-channel mean and standard deviation of the data).
import type { Normalization } from '../data/augment';

export interface LoadCodeInput {
  /** The model's name in the report (a class name, or the variable of an nn.Sequential). */
  model: string;
  /** The model's file, relative to where the code runs (e.g. `examples/lenet_mnist.py`). */
  file: string;
  /** The weights file, relative to the same place. */
  weights: string;
  normalization: Normalization | null;
}

const list = (xs: number[]): string => `[${xs.map((x) => Number(x.toPrecision(6))).join(', ')}]`;

const moduleOf = (file: string): string => file.replace(/\.py$/, '').replace(/[\\/]/g, '.');

export function pytorchLoadCode(o: LoadCodeInput): string {
  const module = moduleOf(o.file);
  // A class is instantiated with its defaults; an instance (model = nn.Sequential(...)) is imported as it is.
  const isClass = /^[A-Z]/.test(o.model);
  const lines = [
    'import torch',
    'from safetensors.torch import load_file',
    isClass ? `from ${module} import ${o.model}` : `from ${module} import ${o.model} as model`,
    '',
    ...(isClass ? [`model = ${o.model}()`] : []),
    `model.load_state_dict(load_file(${JSON.stringify(o.weights)}))`,
    'model.eval()',
  ];
  if (o.normalization) {
    lines.push(
      '',
      '# ConvLens trained on images scaled to [0, 1] and normalised per channel with these statistics:',
      `mean = torch.tensor(${list(o.normalization.mean)}).view(1, -1, 1, 1)`,
      `std = torch.tensor(${list(o.normalization.std)}).view(1, -1, 1, 1)`,
      '# logits = model((images - mean) / std)',
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Keras: the weights are saved as `layer/weight` (`conv2d/kernel`) in Keras's shapes; a Keras 3 variable's
 * path ends with the same two parts. The model trained on channels-last images normalised per channel.
 */
export function kerasLoadCode(o: LoadCodeInput): string {
  const isClass = /^[A-Z]/.test(o.model);
  const lines = [
    'import numpy as np',
    'from safetensors.numpy import load_file',
    isClass ? `from ${moduleOf(o.file)} import ${o.model}` : `from ${moduleOf(o.file)} import ${o.model} as model`,
    '',
    ...(isClass ? [`model = ${o.model}()`] : []),
    `weights = load_file(${JSON.stringify(o.weights)})`,
    'for v in model.weights:',
    '    v.assign(weights["/".join(v.path.split("/")[-2:])])',
  ];
  if (o.normalization) {
    lines.push(
      '',
      '# ConvLens trained on images scaled to [0, 1] and normalised per channel with these statistics:',
      `mean = np.array(${list(o.normalization.mean)}).reshape(1, 1, 1, -1)`,
      `std = np.array(${list(o.normalization.std)}).reshape(1, 1, 1, -1)`,
      '# probabilities = model.predict((images - mean) / std)  # images: (N, H, W, C)',
    );
  }
  return lines.join('\n') + '\n';
}
