// torchvision's model registry with the built-in torchvision: get_model / list_models see every model
// of 0.14 (torchvision 0.14.1's own `len(torchvision.models.list_models())` is 118, 6 of them in
// segmentation); the builders left out of the bundle (detection, optical flow, quantization) are
// unknown with a warning that names them, never torchvision's "Unknown model" nor a silent gap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

const analyse = (src: string) => analyzeSource('/ws/net.py', src);

test('list_models() counts all of torchvision 0.14 (the left-out builders too)', () => {
  const r = analyse(['import torch.nn as nn', 'from torchvision.models import list_models, segmentation',
    'model = nn.Linear(len(list_models()), len(list_models(module=segmentation)), bias=False)'].join('\n'));
  assert.equal(r.models[0].totalParams, 118 * 6);
});

test('get_model of an optical flow model: unknown, named in a warning, totals lower bounds', () => {
  const src = ['import torch', 'import torch.nn as nn', 'from torchvision.models import get_model',
    'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
    '        self.det = get_model("raft_small", weights=None)', '        self.fc = nn.Linear(3, 4)',
    '    def forward(self, x):', '        return self.fc(self.det(x))', 'model = Net()', 'model(torch.randn(1, 3, 64, 64))'].join('\n');
  const m = analyse(src).models[0];
  assert.deepEqual([m.complete, m.paramsComplete, m.totalParams], [false, false, 16]);
  const w = m.diagnostics.filter((d) => d.code === 'unmodelled');
  assert.equal(w.length, 1);
  assert.match(w[0].message, /^torchvision\.models\.optical_flow\.raft_small \(torchvision\.models\.optical_flow is not part of the torchvision 0\.14\.1a0 built into ConvLens/);
});

test('torchvision\'s detection fine-tuning tutorial: PyTorch\'s counts, the forward\'s compiled ops named at the user\'s line', () => {
  // PyTorch 1.13 + torchvision 0.14: 41,299,161 parameters, 41,076,761 trainable (the backbone's first layers frozen)
  const src = ['import torchvision', 'from torchvision.models.detection.faster_rcnn import FastRCNNPredictor',
    'model = torchvision.models.detection.fasterrcnn_resnet50_fpn(weights="DEFAULT")',
    'in_features = model.roi_heads.box_predictor.cls_score.in_features',
    'model.roi_heads.box_predictor = FastRCNNPredictor(in_features, 2)'].join('\n');
  const m = analyse(src).models[0];
  assert.deepEqual([m.name, m.totalParams, m.trainableParams, m.paramsComplete, m.complete], ['model', 41_299_161, 41_076_761, true, false]);
  const w = m.diagnostics.filter((d) => d.code === 'unmodelled');
  assert.deepEqual(w.map((d) => [d.line, d.related?.[0]?.label]), [[3, 'torchvision/ops/roi_align.py of the torchvision 0.14.1a0 bundled with ConvLens']]);
});

test('a name torchvision does not have is its ValueError', () => {
  const r = analyse('from torchvision.models import get_model\nmodel = get_model("resnet19")\n');
  assert.ok(r.diagnostics.some((d) => d.severity === 'error' && /ValueError: Unknown model resnet19/.test(d.message) && d.line === 2));
});

test('create_feature_extractor with a node of an operation is unknown and named; the totals around it are lower bounds', () => {
  const src = ['import torch, torch.nn as nn, torchvision', 'from torchvision.models.feature_extraction import create_feature_extractor',
    'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
    '        self.body = create_feature_extractor(torchvision.models.resnet18(), return_nodes=["flatten"])',
    '        self.fc = nn.Linear(512, 3)', '    def forward(self, x):', '        return self.fc(self.body(x)["layer4"].mean((2, 3)))',
    'model = Net()', 'model(torch.randn(1, 3, 64, 64))'].join('\n');
  const m = analyse(src).models[0];
  assert.deepEqual([m.complete, m.paramsComplete, m.totalParams], [false, false, 1539]);
  const w = m.diagnostics.filter((d) => d.code === 'unmodelled');
  assert.equal(w.length, 1);
  assert.match(w[0].message, /^create_feature_extractor \(the return node 'flatten' is no module of the model: nodes of operations/);
});

test('maxvit_t: typing.OrderedDict() and nn.parameter.Parameter (torchvision\'s own num_params and torch 1.13\'s MACs)', () => {
  // MaxVit_T_Weights.meta["num_params"] is 30,919,624; torch_reference.py's hooks on torch 1.13 count 5,381,025,792 MACs.
  // Before: `from typing import OrderedDict` was not callable (a TypeError), then 168 bias tables were silently missing.
  const src = 'import torchvision\nmodel = torchvision.models.get_model("maxvit_t", weights=None)\n';
  const m = analyzeSource('/ws/net.py', src, { input: [1, 3, 224, 224] }).models[0];
  assert.deepEqual([m.totalParams, m.macs, m.complete, m.outputShape], [30_919_624, 5_381_025_792, true, [1, 1000]]);
});

test('an unknown create_feature_extractor at module level: the variable it binds is named in a warning, never silently skipped', () => {
  const src = ['import torchvision, wandb', 'from torchvision.models.feature_extraction import create_feature_extractor',
    'm = torchvision.models.resnet18()', 'model = create_feature_extractor(m, return_nodes={"add": "feat"})',
    'wandb.watch(m)'].join('\n');
  const r = analyse(src);
  assert.deepEqual(r.models.map((x) => x.name), ['m']);
  const w = r.diagnostics.filter((d) => d.code === 'unmodelled');
  // the call whose result is dropped (wandb.watch) is not a model: no warning for it
  assert.deepEqual(w.map((d) => [d.line, d.severity]), [[4, 'warning']]);
  assert.match(w[0].message, /^`model` is what create_feature_extractor\(…\) makes, which ConvLens does not model \(the return node 'add'/);
});

test('get_weight("ResNet50_Weights.IMAGENET1K_V2") finds its enum (inspect.getmembers) and get_model takes it', () => {
  // PyTorch 1.13 + torchvision 0.14: resnet50 with a 5-class fc has 23,518,277 parameters. Before: get_weight was
  // unknown, get_model then "may raise" KeyError: 'pretrained', and the function's model was never found.
  const src = ['import torch, torchvision', 'def main():',
    '    w = torchvision.models.get_weight("ResNet50_Weights.IMAGENET1K_V2")',
    '    net = torchvision.models.get_model("resnet50", weights=w)', '    net.fc = torch.nn.Linear(2048, 5)',
    '    return net(torch.randn(2, 3, 224, 224))', 'main()'].join('\n');
  const m = analyse(src).models[0];
  assert.deepEqual([m.totalParams, m.outputShape, m.complete], [23_518_277, [2, 5], true]);
});

test('a model assigned by a statement that may raise is named where it is called, never left out in silence', () => {
  const src = ['import sys, torch, torch.nn as nn', 'def build(depth):', '    if depth > 3:',
    '        return nn.Sequential(nn.Conv2d(3, 8, 3))', '    raise ValueError("too shallow")',
    'm5 = build(int(sys.argv[1]))', 'y = m5(torch.randn(1, 3, 64, 64))'].join('\n');
  const r = analyse(src);
  assert.deepEqual(r.models.map((x) => x.name), []);
  const w = r.diagnostics.filter((d) => d.code === 'unmodelled');
  assert.equal(w.length, 1);
  assert.equal(w[0].line, 6);
  assert.match(w[0].message, /^what build\(…\) makes is called on a tensor at line 7, but ConvLens does not model it \(it may raise ValueError/);
});

test('a model never called takes the input of a called one of its class and says whose', () => {
  const src = ['import torch, torchvision', 'a = torchvision.models.resnet18()', 'b = torchvision.models.resnet18()',
    'print(a(torch.randn(1, 3, 96, 96)))'].join('\n');
  const r = analyse(src);
  assert.deepEqual(r.models.map((m) => [m.name, m.inputShapeOrigin]),
    [['a', 'the call on line 4'], ['b', 'the call on line 4, of another ResNet']]);
});
