// The honesty rule (issue 10): what the engine cannot model stays visible — a row, one `unmodelled`
// warning naming it, totals marked as lower bounds — in the report, the CLI table and the JSON.
// Known numbers are PyTorch's: Conv2d(3, 8, 3) = 8·3·9 + 8 = 224 params, 8·3·9·30·30 = 194,400 MACs;
// Linear(16, 10) = 170 params.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { runCheck, runSummary, toJson } from '../../../engine/cli/summary';
import type { ModelReport } from '../../../engine/report/types';
import { net } from './net-source';
import { tempDir } from '../temp-dir';


const analyse = (src: string): ModelReport => {
  const r = analyzeSource('/ws/net.py', src);
  assert.equal(r.models.length, 1);
  return r.models[0];
};
const warnings = (m: ModelReport) => m.diagnostics.filter((d) => d.code === 'unmodelled');
const lineOf = (src: string, text: string) => src.split('\n').findIndex((l) => l.includes(text)) + 1;

function cli(src: string, ...args: string[]): { out: string; code: number; check: string; checkCode: number } {
  const file = join(tempDir('convlens-'), 'net.py');
  writeFileSync(file, src);
  const out: string[] = [], check: string[] = [];
  const code = runSummary([file, ...args], { out: (l) => out.push(l), err: (l) => out.push(l) });
  const checkCode = runCheck([file], { out: (l) => check.push(l), err: (l) => check.push(l) });
  return { out: out.join('\n'), code, check: check.join('\n'), checkCode };
}

const UNKNOWN_CLASS = net('from foo import Mystery', 'self.conv = nn.Conv2d(3, 8, 3)\nself.m = Mystery(8, 16)\nself.fc = nn.Linear(16, 10)',
  'x = self.conv(x)\nx = self.m(x)\nx = x.mean((2, 3))\nreturn self.fc(x)');

test('a class from an unresolved import: its row, one warning, lower-bound totals, ≥ in the CLI', () => {
  const m = analyse(UNKNOWN_CLASS);
  const built = lineOf(UNKNOWN_CLASS, 'Mystery(8, 16)'), called = lineOf(UNKNOWN_CLASS, 'self.m(x)');
  assert.deepEqual(m.layers.map((r) => [r.path, r.type, r.paramsKnown, r.macsKnown]),
    [['conv', 'Conv2d', true, true], ['m', 'Mystery', false, false], ['fc', 'Linear', true, false]]);
  const row = m.layers[1];
  assert.equal(row.line, built);
  assert.equal(row.outputShape, null);
  assert.deepEqual(m.unmodelled.map((u) => [u.name, u.path, u.line, u.missing]), [['Mystery', 'm', built, ['params', 'macs', 'shape']]]);
  assert.deepEqual(warnings(m).map((d) => [d.severity, d.line, d.message]), [['warning', built,
    `Mystery (from the unresolved import 'foo') is not modelled: its parameters, MACs and the shapes after line ${called} are unknown`]]);
  assert.deepEqual([m.complete, m.paramsComplete, m.macsComplete], [false, false, false]);
  assert.deepEqual([m.totalParams, m.macs, m.outputShape], [394, 194_400, null]);

  const { out, code, check, checkCode } = cli(UNKNOWN_CLASS);
  assert.equal(code, 0);
  assert.match(out, /Total params: ≥ 394\n/);
  assert.match(out, /Total MACs: ≥ 194,400 \(≥ 194K\) · FLOPs: ≥ 389K/);
  assert.match(out, new RegExp(`≥: 1 thing not modelled: Mystery \\(line ${built}\\)`));
  assert.match(out, /├─m \(Mystery\) +\? +\? +\?/);
  assert.match(out, /├─fc \(Linear\) +\? +170 +\?/);
  // check: warnings printed, exit 0 (errors only fail it)
  assert.equal(checkCode, 0);
  assert.match(check, /warning \[unmodelled\] Mystery/);

  const json = toJson(analyzeSource('/ws/net.py', UNKNOWN_CLASS)) as { models: Array<Record<string, unknown>> };
  const jm = json.models[0] as { complete: boolean; paramsComplete: boolean; macsComplete: boolean; unmodelled: unknown[]; layers: Array<Record<string, unknown>> };
  assert.deepEqual([jm.complete, jm.paramsComplete, jm.macsComplete], [false, false, false]);
  assert.deepEqual(jm.unmodelled, [{ name: 'Mystery', path: 'm', line: built, reason: "from the unresolved import 'foo'", missing: ['params', 'macs', 'shape'] }]);
  assert.deepEqual(jm.layers[2], { path: 'fc', type: 'Linear', line: lineOf(UNKNOWN_CLASS, 'nn.Linear'), outputShape: null, params: 170, trainableParams: 170, paramsKnown: true, macs: 0, macsKnown: false });
});

// made-up nn names: the Lazy* layers this case was found with are being added to the catalogue
test('an nn.X the catalogue lacks, inside a Sequential: every item keeps its row, none is skipped', () => {
  const src = net('', 'self.net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.FancyNorm2d(), nn.ReLU(), nn.FancyLinear(10))', 'return self.net(x)');
  const m = analyse(src);
  assert.deepEqual(m.layers.map((r) => [r.path, r.type, r.paramsKnown]),
    [['net.0', 'Conv2d', true], ['net.1', 'FancyNorm2d', false], ['net.2', 'ReLU', true], ['net.3', 'FancyLinear', false]]);
  assert.deepEqual(m.unmodelled.map((u) => u.name), ['nn.FancyNorm2d', 'nn.FancyLinear']);
  assert.equal(warnings(m).length, 2);
  assert.match(warnings(m)[0].message, /^nn\.FancyNorm2d \(not in ConvLens's catalogue of torch\.nn\) is not modelled: its parameters, MACs and the shapes after line \d+ are unknown$/);
  assert.equal(m.complete, false);
  assert.match(cli(src).out, /Total params: ≥ 224\n/);
});

test('a name that differs from one of torch.nn\'s only by case: still unmodelled, and the warning names the real one', () => {
  // torch 1.13: `nn.UpSample(scale_factor=2)` raises AttributeError: module 'torch.nn' has no attribute 'UpSample'
  const src = net('', 'self.conv = nn.Conv2d(3, 8, 3)\nself.up = nn.UpSample(scale_factor=2)', 'return self.up(self.conv(x))');
  const m = analyse(src);
  assert.deepEqual([m.unmodelled.map((u) => u.name), m.complete], [['nn.UpSample'], false]);
  assert.match(warnings(m)[0].message, /^nn\.UpSample \(not in ConvLens's catalogue of torch\.nn: did you mean Upsample\?\) is not modelled/);
});

test('an unknown torch.X / F.X function: a row named as written; shapes after it unknown, downstream MACs unknown', () => {
  for (const op of ['torch.special.foo', 'F.foo']) {
    const src = net('', 'self.conv = nn.Conv2d(3, 8, 3)\nself.fc = nn.Linear(8, 10)', `x = ${op}(self.conv(x))\nreturn self.fc(x.mean((2, 3)))`);
    const m = analyse(src);
    const line = lineOf(src, `${op}(`);
    assert.deepEqual(m.layers.map((r) => [r.path, r.type, r.outputShape, r.macsKnown]),
      [['conv', 'Conv2d', [1, 8, 30, 30], true], [op, op, null, true], ['fc', 'Linear', null, false]], op);
    assert.equal(warnings(m).length, 1);
    assert.match(warnings(m)[0].message, new RegExp(`^${op.replace(/\./g, '\\.')} (\\(not in ConvLens's catalogue of torch[.\\w]*\\) )?is not modelled: the shapes after line ${line} are unknown$`));
    assert.deepEqual([m.complete, m.paramsComplete, m.macsComplete], [false, true, false]);
    const out = cli(src).out;
    assert.match(out, /Total params: 314\n/);
    assert.match(out, /Total MACs: ≥ 194,400/);
    assert.match(out, new RegExp(`├─${op.replace('.', '\\.')} \\(${op.replace('.', '\\.')}\\)`));
  }
});

test('an unknown tensor method: tensor.X, a row and a warning', () => {
  const src = net('', 'self.conv = nn.Conv2d(3, 8, 3)', 'return self.conv(x).stft(4)');
  const m = analyse(src);
  assert.deepEqual(m.layers.map((r) => r.type), ['Conv2d', 'tensor.stft']);
  assert.deepEqual(m.unmodelled.map((u) => [u.name, u.missing]), [['tensor.stft', ['shape']]]);
  assert.deepEqual(warnings(m).map((d) => d.message), [`tensor.stft is not modelled: the shapes after line ${lineOf(src, 'stft')} are unknown`]);
  // parameters and MACs are exact; the output is not known, so the model is not complete
  assert.deepEqual([m.complete, m.paramsComplete, m.macsComplete, m.outputShape], [false, true, true, null]);
});

test('a layer whose argument is unknown (nn.Conv2d(c_in, 8, 3)): parameters and MACs unknown, one warning', () => {
  const src = net('from cfg import c_in', 'self.conv = nn.Conv2d(c_in, 8, 3)\nself.fc = nn.Linear(8, 10)', 'return self.fc(self.conv(x).mean((2, 3)))');
  const m = analyse(src);
  assert.deepEqual(m.layers.map((r) => [r.path, r.paramsKnown, r.macsKnown]), [['conv', false, false], ['fc', true, true]]);
  const line = lineOf(src, 'nn.Conv2d');
  assert.deepEqual(m.diagnostics.filter((d) => d.line === line).map((d) => [d.severity, d.code, d.message]),
    [['warning', 'unmodelled', 'Conv2d (its argument in_channels is unknown) is not modelled: its parameters and MACs are unknown']]);
  assert.deepEqual([m.complete, m.paramsComplete, m.macsComplete], [false, false, false]);
  const out = cli(src).out;
  assert.match(out, /├─conv \(Conv2d\) +\(1, 8, 30, 30\) +\? +\?/);
  assert.match(out, /Total params: ≥ 90\n/);
});

test('ModuleList items and attributes that an unknown call made stay visible, called or not', () => {
  const src = net('from foo import Mystery', 'self.blocks = nn.ModuleList([nn.Conv2d(3, 8, 3), Mystery(8)])\nself.aux = Mystery(4)',
    'for b in self.blocks:\n    x = b(x)\nreturn x');
  const m = analyse(src);
  assert.deepEqual(m.layers.map((r) => [r.path, r.type]), [['blocks.0', 'Conv2d'], ['blocks.1', 'Mystery']]);
  assert.deepEqual(m.unmodelled.map((u) => [u.path, u.missing]), [['blocks.1', ['params', 'macs', 'shape']], ['aux', ['params']]]);
  assert.match(warnings(m)[1].message, /^Mystery \(from the unresolved import 'foo'\) is not modelled: its parameters are unknown$/);
  assert.ok(m.modules.some((n) => n.path === 'aux' && !n.paramsKnown && n.type === 'Mystery'), 'the module tree holds it');
  assert.equal(m.modules[0].paramsKnown, false);
  assert.equal(m.paramsComplete, false);
});

test('a model the engine knows fully is complete, with no unmodelled warning', () => {
  const m = analyse(net('', 'self.conv = nn.Conv2d(3, 8, 3)\nself.fc = nn.Linear(8, 10)', 'return self.fc(self.conv(x).mean((2, 3)))'));
  assert.deepEqual([m.complete, m.paramsComplete, m.macsComplete, m.unmodelled, warnings(m)], [true, true, true, [], []]);
  assert.ok(m.layers.every((r) => r.paramsKnown && r.macsKnown));
});

// pytorch-pfn-extras' documented Net (docs/lazy.md): every layer from an unresolved package
test('a model whose every layer is unknown is no leaf row of its own; each layer is', () => {
  const src = net('import pytorch_pfn_extras as ppe', 'self.conv1 = ppe.nn.LazyConv2d(None, 20, 5, 1)\nself.fc1 = ppe.nn.LazyLinear(None, 10)',
    'x = F.relu(self.conv1(x))\nreturn self.fc1(x.flatten(start_dim=1))');
  const m = analyse(src);
  assert.deepEqual(m.layers.map((r) => [r.path, r.type]), [['conv1', 'LazyConv2d'], ['fc1', 'LazyLinear']]);
  assert.equal(m.modules[0].isLeaf, false);
  assert.deepEqual(m.unmodelled.map((u) => u.name), ['ppe.nn.LazyConv2d', 'ppe.nn.LazyLinear']);
  assert.match(cli(src).out, /Total params: \?\n/);
});

test('nn.parameter.Parameter counts; an unknown callable fed a tensor in __init__ leaves the parameters a lower bound', () => {
  const body = (imports: string, ctor: string) => net(imports, `self.t = ${ctor}(torch.zeros(169, 4))\nself.c = nn.Conv2d(3, 8, 3)`, 'return self.c(x)');
  assert.equal(analyse(body('', 'nn.parameter.Parameter')).totalParams, 224 + 676);
  assert.equal(analyse(body('', 'torch.nn.parameter.Parameter')).totalParams, 224 + 676);
  // `mystery` is an unresolved import: the value it made may be a parameter, so 224 is only a lower bound
  const m = analyse(body('import mystery', 'mystery.Parameter'));
  assert.deepEqual([m.totalParams, m.paramsComplete, m.complete], [224, false, false]);
  assert.match(warnings(m)[0].message, /^mystery\.Parameter \(from the unresolved import 'mystery'\) is not modelled: its parameters are unknown/);
});

test('torch.nn.utils.parametrizations.orthogonal is unmodelled, named where it is called: the model stays, '
  + 'never a Python error', () => {
  for (const imports of ['from torch.nn.utils.parametrizations import orthogonal', 'orthogonal = nn.utils.parametrizations.orthogonal']) {
    const src = net(imports, 'self.conv = orthogonal(nn.Conv2d(3, 8, 3))\nself.fc = nn.Linear(16, 10)', 'y = self.conv(x)\nreturn self.fc(y.mean((2, 3)))');
    const r = analyzeSource('/ws/net.py', src);
    assert.deepEqual(r.diagnostics.filter((d) => d.code === 'python-error'), [], imports);
    const m = analyse(src);
    assert.equal(m.complete, false, imports);
    assert.ok(warnings(m).some((d) => d.message.includes('orthogonal')), `${imports}: ${JSON.stringify(m.diagnostics)}`);
    const st = m.statements.find((s) => s.range.line === lineOf(src, 'y = self.conv(x)'));
    assert.deepEqual(st?.targets.map((t) => t.shapes), [[null]], 'the statement after it is unknown, not a guess');
  }
});

test('a model made by a library ConvLens cannot see is named where it is made, never "no model" in silence', () => {
  // torchvision's quantized models (not bundled: torch.ao) and a segmentation_models_pytorch model without the package
  const r = analyzeSource('/ws/det.py', ['import torch', 'import torchvision', 'import segmentation_models_pytorch as smp',
    'from mylib import helper',
    'model = torchvision.models.quantization.mobilenet_v2(weights="DEFAULT", quantize=True)',
    'in_features = model.classifier[1].in_features',
    'seg = smp.Unet(encoder_name="resnet34", classes=3)', 'value = helper(3)'].join('\n'));
  assert.deepEqual(r.models, []);
  const named = r.diagnostics.filter((d) => d.code === 'unmodelled').map((d) => [d.line, d.severity, d.message.split(' is what')[0]]);
  assert.deepEqual(named, [[5, 'warning', '`model`'], [7, 'warning', '`seg`']]);
  assert.match(r.diagnostics.find((d) => d.line === 5)?.message ?? '', /quantization\.mobilenet_v2\(…\) makes, which ConvLens does not model/);
});

test('a model made unseen and run inside a function is named where it is made, never "no model" in silence', () => {
  const src = ['import torch', 'from mystery import make_backbone, make_loss', '', 'def main():',
    '    model = make_backbone(depth=18)', '    loss_fn = make_loss()', '    x = torch.randn(2, 3, 32, 32)',
    '    out = model(x)', '    loss = loss_fn(out, x)', '    return loss', '', 'main()'].join('\n');
  const r = analyzeSource('/ws/train.py', src);
  assert.deepEqual(r.models, []);
  const named = r.diagnostics.filter((d) => d.code === 'unmodelled').map((d) => [d.line, d.severity]);
  assert.deepEqual(named, [[5, 'warning']], 'the backbone is named once, the loss is no model');
  assert.match(r.diagnostics.find((d) => d.line === 5)?.message ?? '',
    /^what make_backbone\(…\) makes is called on a tensor at line 8, but ConvLens does not model it/);
});

test('a model that raises on a shape error has no exact MACs and no output, and the table says where it raises', () => {
  // PyTorch: "mat1 and mat2 shapes cannot be multiplied (1x4 and 3x2)" at fc1; what follows is counted past it
  const src = ['import torch.nn as nn', '# convlens: input=(1, 4)', 'class Net(nn.Module):', '    def __init__(self):',
    '        super().__init__()', '        self.fc1 = nn.Linear(3, 2)', '        self.fc2 = nn.Linear(2, 5)',
    '    def forward(self, x):', '        return self.fc2(self.fc1(x))'].join('\n');
  const m = analyse(src);
  assert.deepEqual([m.complete, m.paramsComplete, m.macsComplete, m.outputShape], [false, true, false, null]);
  assert.equal(m.totalParams, 8 + 15, 'parameters do not depend on the forward pass');
  const { out, checkCode } = cli(src);
  assert.equal(checkCode, 1, '`convlens check` fails on it');
  assert.match(out, /Total MACs: ≥ 16 /);
  assert.match(out, /≥: PyTorch raises at line 6 \(Linear expects in_features=3 but receives 4 features; set in_features=4\), so the counts after it are not exact/);
  assert.match(out, /Output shape: \?/);
});

test('torch.hub.load of a repository other than pytorch/vision names the model it makes, never silence', () => {
  const r = analyzeSource('/ws/det.py', ['import torch',
    'yolo = torch.hub.load("ultralytics/yolov5", "yolov5s", pretrained=True)',
    'nope = torch.hub.load("pytorch/vision", "no_such_model")'].join('\n'));
  assert.deepEqual(r.models, []);
  const named = r.diagnostics.filter((d) => d.code === 'unmodelled').map((d) => [d.line, d.message.split(' is what')[0]]);
  assert.deepEqual(named, [[2, '`yolo`'], [3, '`nope`']]);
  assert.match(r.diagnostics.find((d) => d.line === 2)?.message ?? '', /torch\.hub\.load\('ultralytics\/yolov5'\): ConvLens models only/);
});

test('a whole model read with torch.load is named where it is read; a checkpoint for load_state_dict says nothing', () => {
  const r = analyzeSource('/ws/infer.py', ['import torch', 'model = torch.load("model.pt", map_location="cpu")',
    'model.eval()', 'checkpoint = torch.load("ckpt.pt")', 'out = model(torch.randn(1, 3, 224, 224))'].join('\n'));
  assert.deepEqual(r.models, []);
  const named = r.diagnostics.filter((d) => d.code === 'unmodelled').map((d) => [d.line, d.message.split(' is what')[0]]);
  assert.deepEqual(named, [[2, '`model`']]);
  assert.match(r.diagnostics[0].message, /torch\.load reads a file ConvLens does not open/);
});

test('a count beyond 2**53 is not given as exact: JavaScript numbers no longer hold every unit there', () => {
  // (3e9 + 7)·(1e9 + 9) + (1e9 + 9) = 3,000,000,035,000,000,072 parameters: no double holds it exactly
  const m = analyse('import torch.nn as nn\nm = nn.Sequential(nn.Linear(3 * 10**9 + 7, 10**9 + 9))\n');
  assert.deepEqual([m.paramsComplete, m.complete], [false, false]);
  const small = analyse('import torch.nn as nn\nm = nn.Sequential(nn.Linear(10**4, 10**4))\n');
  assert.equal(small.paramsComplete, true);
  const { out } = cli('import torch.nn as nn\nm = nn.Sequential(nn.Linear(3 * 10**9 + 7, 10**9 + 9))\n');
  assert.match(out, /≥: a count exceeds 2\^53/);
});

test('MACs wholly unknown print as one ?, not "? (?)"', () => {
  // a head after a backbone from an unresolved import: its input, so every MAC, is unknown
  const src = ['import torch, torch.nn as nn, timm', 'class W(nn.Module):', '    def __init__(self):',
    '        super().__init__()', '        self.backbone = timm.create_model("resnet18", num_classes=0)',
    '        self.head = nn.Linear(512, 7)', '    def forward(self, x):', '        return self.head(self.backbone(x))',
    'model = W()', 'model(torch.randn(2, 3, 64, 64))'].join('\n');
  const { out } = cli(src);
  assert.match(out, /\nTotal params: ≥ 3,591\n/);
  assert.match(out, /\nTotal MACs: \? · FLOPs: \?\n/);
});

test('an unknown call inside another file is shown at the user\'s line that led there, the file\'s own line as related', () => {
  // torchvision's Faster R-CNN reaches torch.ops.torchvision.roi_align at line 63 of ops/roi_align.py: the warning
  // was at "line 63" of the user's 8-line file
  const helpers = ['import torch', 'import torch.nn as nn', '', 'class Net(nn.Module):', '    def __init__(self):',
    '        super().__init__()', '        self.conv = nn.Conv2d(3, 8, 3)', '', '    def forward(self, x):',
    '        return torch.ops.mylib.pool(self.conv(x))', ''].join('\n');
  const host = { readFile: (p: string) => (p === '/ws/helpers.py' ? helpers : undefined) };
  const main = 'import torch\nfrom helpers import Net\nmodel = Net()\nout = model(torch.randn(1, 3, 16, 16))\n';
  const m = analyzeSource('/ws/net.py', main, { root: '/ws', host }).models[0];
  const w = warnings(m);
  assert.equal(w.length, 1);
  assert.equal(w[0].line, 3);
  assert.deepEqual(w[0].related?.map((r) => [r.file, r.line]), [['/ws/helpers.py', 10]]);
  assert.deepEqual(m.unmodelled.map((u) => u.line), [3]);
  assert.equal(m.paramsComplete, true);
  assert.equal(m.complete, false);
});

test('a state_dict read is unknown, never a false KeyError: a head sized from it is named, its parameters ?', () => {
  const src = `import torch
import torch.nn as nn

model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))
out = model(torch.randn(1, 1, 8, 8))
sd = model.state_dict()
w = sd["3.weight"]
head = nn.Linear(w.shape[1], 5)
`;
  const r = analyzeSource('/ws/sd.py', src);
  // PyTorch: 4·1·9 + 4 = 40 and 10·144 + 10 = 1,450
  assert.equal(r.models.find((m) => m.name === 'model')?.totalParams, 1490);
  assert.deepEqual([...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity === 'error'), []);
  const head = r.models.find((m) => m.name === 'head')!;
  assert.equal(head.paramsComplete, false);
  assert.ok(warnings(head).some((d) => d.line === 8 && /Linear/.test(d.message)));
});

test('buffers() and named_buffers() walk the tree as PyTorch does, and are unknown where BatchNorm keeps running statistics', () => {
  const src = (norm: string) => `import torch
import torch.nn as nn

class Sub(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("scale", torch.ones(4, 1, 1))
        self.norm = ${norm}

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(1, 4, 3)
        self.sub = Sub()

    def forward(self, x):
        return self.c(x) * self.sub.scale

model = M()
names = [n for n, _ in model.named_buffers()]
x = torch.zeros(len(names) + len(list(model.buffers())), 1, 8, 8)
out = model(x)
`;
  // PyTorch: named_buffers() is ['sub.scale'] with InstanceNorm2d(4); BatchNorm2d(4) adds three running statistics
  assert.deepEqual(analyzeSource('/ws/b.py', src('nn.InstanceNorm2d(4)')).models[0].inputShape, [2, 1, 8, 8]);
  const bn = analyzeSource('/ws/b.py', src('nn.BatchNorm2d(4)')).models[0];
  assert.equal(typeof bn.inputShape[0], 'string', 'the batch is not a confident number');
});
