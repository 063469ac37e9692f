// Libraries whose models are nn.Modules with conventions on top (the d2l textbook, PyTorch
// Lightning) work without being installed: the same model written on them gives the numbers of the
// golden-checked fixture that defines those base classes inline. What ConvLens cannot see is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeSource } from '../../../engine/analyze';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/pytorch/${name}`, import.meta.url), 'utf8');
const golden = JSON.parse(fixture('101_d2l_lenet.golden.json')) as { entries: Array<{ torch: { totalParams: number; macs: number } }> };

/** The d2l LeNet of fixture 101 with its inline base classes replaced by the textbook's import. */
function lenetOn(importLine: string, base: string): string {
  const src = fixture('101_d2l_lenet.py');
  const cls = src.slice(src.indexOf('class LeNet('), src.indexOf("if __name__ == '__main__':"));
  return ['import torch', 'from torch import nn', importLine, '# convlens: input=(1, 1, 28, 28)', cls.replace('(Classifier)', `(${base})`)].join('\n');
}

test('`from d2l import torch as d2l`: d2l.Classifier is an nn.Module whose forward calls self.net', () => {
  const m = analyzeSource('/ws/lenet.py', lenetOn('from d2l import torch as d2l', 'd2l.Classifier')).models[0];
  assert.equal(m.name, 'LeNet');
  assert.equal(m.totalParams, golden.entries[0].torch.totalParams);
  assert.equal(m.macs, golden.entries[0].torch.macs);
  assert.equal(m.complete, true);
});

test('a file of its own named d2l.py wins over the shipped one', () => {
  const src = lenetOn('import d2l', 'd2l.Classifier');
  const host = { readFile: (p: string) => (p === '/ws/d2l.py' ? 'class Classifier:\n    pass\n' : undefined) };
  const r = analyzeSource('/ws/lenet.py', src, { host, root: '/ws' });
  assert.deepEqual(r.models, [], 'the user\'s Classifier is no nn.Module');
});

test('save_hyperparameters stores the constructor\'s arguments (d2l and Lightning)', () => {
  const d2l = analyzeSource('/ws/m.py', [
    'from torch import nn', 'from d2l import torch as d2l', '# convlens: input=(1, 8)',
    'class Net(d2l.Module):', '    def __init__(self, width=16, classes=3):', '        super().__init__()',
    '        self.save_hyperparameters()', '        self.net = nn.Sequential(nn.Linear(8, self.width), nn.ReLU(), nn.Linear(self.width, self.classes))',
  ].join('\n')).models[0];
  assert.equal(d2l.totalParams, 8 * 16 + 16 + 16 * 3 + 3);
  const lit = analyzeSource('/ws/m.py', [
    'import torch', 'from torch import nn', 'import lightning as L', '# convlens: input=(1, 8)',
    'class Lit(L.LightningModule):', '    def __init__(self, hidden=32, lr=1e-3):', '        super().__init__()',
    '        self.save_hyperparameters()', '        self.l1 = nn.Linear(8, self.hparams.hidden)', '        self.l2 = nn.Linear(self.hparams.hidden, 2)',
    '    def forward(self, x):', '        return self.l2(torch.relu(self.l1(x)))',
    '    def training_step(self, batch, batch_idx):', '        self.log("loss", 0.0)',
  ].join('\n')).models[0];
  assert.deepEqual([lit.name, lit.totalParams, lit.outputShape, lit.complete], ['Lit', 8 * 32 + 32 + 32 * 2 + 2, [1, 2], true]);
});

test("LightningModule where each Lightning release defines it (core.lightning before 1.7, core.module since)", () => {
  for (const from of ['pytorch_lightning.core.lightning', 'pytorch_lightning.core', 'pytorch_lightning.core.module', 'lightning.pytorch.core.module']) {
    const m = analyzeSource('/ws/m.py', [`from ${from} import LightningModule`, 'from torch import nn', '# convlens: input=(1, 8)',
      'class Lit(LightningModule):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(8, 2)',
      '    def forward(self, x):', '        return self.fc(x)'].join('\n')).models[0];
    assert.deepEqual([m?.name, m?.totalParams], ['Lit', 18], from);
  }
});

test('a model class on a base ConvLens cannot see is named, not dropped in silence', () => {
  const r = analyzeSource('/ws/m.py', ['from torch import nn', 'from mylib import BaseModel', 'class Net(BaseModel):',
    '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(4, 2)',
    '    def forward(self, x):', '        return self.fc(x)'].join('\n'));
  assert.deepEqual(r.models, []);
  const d = r.diagnostics.find((x) => x.code === 'unknown-base');
  assert.equal(d?.severity, 'warning');
  assert.equal(d?.line, 3);
  assert.match(d?.message ?? '', /`Net` derives from `BaseModel`, which ConvLens cannot see \(from the unresolved import 'mylib'\)/);
});

test('a forward() of two inputs: the second is unknown and named, never a copy of the first', () => {
  const m = analyzeSource('/ws/m.py', ['import torch', 'from torch import nn', '# convlens: input=(1, 4)', 'class Siamese(nn.Module):',
    '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(4, 2)',
    '    def forward(self, a, b):', '        return self.fc(a) - self.fc(b)'].join('\n')).models[0];
  assert.equal(m.totalParams, 10);
  assert.equal(m.complete, false);
  assert.equal(m.outputShape, null);
  assert.deepEqual(m.unmodelled.map((u) => u.name), ['forward(…, b)']);
  assert.ok(!m.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(m.diagnostics));
});

test('what an unknown function made and the model keeps is counted as unknown, even when never called', () => {
  // `self.det = fasterrcnn_resnet50_fpn()` from an unresolved import holds ~41M parameters in PyTorch
  const m = analyzeSource('/ws/m.py', ['import torch.nn as nn', 'from detlib import make_detector', '# convlens: input=(1, 4)',
    'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(4, 2)',
    '        self.det = make_detector()', '    def forward(self, x):', '        return self.fc(x)'].join('\n')).models[0];
  assert.deepEqual([m.totalParams, m.paramsComplete, m.complete], [10, false, false]);
  assert.deepEqual(m.unmodelled.map((u) => [u.name, u.path]), [['make_detector', 'det']]);
});

const LIT = (extra = '') => `import torch
from torch import nn
import torch.nn.functional as F
import pytorch_lightning as pl
from pytorch_lightning.callbacks import ModelCheckpoint, EarlyStopping
from pytorch_lightning.loggers import TensorBoardLogger
import torchmetrics
from torchmetrics.classification import MulticlassAccuracy


class Data(pl.LightningDataModule):
    def __init__(self, batch_size=64):
        super().__init__()
        self.batch_size = batch_size


# convlens: input=(1, 1, 28, 28)
class LitCNN(pl.LightningModule):
    def __init__(self, num_classes=10):
        super().__init__()
        self.save_hyperparameters()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.fc = nn.Linear(32 * 26 * 26, num_classes)
        self.acc = MulticlassAccuracy(num_classes=num_classes)
        metrics = torchmetrics.MetricCollection({"f1": torchmetrics.F1Score(task="multiclass", num_classes=num_classes)})
        self.val_metrics = metrics.clone(prefix="val_")
${extra}
    def forward(self, x):
        return self.fc(torch.flatten(F.relu(self.conv1(x)), 1))


pl.seed_everything(42)
model = LitCNN()
trainer = pl.Trainer(max_epochs=3, callbacks=[ModelCheckpoint(monitor="val_loss"), EarlyStopping("val_loss")], logger=TensorBoardLogger("logs"))
trainer.fit(model, Data())
`;

test('Lightning with torchmetrics: metrics hold no parameters, the data module, trainer, callbacks and loggers are known', () => {
  // torch: Conv2d(1, 32, 3) 320 + Linear(21,632, 10) 216,330; torchmetrics' metrics register no parameters
  const r = analyzeSource('/ws/lit.py', LIT());
  const m = r.models.find((x) => x.name === 'model');
  assert.deepEqual([m?.totalParams, m?.complete], [216650, true]);
  assert.deepEqual([...r.diagnostics, ...(m?.diagnostics ?? [])].map((d) => d.code), []);
});

test('a metric that holds a network (FID\'s Inception) stays unknown, named: never 0', () => {
  const m = analyzeSource('/ws/lit.py', LIT('        from torchmetrics.image.fid import FrechetInceptionDistance\n        self.fid = FrechetInceptionDistance()\n'))
    .models.find((x) => x.name === 'model');
  assert.equal(m?.complete, false);
  assert.match(m?.unmodelled.map((u) => u.name).join(' ') ?? '', /FrechetInceptionDistance/);
});

// a Lightning script whose data lives in a DataModule: Trainer.fit runs one training_step on the train loader's
// first batch, so the model's own call gives its input
const LIT_DM = `import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, random_split
from torchvision import transforms
from torchvision.datasets import MNIST
import pytorch_lightning as pl


class MNISTDataModule(pl.LightningDataModule):
    def __init__(self, data_dir: str = "./", batch_size: int = 32):
        super().__init__()
        self.data_dir = data_dir
        self.batch_size = batch_size
        self.transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])

    def prepare_data(self):
        MNIST(self.data_dir, train=True, download=True)
        MNIST(self.data_dir, train=False, download=True)

    def setup(self, stage: str):
        if stage == "fit":
            mnist_full = MNIST(self.data_dir, train=True, transform=self.transform)
            self.mnist_train, self.mnist_val = random_split(mnist_full, [55000, 5000], generator=torch.Generator().manual_seed(42))
        if stage == "test":
            self.mnist_test = MNIST(self.data_dir, train=False, transform=self.transform)

    def train_dataloader(self):
        return DataLoader(self.mnist_train, batch_size=self.batch_size)

    def val_dataloader(self):
        return DataLoader(self.mnist_val, batch_size=self.batch_size)


class LitCNN(pl.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.conv(x), 1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


dm = MNISTDataModule(batch_size=128)
model = LitCNN()
trainer = pl.Trainer(max_epochs=3, accelerator="auto")
trainer.fit(model, datamodule=dm)
`;

test('Trainer.fit with a DataModule: the first training batch is the model\'s input', () => {
  const r = analyzeSource('/ws/lit.py', LIT_DM);
  assert.deepEqual(r.models.map((m) => [m.name, m.inputShape, m.totalParams]), [['model', [128, 1, 28, 28], 160 + 4640 + 15690]]);
  // a training_step that fails is Lightning's business at run time: no diagnostic at trainer.fit, no input either
  const broken = analyzeSource('/ws/lit.py', LIT_DM.replace('        x, y = batch\n', '        x, y = batch\n        raise RuntimeError("boom")\n'));
  assert.deepEqual(broken.diagnostics.filter((d) => d.severity !== 'info'), []);
  assert.deepEqual(broken.models[0].inputShape, ['N', 1, 28, 28], 'inferred from the Linear, not from a batch');
});
