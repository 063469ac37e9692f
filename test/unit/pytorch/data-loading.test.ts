// A training script's data gives its model the input: torchvision's datasets are sizes and channels,
// transforms change those sizes as torchvision documents (checked against torchvision 0.14 with PIL: Resize(20) of
// a 48×32 image is 30×20, with max_size=25 25×16; Pad((1, 2)) → 50×36; random_split([0.33, 0.33, 0.34]) of 10 is
// 4, 3, 3), a DataLoader's batch stacks batch_size samples. What the data alone knows stays unknown, named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';
import { checked, failures } from '../checked-source';

const analyse = (src: string) => analyzeSource('/ws/train.py', checked(src));

// the PyTorch 60-minute tutorial's CIFAR-10 classifier, written in the same style
const CIFAR = `import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import torchvision.transforms as transforms

transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
trainset = torchvision.datasets.CIFAR10(root='./data', train=True, download=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=4, shuffle=True, num_workers=2)
classes = trainset.classes

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, len(classes))

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))

net = Net()
dataiter = iter(trainloader)
images, labels = next(dataiter)
for epoch in range(2):
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        outputs = net(inputs)
correct = 0
total = 0
with torch.no_grad():
    for data in trainloader:
        images, labels = data
        total += labels.size(0)
print(f'Accuracy: {100 * correct // total} %')
assert len(trainset) == 50000 and len(trainloader) == 12500
`;

test('CIFAR-10 tutorial: the training loop\'s batch is the input; the classes size the head', () => {
  const r = analyse(CIFAR);
  const m = r.models[0];
  assert.deepEqual(m.inputShape, [4, 3, 32, 32]);
  assert.equal(m.totalParams, 456 + 2416 + 48120 + 1210);
  assert.equal(m.complete, true);
  // the third pass over the loader is a loop over an unknown value: `total` is unknown, no ZeroDivisionError
  assert.deepEqual(failures(CIFAR), []);
  assert.notDeepEqual(failures(CIFAR.replace('12500', '12501')), []);
});

const FINETUNE = (train: string) => `import os
import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

data_transforms = {
    'train': transforms.Compose([${train}, transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
}
image_datasets = {x: datasets.ImageFolder(os.path.join('data', x), data_transforms[x]) for x in ['train']}
dataloaders = {x: torch.utils.data.DataLoader(image_datasets[x], batch_size=8, shuffle=True) for x in ['train']}

def train_model(model, epochs=25):
    for epoch in range(epochs):
        for inputs, labels in dataloaders['train']:
            outputs = model(inputs)
    return model

model_ft = models.resnet18(weights=None)
model_ft.fc = nn.Linear(model_ft.fc.in_features, 2)
model_ft = train_model(model_ft)
`;

test('transfer-learning tutorial: an ImageFolder of unknown sizes through a fixed-size crop is (B, 3, 224, 224)', () => {
  for (const t of ['transforms.RandomResizedCrop(224)', 'transforms.Resize(256), transforms.CenterCrop(224)', 'transforms.Resize((224, 224))']) {
    const m = analyse(FINETUNE(t)).models[0];
    assert.deepEqual(m.inputShape, [8, 3, 224, 224], t);
    assert.equal(m.macs, 1814073344 - 512 * 998, t);
  }
  // an image of unknown size resized keeping its aspect ratio has an unknown size: no input from it, no guess
  const m = analyse(FINETUNE('transforms.Resize(256)')).models[0];
  assert.deepEqual(m.inputShape, ['N', 3, 'H', 'W']);
  const rows = analyse(FINETUNE('transforms.Resize(256)').replace("datasets.ImageFolder(os.path.join('data', x), data_transforms[x])",
    "datasets.CIFAR10('data', transform=data_transforms[x])")).models[0];
  assert.deepEqual(rows.inputShape, [8, 3, 256, 256]);
});

test('MNIST: samples through ToTensor, the dataset\'s arrays and classes; random_split as PyTorch splits', () => {
  const src = `import torch
from torch import nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets
from torchvision.transforms import ToTensor, Pad, Grayscale, Compose, Resize
full = datasets.MNIST(root="data", train=True, download=True, transform=Compose([Pad(2), Grayscale(3), Resize(20, max_size=25), ToTensor()]))
train, val = random_split(full, [0.8, 0.2])
assert len(train) == 48000 and len(val) == 12000
assert full.data.shape == (60000, 28, 28) and len(full.classes) == 10 and full.targets.shape[0] == 60000
a, b, c = random_split(range(10), [0.33, 0.33, 0.34])
assert (len(a), len(b), len(c)) == (4, 3, 3)
loader = DataLoader(train, batch_size=64)
x, y = next(iter(loader))
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 20 * 20, len(full.classes)))
out = model(x)
assert y.shape == (64,)
`;
  const r = analyse(src);
  assert.deepEqual(failures(src), []);
  assert.notDeepEqual(failures(src.replace('(4, 3, 3)', '(3, 3, 4)')), []);
  assert.deepEqual(r.models[0].inputShape, [64, 3, 20, 20]);
  assert.equal(r.models[0].totalParams, 1200 * 10 + 10);
  const bad = failures(src.replace('[0.8, 0.2]', '[50000, 20000]'));
  assert.ok(bad.some((e) => /Sum of input lengths does not equal the length of the input dataset/.test(e)), JSON.stringify(bad));
});

test('TensorDataset and a Dataset of the user\'s: default_collate stacks the samples', () => {
  const src = `import torch
from torch import nn
from torch.utils.data import Dataset, DataLoader, TensorDataset
class Windows(Dataset):
    def __init__(self, n):
        self.x = torch.randn(n, 12, 100)
    def __len__(self):
        return len(self.x)
    def __getitem__(self, i):
        return {"signal": self.x[i], "label": 3}
ds = TensorDataset(torch.randn(500, 1, 28, 28), torch.randint(0, 10, (500,)))
xb, yb = next(iter(DataLoader(ds, batch_size=32, shuffle=True)))
assert xb.shape == (32, 1, 28, 28) and yb.shape == (32,)
batch = next(iter(DataLoader(Windows(40), batch_size=16)))
model = nn.Sequential(nn.Conv1d(12, 8, 5), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(8, 4))
for epoch in range(3):
    out = model(batch["signal"])
assert batch["label"].shape == (16,)
`;
  const r = analyse(src);
  assert.deepEqual(failures(src), []);
  assert.notDeepEqual(failures(src.replace('(32,)', '(31,)')), []);
  assert.deepEqual(r.models[0].inputShape, [16, 12, 100]);
});

test('what the data alone knows stays unknown: a transform of the user\'s on an image, a dataset reading files', () => {
  const src = `import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
class Jitter:
    def __call__(self, img):
        return img.rotate(10)
ds = datasets.CIFAR10("data", transform=transforms.Compose([Jitter(), transforms.ToTensor()]))
model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.LazyLinear(10))
for x, y in DataLoader(ds, batch_size=4):
    out = model(x)
n = len(datasets.ImageFolder("data/train").classes)
head = nn.Linear(10, n)
`;
  const r = analyse(src);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const m = r.models.find((x) => x.name === 'model');
  assert.deepEqual(m?.inputShape.slice(1), [3, 'H', 'W']);
  assert.equal(m?.complete, false);
  const head = r.models.find((x) => x.name === 'head');
  assert.equal(head?.complete, false);
});

// a CIFAR-100 ResNet-18 with a 3×3 stem, its loop wrapped in tqdm: torch 1.13 gives 11,220,132 parameters
const TQDM = `import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms, models
from tqdm.auto import tqdm

train_ds = datasets.CIFAR100("data", train=True, download=True, transform=transforms.Compose([
    transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(), transforms.ToTensor()]))
train_loader = DataLoader(train_ds, batch_size=128, shuffle=True, num_workers=4, pin_memory=True)
model = models.resnet18(num_classes=len(train_ds.classes))
model.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
model.maxpool = nn.Identity()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
for epoch in range(200):
    model.train()
    pbar = tqdm(train_loader, desc=f"epoch {epoch}")
    for images, labels in pbar:
        outputs = model(images)
        loss = nn.functional.cross_entropy(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=loss.item())
`;

test('tqdm around a DataLoader is the loader: the loop\'s batch is the input; CIFAR-100 has 100 classes', () => {
  const r = analyse(TQDM);
  assert.deepEqual(r.models.map((m) => [m.name, m.inputShape, m.totalParams, m.outputShape]), [['model', [128, 3, 32, 32], 11220132, [128, 100]]]);
  assert.deepEqual(r.packages?.map((p) => p.name), ['torch', 'torchvision']);
});

// a Kaggle-style Dataset of the user's: rows from pandas (not modelled), images from PIL by path
const CUSTOM = `import os
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
import torchvision.transforms as T
from sklearn.model_selection import train_test_split

df = pd.read_csv("train.csv")
train_df, valid_df = train_test_split(df, test_size=0.2, stratify=df.label, random_state=42)

class LeafDataset(Dataset):
    def __init__(self, df, root, transforms=None):
        self.df = df.reset_index(drop=True)
        self.root = root
        self.transforms = transforms

    def __len__(self):
        return len(self.df)

    def __getitem__(self, idx):
        row = self.df.iloc[idx]
        image = Image.open(os.path.join(self.root, row.image_id)).convert("RGB")
        if self.transforms:
            image = self.transforms(image)
        return image, torch.tensor(row.label, dtype=torch.long)

tfm = T.Compose([T.Resize((256, 256)), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])
train_loader = DataLoader(LeafDataset(train_df, "train_images", tfm), batch_size=16, shuffle=True)

class SimpleCNN(nn.Module):
    def __init__(self, n_classes=5):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(32, n_classes)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))

model = SimpleCNN()
for epoch in range(10):
    for xb, yb in train_loader:
        loss = nn.CrossEntropyLoss()(model(xb), yb)
        loss.backward()
`;

test('a Dataset of the user\'s reading images with PIL: convert("RGB") fixes the channels, Resize the size', () => {
  const m = analyse(CUSTOM).models[0];
  assert.deepEqual(m.inputShape, [16, 3, 256, 256]);
  assert.equal(m.complete, true);
  // without convert, the channels are the file's: no input from the loader, no guess
  const raw = analyse(CUSTOM.replace('.convert("RGB")', '')).models[0];
  assert.deepEqual(raw.inputShape, ['N', 3, 'H', 'W']);
  // without a fixed-size resize, the size is the file's
  const sized = analyse(CUSTOM.replace('T.Resize((256, 256)), ', '')).models[0];
  assert.deepEqual(sized.inputShape, ['N', 3, 'H', 'W']);
  const pil = analyse(`from PIL import Image
import numpy as np
import torch.nn as nn
import torchvision.transforms as T
img = Image.new("L", (40, 30)).resize((64, 48)).crop((0, 0, 32, 32))
x = T.ToTensor()(img).unsqueeze(0)
arr = T.ToTensor()(Image.fromarray(np.zeros((20, 10, 3), dtype=np.uint8))).unsqueeze(0)
model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.Flatten())
out = model(x)
other = nn.Conv2d(3, 4, 3)
y = other(arr)
`);
  assert.deepEqual(pil.models.map((x) => [x.name, x.inputShape]), [['model', [1, 1, 32, 32]], ['other', [1, 3, 20, 10]]]);
});

test('an opened image\'s size is unknown, not None: arithmetic on it is no TypeError', () => {
  const r = analyse(`from PIL import Image
import torch.nn as nn
img = Image.open("photo.jpg")
w, h = img.size
half = img.resize((w // 2, h // 2))
small = img.convert("RGB").resize((64, 32))
model = nn.Linear(small.width * small.height, 10)
m2 = nn.Linear(w, 3)
`);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(r.models.map((m) => [m.name, m.complete]), [['model', true], ['m2', false]]);
  assert.equal(r.models[0].totalParams, 64 * 32 * 10 + 10);
  assert.deepEqual(r.models[1].unmodelled.map((u) => [u.name, u.reason]), [['Linear', 'its argument in_features is unknown']]);
});
