// Loss modules: models often hold one (`self.criterion = nn.MSELoss()`) and some call it in
// forward. None has parameters (a `weight` or `pos_weight` is a buffer); their compute is not
// counted, as for every layer but convolutions, linear and recurrent ones. The output is a scalar
// when reduced; with reduction='none', the input's shape for the element-wise losses and unknown
// (said so) for the others, whose unreduced shapes depend on their targets.
import { ArgReader } from '../../../shapes/args';
import { singleInput } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import type { TorchLayerSpec } from './spec';

type Sig = Array<[string, unknown]>;
const LEGACY: Sig = [['size_average', null], ['reduce', null]];

function lossSpec(name: string, signature: Sig, elementwise: boolean): TorchLayerSpec {
  return {
    signature,
    parameters: () => [],
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const x = singleInput(r, inputs);
      const reduction = r.str('reduction');
      const allowed = name === 'KLDivLoss' ? ['mean', 'batchmean', 'sum', 'none'] : ['mean', 'sum', 'none'];
      if (reduction !== null && !allowed.includes(reduction)) r.invalid('reduction', `must be ${allowed.map((a) => `'${a}'`).join(', ')}, got '${reduction}'`);
      // the legacy size_average/reduce flags decide the reduction when set: reduce=False keeps every element
      const none = reduction === 'none' || cfg.reduce === false;
      if (x !== null && none && !elementwise) r.error('unknown-output', `the unreduced ${name}'s shape depends on its target, which ConvLens does not read`, 'info');
      return result(r, x === null ? null : none ? (elementwise ? x : null) : [], 0);
    },
  };
}

const reduction: Sig = [['reduction', 'mean']];
const weighted: Sig = [['weight', null], ...LEGACY];

export const LOSS_LAYERS: Record<string, TorchLayerSpec> = {
  L1Loss: lossSpec('L1Loss', [...LEGACY, ...reduction], true),
  MSELoss: lossSpec('MSELoss', [...LEGACY, ...reduction], true),
  CrossEntropyLoss: lossSpec('CrossEntropyLoss', [['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ...reduction, ['label_smoothing', 0.0]], false),
  NLLLoss: lossSpec('NLLLoss', [['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ...reduction], false),
  BCELoss: lossSpec('BCELoss', [...weighted, ...reduction], true),
  BCEWithLogitsLoss: lossSpec('BCEWithLogitsLoss', [...weighted, ...reduction, ['pos_weight', null]], true),
  SmoothL1Loss: lossSpec('SmoothL1Loss', [...LEGACY, ...reduction, ['beta', 1.0]], true),
  HuberLoss: lossSpec('HuberLoss', [...reduction, ['delta', 1.0]], true),
  KLDivLoss: lossSpec('KLDivLoss', [...LEGACY, ...reduction, ['log_target', false]], true),
  SoftMarginLoss: lossSpec('SoftMarginLoss', [...LEGACY, ...reduction], true),
  PoissonNLLLoss: lossSpec('PoissonNLLLoss', [['log_input', true], ['full', false], ['size_average', null], ['eps', 1e-8], ['reduce', null], ...reduction], true),
  GaussianNLLLoss: lossSpec('GaussianNLLLoss', [['full', false], ['eps', 1e-6], ...reduction], true),
  MultiLabelSoftMarginLoss: lossSpec('MultiLabelSoftMarginLoss', [...weighted, ...reduction], false),
  CosineEmbeddingLoss: lossSpec('CosineEmbeddingLoss', [['margin', 0.0], ...LEGACY, ...reduction], false),
  MarginRankingLoss: lossSpec('MarginRankingLoss', [['margin', 0.0], ...LEGACY, ...reduction], false),
  HingeEmbeddingLoss: lossSpec('HingeEmbeddingLoss', [['margin', 1.0], ...LEGACY, ...reduction], false),
  TripletMarginLoss: lossSpec('TripletMarginLoss', [['margin', 1.0], ['p', 2.0], ['eps', 1e-6], ['swap', false], ...LEGACY, ...reduction], false),
  MultiMarginLoss: lossSpec('MultiMarginLoss', [['p', 1], ['margin', 1.0], ...weighted, ...reduction], false),
  MultiLabelMarginLoss: lossSpec('MultiLabelMarginLoss', [...LEGACY, ...reduction], false),
  CTCLoss: lossSpec('CTCLoss', [['blank', 0], ...reduction, ['zero_infinity', false]], false),
};
