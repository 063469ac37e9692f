// torchmetrics, for workspaces without it and in place of an installed copy (its sources need
// lightning_utilities and import-time introspection ConvLens does not run): metrics are nn.Modules whose
// state is not parameters, so a LightningModule that holds them keeps its exact counts. Metrics that hold a
// network (FrechetInceptionDistance, LPIPS) are left out on purpose: they stay unknown, named, never 0.
// Written for ConvLens from torchmetrics' documented API.

/** Metric classes with no network inside, at the top level and in their submodules. */
const COMMON = ['Accuracy', 'Precision', 'Recall', 'F1Score', 'FBetaScore', 'AUROC', 'AveragePrecision', 'ConfusionMatrix',
  'CohenKappa', 'MatthewsCorrCoef', 'Specificity', 'StatScores', 'CalibrationError', 'ROC', 'PrecisionRecallCurve',
  'HammingDistance', 'ExactMatch', 'JaccardIndex', 'Dice', 'HingeLoss'];
const REGRESSION = ['MeanSquaredError', 'MeanAbsoluteError', 'MeanAbsolutePercentageError', 'MeanSquaredLogError', 'R2Score',
  'ExplainedVariance', 'PearsonCorrCoef', 'SpearmanCorrCoef', 'CosineSimilarity', 'KLDivergence'];
const AGGREGATION = ['MeanMetric', 'SumMetric', 'MaxMetric', 'MinMetric', 'CatMetric', 'RunningMean', 'RunningSum'];
const IMAGE = ['StructuralSimilarityIndexMeasure', 'PeakSignalNoiseRatio', 'MultiScaleStructuralSimilarityIndexMeasure',
  'TotalVariation', 'UniversalImageQualityIndex', 'SpectralAngleMapper'];
/** torchmetrics.classification's task-specific spellings (MulticlassAccuracy, BinaryF1Score, …). */
const TASKS = ['Accuracy', 'Precision', 'Recall', 'F1Score', 'FBetaScore', 'AUROC', 'AveragePrecision', 'ConfusionMatrix',
  'CohenKappa', 'MatthewsCorrCoef', 'Specificity', 'StatScores', 'CalibrationError', 'ROC', 'PrecisionRecallCurve',
  'HammingDistance', 'ExactMatch', 'JaccardIndex'].flatMap((n) => ['Binary', 'Multiclass', 'Multilabel'].map((t) => `${t}${n}`));
const FUNCTIONS = ['accuracy', 'precision', 'recall', 'f1_score', 'fbeta_score', 'auroc', 'average_precision', 'confusion_matrix',
  'mean_squared_error', 'mean_absolute_error', 'r2_score', 'structural_similarity_index_measure', 'peak_signal_noise_ratio',
  'dice', 'jaccard_index', 'cosine_similarity', 'pearson_corrcoef'];

const classes = (names: string[]) => names.map((n) => `class ${n}(Metric):\n    pass\n`).join('\n');
const imports = (from: string, names: string[]) => `from ${from} import ${names.join(', ')}\n`;

export const TORCHMETRICS_CORE = `
import torch
from torch import nn


class Metric(nn.Module):
    # a metric's state (add_state) is tensors and lists, never parameters; its value a scalar tensor
    def __init__(self, *args, **kwargs):
        super().__init__()

    def add_state(self, name, default, dist_reduce_fx=None, persistent=False):
        setattr(self, name, default)

    def update(self, *args, **kwargs):
        pass

    def compute(self):
        return torch.tensor(0.0)

    def reset(self):
        pass

    def forward(self, *args, **kwargs):
        return torch.tensor(0.0)

    def clone(self):
        return self


class MetricCollection(nn.ModuleDict):
    def __init__(self, metrics, *additional_metrics, prefix=None, postfix=None, compute_groups=True):
        super().__init__()
        self.prefix = prefix
        self.postfix = postfix
        if isinstance(metrics, dict):
            for name, metric in metrics.items():
                self[name] = metric
        else:
            given = list(metrics) if isinstance(metrics, (list, tuple)) else [metrics]
            for metric in given + list(additional_metrics):
                self[type(metric).__name__] = metric

    def clone(self, prefix=None, postfix=None):
        return MetricCollection(dict(self.items()), prefix=prefix, postfix=postfix)

    def update(self, *args, **kwargs):
        pass

    def compute(self):
        return {name: torch.tensor(0.0) for name in self.keys()}

    def reset(self):
        pass

    def forward(self, *args, **kwargs):
        return self.compute()


${classes([...COMMON, ...REGRESSION, ...AGGREGATION])}
from torchmetrics import classification, regression, functional, image, aggregation
${imports('torchmetrics.image', IMAGE)}`;

export const TORCHMETRICS_CLASSIFICATION = `from torchmetrics import Metric, ${COMMON.join(', ')}\n\n\n${classes(TASKS)}`;
export const TORCHMETRICS_REGRESSION = imports('torchmetrics', REGRESSION);
export const TORCHMETRICS_AGGREGATION = imports('torchmetrics', AGGREGATION);
export const TORCHMETRICS_IMAGE = `from torchmetrics import Metric\n\n\n${classes(IMAGE)}`;
export const TORCHMETRICS_FUNCTIONAL = `import torch\n\n\n${FUNCTIONS.map((f) => `def ${f}(*args, **kwargs):\n    return torch.tensor(0.0)\n`).join('\n')}`;
