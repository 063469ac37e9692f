// PyTorch Lightning's LightningModule (`pytorch_lightning`, `lightning.pytorch`, `lightning`), for
// workspaces without the library: an nn.Module whose `save_hyperparameters` keeps the constructor's
// arguments in `self.hparams` (attribute access too); logging and the training hooks do nothing
// here, as they change no layer. Written for ConvLens from Lightning's documented API.
export const LIGHTNING_CORE = `
import inspect
from torch import nn


class AttributeDict:
    # a dict with attribute access (self.hparams.lr), kept as a plain class: it is all models use
    def __init__(self):
        self._items = {}

    def __getattr__(self, key):
        if key in self._items:
            return self._items[key]
        raise AttributeError(key)

    def __getitem__(self, key):
        return self._items[key]

    def __setitem__(self, key, value):
        self._items[key] = value

    def __contains__(self, key):
        return key in self._items

    def get(self, key, default=None):
        return self._items.get(key, default)

    def keys(self):
        return self._items.keys()

    def items(self):
        return self._items.items()


class LightningModule(nn.Module):
    def __init__(self, *args, **kwargs):
        super().__init__()
        self.hparams = AttributeDict()

    def save_hyperparameters(self, *args, ignore=None, frame=None, logger=True):
        frame = inspect.currentframe().f_back
        _, _, _, local_vars = inspect.getargvalues(frame)
        skip = set([ignore] if isinstance(ignore, str) else list(ignore or [])) | {'self', '__class__'}
        names = [a for a in args if isinstance(a, str)]
        for k, v in local_vars.items():
            if k in skip or k.startswith('_') or (names and k not in names):
                continue
            self.hparams[k] = v

    def log(self, *args, **kwargs):
        pass

    def log_dict(self, *args, **kwargs):
        pass


class LightningDataModule:
    # data, not a model: known, so that a subclass is no 'unknown base' warning
    def __init__(self, *args, **kwargs):
        pass

    def prepare_data(self):
        pass

    def setup(self, stage=None):
        pass


class Trainer:
    # training is not run here (fit/validate/test/predict change no layer); fit runs one training_step on the first
    # batch of the train loader, so that the model's call on it gives its input (a DataModule's data, for instance).
    # What fails there is Lightning's business at run time, not a line of the file: it is left out.
    def __init__(self, *args, **kwargs):
        pass

    def fit(self, model, train_dataloaders=None, val_dataloaders=None, datamodule=None, ckpt_path=None):
        try:
            loader = train_dataloaders
            if loader is None and datamodule is not None:
                datamodule.prepare_data()
                datamodule.setup("fit")
                loader = datamodule.train_dataloader()
            if loader is None and hasattr(model, "train_dataloader"):
                loader = model.train_dataloader()
            if loader is not None:
                model.training_step(next(iter(loader)), 0)
        except Exception:
            pass

    def validate(self, *args, **kwargs):
        pass

    def test(self, *args, **kwargs):
        pass

    def predict(self, *args, **kwargs):
        pass


class Callback:
    def __init__(self, *args, **kwargs):
        pass


def seed_everything(seed=None, workers=False):
    return seed

from pytorch_lightning import callbacks, loggers
`;

/** Callbacks and loggers: constructed with any arguments, they do nothing a summary shows. */
const plain = (names: string[], base: string) => names.map((n) => `class ${n}(${base}):\n    pass\n`).join('\n');
export const LIGHTNING_CALLBACKS = `from pytorch_lightning import Callback\n\n\n${plain(['ModelCheckpoint', 'EarlyStopping',
  'LearningRateMonitor', 'TQDMProgressBar', 'RichProgressBar', 'StochasticWeightAveraging', 'ModelSummary', 'RichModelSummary',
  'GradientAccumulationScheduler', 'Timer', 'BackboneFinetuning', 'BaseFinetuning'], 'Callback')}`;
export const LIGHTNING_LOGGERS = `class Logger:\n    def __init__(self, *args, **kwargs):\n        pass\n\n\n${plain(['TensorBoardLogger',
  'CSVLogger', 'WandbLogger', 'MLFlowLogger', 'CometLogger', 'NeptuneLogger'], 'Logger')}`;

/** Where each Lightning release also defines the classes (`pytorch_lightning.core.lightning` before 1.7,
 * `core.module` and `core.datamodule` since): the same classes under those names, below `root`. */
export const LIGHTNING_CORE_PATHS = (root: string): Record<string, string> => {
  const names = 'from pytorch_lightning import LightningModule, LightningDataModule\n';
  return Object.fromEntries(['__init__', 'lightning', 'module', 'datamodule'].map((m) => [`${root}/core/${m}.py`, names]));
};

/** `lightning` and `lightning.pytorch` re-export the same names as `pytorch_lightning`. */
export const LIGHTNING_REEXPORT = `
from pytorch_lightning import LightningModule, LightningDataModule, Trainer, Callback, seed_everything, callbacks, loggers
`;
