// What a run can do but a user would not want without knowing: the warnings found before training
// (the CLI prints them, `--json` and the panel list them). The loader adds its own (images it
// converted), the loop its reason to stop (a diverged loss).
import type { DataSplits } from '../data/dataset';
import type { Network } from '../graph/network';
import { paramCounts } from '../graph/trainable';
import { KERAS_AUGMENTATIONS } from '../layers/augment';
import { BatchNorm } from '../layers/batchnorm';
import { Dropout } from '../layers/dropout';
import { thousands } from '../../report/thousands';
import type { ModelReport } from '../../report/types';
import { formatShape } from '../../shapes/dim';

/** `steps`: how many batches the run trains on (epochs × batches per epoch), when known; `model`: what the
 * model's forward returns. */
export function trainWarnings(net: Network, data: DataSplits, steps?: number, model?: Pick<ModelReport, 'outputShapes'>): string[] {
  const warnings = [...(data.warnings ?? [])];
  const outputs = model?.outputShapes;
  if (outputs && outputs.length > 1) {
    warnings.push(`the model returns ${outputs.length} tensors, ${outputs.map((s) => formatShape(s, 'N')).join(', ')}: training takes the first `
      + 'as the class scores (so does the exported script)');
  }
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
  const always = net.nodes.filter((node) => node.layer instanceof Dropout && node.layer.always);
  if (always.length) {
    warnings.push(`${always.map((d) => `F.${d.type} (line ${d.line})`).join(', ')} drops in evaluation too: its training= argument is left at `
      + 'its default, True, which model.eval() does not change; ConvLens evaluates the same way (pass training=self.training to drop in training only)');
  }
  const stale = staleStatistics(net, steps);
  if (stale) warnings.push(stale);
  if (frozen) warnings.push(`the ${n(frozen)} frozen parameters keep their initial values: ConvLens trains from its own seeded initialisation and does not load pretrained weights`);
  return warnings;
}

/**
 * Evaluation normalises with BatchNorm's running statistics, which start at mean 0 and variance 1 and take in
 * each batch with weight `momentum`: Keras's 0.01 (momentum=0.99) leaves 39 % of the start after 94 batches, and a
 * short run then tests far below its training accuracy, in Keras too. Said when more than 5 % would be left.
 */
function staleStatistics(net: Network, steps: number | undefined): string | null {
  if (steps === undefined || steps <= 0) return null;
  const bns = net.nodes.flatMap((n) => (n.layer instanceof BatchNorm && n.layer.momentum ? [{ n, m: n.layer.momentum }] : []));
  if (!bns.length) return null;
  const m = Math.min(...bns.map((b) => b.m)), left = (1 - m) ** steps;
  if (left <= 0.05) return null;
  const enough = Math.ceil(Math.log(0.05) / Math.log(1 - m)), line = bns.find((b) => b.m === m)!.n.line;
  return `the running statistics of ${bns.length === 1 ? 'the' : 'its'} BatchNorm layer${bns.length === 1 ? '' : 's'} (line ${line}: `
    + `each batch weighs ${Number(m.toPrecision(6))}) keep ${Math.round(left * 100)} % of their starting values after this run's ${thousands(steps)} batches, `
    + `and evaluation and testing normalise with them: the test accuracy can be far below the training accuracy, `
    + `as in ${net.conventions.keras ? 'Keras' : 'PyTorch'} (about ${thousands(enough)} batches leave less than 5 %)`;
}
