// What a run can do but a user would not want without knowing: the warnings found before training
// (the CLI prints them, `--json` and the panel list them). The loader adds its own (images it
// converted), the loop its reason to stop (a diverged loss).
import type { DataSplits } from '../data/dataset';
import type { Network } from '../graph/network';

export function trainWarnings(net: Network, data: DataSplits): string[] {
  const warnings = [...(data.warnings ?? [])];
  const labels = new Set(data.train.y);
  if (data.train.n > 0 && labels.size < 2) {
    const name = data.train.classNames?.[data.train.y[0]] ?? String(data.train.y[0]);
    warnings.push(`the training data has one class only (${name}): any model scores 100 % on it, and learns nothing`);
  }
  if (net.params.every((p) => p.value.length === 0)) warnings.push('the model has 0 trainable parameters: training cannot change it');
  return warnings;
}
