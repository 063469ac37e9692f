// Multi-GPU code as training scripts write it: nn.DataParallel and DistributedDataParallel hold the model as
// their child `module` (state_dict names `module.conv1.weight`, as torch 1.13 prints them), SyncBatchNorm's
// convert_sync_batchnorm keeps every count, frozen parameters included (torch 1.13 on torchvision's ResNet-18
// with layer1 frozen: 11,181,642 parameters, 11,033,674 trainable, 122 state_dict entries), and a model made
// and called inside main() is found (it was "no model found"), also by `models.__dict__[args.arch]()`
// (pytorch/examples' ImageNet script; torchvision's ResNet-18 has 11,689,512 parameters), and torch.compile gives
// PyTorch 2's OptimizedModule around the model.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { checked } from '../checked-source';

const SCRIPT = (wrap: string) => `import os
import torch
import torch.nn as nn
import torchvision
from torch.nn.parallel import DistributedDataParallel as DDP


def main():
    local_rank = int(os.environ["LOCAL_RANK"])
    net = torchvision.models.resnet18(num_classes=10)
    for p in net.layer1.parameters():
        p.requires_grad = False
    ${wrap}
    out = net(torch.randn(8, 3, 32, 32))


if __name__ == "__main__":
    main()
`;

test('a model made and called inside main() is found, at the line that makes it', () => {
  const [m] = analyzeSource('/ws/train.py', SCRIPT('pass')).models;
  assert.equal(m.line, 10);
  assert.equal(m.totalParams, 11181642);
  assert.equal(m.trainableParams, 11033674);
  assert.deepEqual(m.inputShape, [8, 3, 32, 32]);
  assert.equal(m.complete, true);
});

test('DistributedDataParallel and DataParallel wrap the model as `module`, with its counts and MACs', () => {
  const plain = analyzeSource('/ws/train.py', SCRIPT('pass')).models[0];
  for (const wrap of ['net = DDP(net, device_ids=[local_rank], output_device=local_rank)', 'net = nn.DataParallel(net)',
    'net = torch.nn.parallel.DistributedDataParallel(net, find_unused_parameters=True)']) {
    const r = analyzeSource('/ws/train.py', SCRIPT(wrap));
    assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), [], wrap);
    const [m] = r.models;
    assert.equal(m.totalParams, 11181642, wrap);
    assert.equal(m.trainableParams, 11033674, wrap);
    assert.equal(m.macs, plain.macs, wrap);
    assert.equal(m.parameters[0].name, 'module.conv1.weight', wrap);
    assert.ok(m.layers.some((l) => l.path === 'module.layer4.1.bn2'), wrap);
  }
});

test('convert_sync_batchnorm turns every BatchNorm into SyncBatchNorm and keeps the counts and freezing', () => {
  const [m] = analyzeSource('/ws/train.py', SCRIPT('net = nn.SyncBatchNorm.convert_sync_batchnorm(net)')).models;
  assert.equal(m.totalParams, 11181642);
  assert.equal(m.trainableParams, 11033674);
  assert.equal(m.parameters.length, 62);
  assert.equal(m.layers.find((l) => l.path === 'bn1')?.type, 'SyncBatchNorm');
  assert.ok(!m.layers.some((l) => /^BatchNorm/.test(l.type)));
  assert.deepEqual(m.outputShape, [8, 10]);
});

test('models.__dict__[args.arch]() builds the named torchvision model (pytorch/examples imagenet); a stand-in\'s namespace is unknown', () => {
  const src = `import argparse
import torch
import torchvision.models as models
model_names = sorted(name for name in models.__dict__ if name.islower() and not name.startswith("__")
                     and callable(models.__dict__[name]))
parser = argparse.ArgumentParser()
parser.add_argument("-a", "--arch", default="resnet18", choices=model_names)
args = parser.parse_args()
assert "resnet50" in model_names and "vgg16_bn" in model_names


def main_worker(args):
    model = models.__dict__[args.arch]()
    out = model(torch.randn(4, 3, 224, 224))


main_worker(args)
`;
  const r = analyzeSource('/ws/main.py', checked(src));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error' || d.code === 'unsure-raise'), []);
  const [m] = r.models;
  assert.equal(m.totalParams, 11689512);
  assert.deepEqual(m.outputShape, [4, 1000]);
  const nn = analyzeSource('/ws/n.py', 'import torch.nn as nn\nconv = nn.__dict__["Conv2d"](3, 8, 3)\n');
  assert.ok(!nn.diagnostics.some((d) => d.severity === 'error'), 'no KeyError for a name the stand-in has');
});

test('torch.compile wraps a model as PyTorch 2 does (OptimizedModule, `_orig_mod.…`) and leaves functions as they are', () => {
  const src = `import torch
import torch.nn as nn
import torchvision


@torch.compile(mode="max-autotune")
def act(x):
    return torch.relu(x)


def main():
    model = torchvision.models.resnet18(num_classes=100)
    model = torch.compile(model, fullgraph=True)
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        out = act(model(torch.randn(32, 3, 224, 224)))


main()
`;
  const r = analyzeSource('/ws/train.py', src);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), []);
  const [m] = r.models;
  assert.equal(m.layers[0].path, '_orig_mod.conv1');
  assert.equal(m.parameters[0].name, '_orig_mod.conv1.weight');
  assert.equal(m.totalParams, 11227812);
  assert.deepEqual(m.inputShape, [32, 3, 224, 224]);
});

test('what a wrapper\'s forward reaches and ConvLens cannot model is named at the user\'s lines, never the wrapper\'s', () => {
  const src = `import torch
import torch.nn as nn
from mystery_lib import FancyBlock


def main():
    net = nn.Sequential(nn.Conv2d(3, 16, 3), FancyBlock(16))
    net = torch.compile(nn.DataParallel(net))
    out = net(torch.randn(8, 3, 32, 32))


main()
`;
  const [m] = analyzeSource('/ws/train.py', src).models;
  assert.equal(m.complete, false);
  assert.equal(m.totalParams, 448);
  const w = m.diagnostics.find((d) => d.code === 'unmodelled');
  assert.equal(w?.line, 7);
  assert.match(w?.message ?? '', /FancyBlock .* the shapes after line 7 are unknown/);
});
