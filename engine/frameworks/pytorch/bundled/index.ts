// Libraries whose models are nn.Modules with a few conventions on top, shipped as small Python
// sources of our own (not the libraries' code): read only when the workspace has no package of
// that name (a user's own `d2l.py` or an installed copy found under the roots wins).
import type { BundledPackage } from '../../../python/bundled';
import { D2L_TORCH } from './d2l';
import { DATASETS_PY, DATA_PY, IMAGES_PY, TRANSFORMS_PY } from './data';
import { EINOPS_CORE, EINOPS_TORCH_LAYERS } from './einops';
import { LIGHTNING_CALLBACKS, LIGHTNING_CORE, LIGHTNING_CORE_PATHS, LIGHTNING_LOGGERS, LIGHTNING_REEXPORT } from './lightning';
import {
  TORCHMETRICS_AGGREGATION, TORCHMETRICS_CLASSIFICATION, TORCHMETRICS_CORE, TORCHMETRICS_FUNCTIONAL, TORCHMETRICS_IMAGE, TORCHMETRICS_REGRESSION,
} from './torchmetrics';

export const TORCH_COMPANIONS: BundledPackage[] = [
  // torch.utils.data, torchvision.datasets and torchvision.transforms (see data.ts), read under those names by the
  // PyTorch framework's modules, in place of an installed torchvision's (which read and download files)
  {
    name: '_convlens', version: '(ConvLens stand-in for torch.utils.data, torchvision.datasets and torchvision.transforms)',
    preferred: true, hidden: true,
    files: {
      '_convlens/__init__.py': '', '_convlens/data.py': DATA_PY, '_convlens/datasets.py': DATASETS_PY,
      '_convlens/transforms.py': TRANSFORMS_PY, '_convlens/images.py': IMAGES_PY,
    },
  },
  {
    name: 'd2l', version: '(ConvLens stand-in for d2l.torch)',
    files: {
      // the real package holds only submodules; code that writes `import d2l` then `d2l.Classifier` is
      // read as meaning d2l.torch's classes (the numbers are the same; Python would stop at the name)
      'd2l/__init__.py': 'from d2l.torch import add_to_class, HyperParameters, Module, Classifier, init_cnn\n',
      'd2l/torch.py': D2L_TORCH,
    },
  },
  // Lightning's own LightningModule needs frame and signature introspection ConvLens does not have (its
  // save_hyperparameters): the stand-in is read even when Lightning is installed; it adds no layer either way
  {
    name: 'pytorch_lightning', version: '(ConvLens stand-in)', preferred: true,
    files: {
      'pytorch_lightning/__init__.py': LIGHTNING_CORE, 'pytorch_lightning/callbacks.py': LIGHTNING_CALLBACKS,
      'pytorch_lightning/loggers.py': LIGHTNING_LOGGERS, ...LIGHTNING_CORE_PATHS('pytorch_lightning'),
    },
  },
  {
    name: 'lightning', version: '(ConvLens stand-in)', preferred: true,
    files: {
      'lightning/__init__.py': LIGHTNING_REEXPORT, 'lightning/pytorch/__init__.py': LIGHTNING_REEXPORT,
      'lightning/pytorch/callbacks.py': 'from pytorch_lightning.callbacks import *\n', 'lightning/pytorch/loggers.py': 'from pytorch_lightning.loggers import *\n',
      ...LIGHTNING_CORE_PATHS('lightning/pytorch'),
    },
  },
  // metrics hold no parameters: an installed torchmetrics is not read (see torchmetrics.ts)
  {
    name: 'torchmetrics', version: '(ConvLens stand-in)', preferred: true,
    files: {
      'torchmetrics/__init__.py': TORCHMETRICS_CORE, 'torchmetrics/classification.py': TORCHMETRICS_CLASSIFICATION,
      'torchmetrics/regression.py': TORCHMETRICS_REGRESSION, 'torchmetrics/aggregation.py': TORCHMETRICS_AGGREGATION,
      'torchmetrics/image.py': TORCHMETRICS_IMAGE, 'torchmetrics/functional.py': TORCHMETRICS_FUNCTIONAL,
    },
  },
  {
    name: 'einops', version: '(ConvLens stand-in)', preferred: true,
    files: { 'einops/__init__.py': EINOPS_CORE, 'einops/layers/__init__.py': '', 'einops/layers/torch.py': EINOPS_TORCH_LAYERS },
  },
];
