// What a run can do but a user would not want without knowing: the warnings found before training
// (the CLI prints them, `--json` and the panel list them). The loader adds its own (images it
// converted), the loop its reason to stop (a diverged loss).
import type { DataSplits } from '../data/dataset';
import type { Network } from '../graph/network';
import { paramCounts } from '../graph/trainable';
import { KERAS_AUGMENTATIONS } from '../layers/augment';
import { thousands } from '../../report/thousands';

export function trainWarnings(net: Network, data: DataSplits): string[] {
  const warnings = [...(data.warnings ?? [])];
  const labels = new Set(data.train.y);
  if (data.train.n > 0 && labels.size < 2) {
    const name = data.train.classNames?.[data.train.y[0]] ?? String(data.train.y[0]);
    warnings.push(`the training data has one class only (${name}): any model scores 100 % on it, and learns nothing`);
  }
  const { trainable, frozen } = paramCounts(net.params), n = thousands;
  if (trainable === 0) {
    // BatchNorm still updates its running statistics in training mode, frozen or not (as in PyTorch)
    const stats = net.state.some((e) => e.name.endsWith('running_mean'));
    warnings.push(`the model has 0 trainable parameters${frozen ? ` (all ${n(frozen)} are frozen)` : ''}: training cannot change ${stats ? 'its weights, only BatchNorm\'s running statistics' : 'it'}`);
  }
  // the pipeline feeds images scaled to [0, 1] and normalised per channel; a Keras model that scales its own input
  // (Rescaling(1 / 255), Normalization) scales them once more
  for (const node of net.nodes) {
    if ((node.type === 'Rescaling' || node.type === 'Normalization') && node.inputs.some((j) => net.nodes[j].layer === null)) {
      warnings.push(`the model's ${node.type} (line ${node.line}) scales images that ConvLens already scaled to [0, 1] and normalised per channel: `
        + 'the model sees them scaled twice (keep it for model.fit on raw pixels; training here is slower with it)');
      break;
    }
  }
  const augments = net.nodes.filter((node) => KERAS_AUGMENTATIONS.includes(node.type));
  if (augments.length) {
    warnings.push(`the model's own ${augments.map((a) => `${a.type} (line ${a.line})`).join(', ')} transform each training image at random, `
      + 'with ConvLens\'s seeded draws (the kind of transform Keras makes, not its exact run); evaluation and testing see the images as they are');
  }
  if (frozen) warnings.push(`the ${n(frozen)} frozen parameters keep their initial values: ConvLens trains from its own seeded initialisation and does not load pretrained weights`);
  return warnings;
}
