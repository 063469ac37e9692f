// Research code builds networks from yacs CfgNode / EasyDict configs (HRNet, pycls): attribute
// access, item access and nesting must all read the numbers. 6,362 parameters is what torch counts
// for the same layers (Conv2d(3,8,3), Conv2d(8,16,3), Conv2d(16,32,3), Linear(32,10)).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

const SRC = `import torch.nn as nn
from yacs.config import CfgNode as CN
from easydict import EasyDict as edict
_C = CN()
_C.MODEL = CN(new_allowed=True)
_C.MODEL.NUM_CLASSES = 10
_C.MODEL.EXTRA = CN()
_C.MODEL.EXTRA.WIDTHS = [16, 32]
cfg2 = edict({'stem': {'width': 8}})
class Net(nn.Module):
    def __init__(self, cfg=_C):
        super().__init__()
        w = cfg.MODEL.EXTRA.WIDTHS
        self.stem = nn.Conv2d(3, cfg2.stem.width, 3)
        self.a = nn.Conv2d(cfg2['stem']['width'], w[0], 3)
        self.b = nn.Conv2d(w[0], w[1], 3)
        self.fc = nn.Linear(w[1], cfg.MODEL.NUM_CLASSES)
    def forward(self, x):
        return self.fc(self.b(self.a(self.stem(x))).mean((2, 3)))
`;

test('yacs CfgNode and EasyDict configs give the layers their sizes', () => {
  const report = analyzeSource('/ws/cfg_net.py', SRC, { entry: 'Net()', input: [1, 3, 32, 32] });
  assert.equal(report.models[0].totalParams, 6362);
  assert.deepEqual(report.models[0].outputShape, [1, 10]);
});
