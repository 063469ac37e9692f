// A standalone PyTorch training script for a ConvLens run: the run's settings as constants at the top,
// then the data, model and loop parts. It imports the model from the user's file and runs as
// `python train.py [--device cuda]` or under `torchrun --nproc_per_node=N train.py`.
import { relativePath } from './relative-path';
import { py, pyStr, type PyValue } from './python-literal';
import { dataSource } from './script-data';
import { PY_LOOP } from './script-loop';
import { PY_RNG } from './script-rng';
import { resolveOptimizer } from '../optim/optimizer';
import { stepDefaults } from '../optim/schedule';
import { checkExportable, ExportError, type ExportConfig, type ExportDataSource } from './settings';

const PRELUDE = String.raw`
import argparse
import array
import gzip
import importlib
import io
import json
import math
import os
import re
import struct
import sys
import time
import urllib.request
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

HERE = Path(__file__).resolve().parent
# set by torchrun; one process otherwise
RANK, WORLD, LOCAL_RANK = (int(os.environ.get(k, d)) for k, d in (('RANK', 0), ('WORLD_SIZE', 1), ('LOCAL_RANK', 0)))


def log(*parts):
    if RANK == 0:
        print(*parts, flush=True)


def fail(message):
    raise SystemExit(f'{Path(__file__).name}: {message}')


def write_atomic(path, data):
    """Writes beside the target, then renames over it: the file is the old one or the new one, never a torn one."""
    path = Path(path)
    tmp = path.with_name(f'.{path.name}.{os.getpid()}.tmp')
    with open(tmp, 'wb') as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
`;

/** A settings line: NAME = value  # comment. */
const line = (name: string, value: PyValue | { raw: string }, comment?: string): string =>
  `${name} = ${typeof value === 'object' && value !== null && 'raw' in value ? value.raw : py(value)}${comment ? `  # ${comment}` : ''}`;

function dataLines(s: ExportDataSource): string[] {
  switch (s.kind) {
    case 'mnist':
      return [
        line('DATA', null, 'MNIST\'s IDX files: --data DIR, or downloaded into data/MNIST beside this script'),
        line('MNIST_SUBSET', { tuple: [s.train, s.test] }, 'ConvLens\'s bundled subset: the first training and test images'),
      ];
    case 'idx': return [line('DATA', s.files, 'IDX files, relative to this script (or --data DIR)')];
    case 'folder': return [line('DATA', s.dir, 'images in class sub-folders, relative to this script (or --data DIR)')];
    case 'synthetic':
      return [line('SYNTHETIC', { tuple: [s.which, s.train, s.test, { tuple: s.shape }] }, 'kind, training and test images, (C, H, W)')];
  }
}

/** The script, from the run's settings. `scriptDir` is the folder the script is written to (model and data paths are made relative to it). */
export function trainingScript(c: ExportConfig, scriptDir: string): string {
  const o = c.options;
  checkExportable(o);
  if (/\.ipynb$/i.test(c.model.file)) {
    throw new ExportError(`${c.model.file} is a notebook, which a script cannot import: move the model to a .py file and export from there`);
  }
  if (o.earlyStopping !== undefined && !(o.valSplit > 0)) {
    throw new ExportError('cannot export earlyStopping without a validation split (valSplit): it watches the validation loss');
  }
  const rel = (p: string): string => relativePath(scriptDir, p);
  const source: ExportDataSource = c.data.source.kind === 'idx' ? { kind: 'idx', files: c.data.source.files.map(rel) }
    : c.data.source.kind === 'folder' ? { kind: 'folder', dir: rel(c.data.source.dir) } : c.data.source;
  const opt = resolveOptimizer(o.optimizer), schedule = o.schedule ?? { name: 'none' }, step = stepDefaults(schedule);
  const init = c.model.params.map((p) => {
    const i = p.init, [rule, a] = i.kind === 'uniform' ? ['uniform', i.bound] : i.kind === 'normal' ? ['normal', i.std] : ['const', i.value];
    return `    ${pyStr(p.name)}: (${py({ tuple: p.shape })}, ${pyStr(rule as string)}, ${py(a)}, ${py(p.trainable)}),`;
  });
  const settings = [
    '# ---- the run\'s settings; edit them here',
    line('MODEL_FILE', rel(c.model.file), 'relative to this script'),
    line('MODEL_ENTRY', c.model.entry, 'a class (made with no arguments), a variable or an expression of that file'),
    line('MODEL_NAME', c.model.name),
    line('MODEL_INPUT', { tuple: c.model.inputShape }, '(C, H, W) of one image, None where any size goes'),
    line('DATA_LABEL', c.data.label),
    ...dataLines(source),
    line('TRAIN_LIMIT', c.data.trainLimit, 'the first training images kept (None = all)'),
    line('TEST_LIMIT', c.data.testLimit, 'the first test images kept (None = all)'),
    line('FIT', c.data.fit, 'images of another size: \'resize\' (bilinear), \'pad\' (zero padding/cropping) or \'none\' (refused)'),
    line('VAL_SPLIT', o.valSplit, 'fraction of the training images held out for validation'),
    line('VAL_SPLIT_STATE', c.splitState, 'where ConvLens drew the validation split for this seed and model: the same images'),
    line('SEED', o.seed),
    line('EPOCHS', o.epochs),
    line('BATCH_SIZE', o.batchSize, 'images per optimiser step, over all processes'),
    line('OPTIMIZER', opt.name, 'sgd, adam or adamw (PyTorch\'s update rules, as ConvLens\'s)'),
    line('LR', opt.lr),
    line('MOMENTUM', opt.momentum, 'SGD'),
    line('DAMPENING', opt.dampening, 'SGD'),
    line('NESTEROV', opt.nesterov, 'SGD'),
    line('WEIGHT_DECAY', opt.weightDecay, 'SGD and Adam: L2 added to the gradient; AdamW: decoupled'),
    line('BETAS', { tuple: opt.betas }, 'Adam, AdamW'),
    line('EPS', opt.eps, 'Adam, AdamW'),
    line('LR_SCHEDULE', schedule.name, 'none, step (StepLR) or cosine (CosineAnnealingLR over EPOCHS), stepped every epoch'),
    line('STEP_SIZE', step.stepSize, 'StepLR'),
    line('GAMMA', step.gamma, 'StepLR'),
    line('AUGMENT', { raw: `{'crop': ${py(!!o.augment?.crop)}, 'flip': ${py(!!o.augment?.flip)}}` },
      'random crops of the zero-padded image, mirror images'),
    line('CROP_PADDING', o.cropPadding, 'None: an eighth of the image height, at least 1'),
    line('TTA', !!o.tta, 'test-time augmentation: the views of the augmentations trained with, averaged'),
    line('EARLY_STOPPING', o.earlyStopping, 'epochs without a lower validation loss before stopping (the best weights are restored)'),
    line('UNUSED_PARAMETERS', c.model.unusedTrainable, 'the model has trainable parameters its forward never reads'),
    line('SAVE', rel(c.save), 'the weights, relative to this script (or --save FILE)'),
    `# every parameter as the run had it: shape, first values (uniform bound, normal std, or a constant), trained`,
    'INIT = {',
    ...init,
    '}',
  ];
  const doc = [
    `"""Trains ${c.model.name} of ${rel(c.model.file)} with PyTorch, as ConvLens trained it (exported by ${c.madeBy}).`,
    '',
    '  python train.py                          # one process: the GPU when there is one, else the CPU',
    '  python train.py --device cuda            # one GPU',
    '  torchrun --nproc_per_node=N train.py     # N processes, DistributedDataParallel (gloo on CPUs, NCCL on GPUs)',
    '',
    `Needs PyTorch 1.13 or later and NumPy${c.data.source.kind === 'folder' ? ' and Pillow' : ''}. The run's settings are below; edit them there.`,
    'The validation and test splits, the normalisation and the augmentation are ConvLens\'s; the weights are',
    'saved under their state_dict names, as ConvLens saves them, with the metrics beside them.',
    '"""',
  ];
  return [...doc, PRELUDE.trimEnd(), '', ...settings, PY_RNG.trimEnd(), '', dataSource(source).trimEnd(), '', PY_LOOP.trimStart()].join('\n');
}
