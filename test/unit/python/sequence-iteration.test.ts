// Loops and comprehensions over objects without __iter__ follow Python's old protocol (obj[0], obj[1], … up to its
// length) when the length is small and known; over what ConvLens cannot list (CIFAR-10's 50,000 samples), a
// comprehension is unknown, never an empty list: "Deep Learning with PyTorch"'s
// `cifar2 = [(img, label_map[label]) for img, label in cifar10 if label in [0, 2]]` then fed a DataLoader and
// was reported as "would fail: IndexError" in the loader.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { failures } from '../checked-source';

test('a small object with __getitem__ and __len__ is iterated item by item', () => {
  assert.deepEqual(failures(`class Pairs:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return (i, i * i)


squares = [b for a, b in Pairs()]
assert squares == [0, 1, 4]
total = 0
for a, b in Pairs():
    total += b
assert total == 5
`), []);
});

test('a comprehension over a dataset ConvLens does not read one by one is unknown, not empty', () => {
  const src = `import torch
from torchvision import datasets, transforms
cifar10 = datasets.CIFAR10("data", train=True, download=False, transform=transforms.ToTensor())
label_map = {0: 0, 2: 1}
cifar2 = [(img, label_map[label]) for img, label in cifar10 if label in [0, 2]]
loader = torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=True)
model = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3, padding=1), torch.nn.Flatten(), torch.nn.LazyLinear(2))
for imgs, labels in loader:
    out = model(imgs)
`;
  const r = analyzeSource('/ws/train.py', src);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(failures('cifar10 = [1, 2]\nn = len([x for x in undefined_thing])\nassert n == 0\n').length, 1,
    'a comprehension over an unknown value has no known length');
});
