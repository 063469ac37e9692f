// argparse as `python train.py` sees it: the defaults, by argparse's rules; a list given to parse_args is parsed;
// what only the command line gives is unknown. The pytorch/examples MNIST script's structure: its model's input
// comes from the batch its train() loop reads (batch size from --batch-size's default).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';
import { checked, failures } from '../checked-source';

const run = (src: string) => analyzeSource('/ws/train.py', checked(src));

test('parse_args() gives the defaults: dest from the long option, store_true False, a string default through its type', () => {
  const src = `import argparse
parser = argparse.ArgumentParser(description="x", formatter_class=argparse.ArgumentDefaultsHelpFormatter)
parser.add_argument("--batch-size", type=int, default=64, metavar="N")
parser.add_argument("-e", "--num-epochs", dest="epochs", type=int, default="3")
parser.add_argument("--no-cuda", action="store_true")
group = parser.add_argument_group("model")
group.add_argument("--width", type=int, default=16)
parser.set_defaults(seed=7)
args = parser.parse_args()
assert args.batch_size == 64 and args.epochs == 3 and args.no_cuda is False and args.width == 16 and args.seed == 7
nb = parser.parse_args(["--batch-size", "128", "--no-cuda", "--width=8"])
assert nb.batch_size == 128 and nb.no_cuda is True and nb.width == 8
`;
  assert.deepEqual(failures(src), []);
  assert.ok(failures(src.replace('args.seed == 7', 'args.seed == 8')).some((e) => /python-error: .*check failed/.test(e)));
  assert.notDeepEqual(failures(src.replace('nb.width == 8', 'nb.width == 16')), []);
});

test('a required option or a positional argument is unknown (the command line decides), never a default', () => {
  const r = run(`import argparse
import torch.nn as nn
parser = argparse.ArgumentParser()
parser.add_argument("data_dir")
parser.add_argument("--classes", type=int, required=True)
args = parser.parse_args()
model = nn.Linear(10, args.classes)
`);
  assert.equal(r.models[0].complete, false);
  assert.deepEqual(r.packages?.map((p) => p.name), ['torch']);
});

const MNIST = `import argparse
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, transforms

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        return F.log_softmax(self.fc2(F.relu(self.fc1(torch.flatten(x, 1)))), dim=1)

def train(args, model, device, train_loader, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        output = model(data.to(device))
        if batch_idx % args.log_interval == 0 and args.dry_run:
            break

def main():
    parser = argparse.ArgumentParser(description='PyTorch MNIST Example')
    parser.add_argument('--batch-size', type=int, default=64, metavar='N')
    parser.add_argument('--epochs', type=int, default=14, metavar='N')
    parser.add_argument('--dry-run', action='store_true', default=False)
    parser.add_argument('--log-interval', type=int, default=10, metavar='N')
    args = parser.parse_args()
    device = torch.device("cpu")
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train_loader = torch.utils.data.DataLoader(datasets.MNIST('../data', train=True, download=True, transform=transform),
                                               batch_size=args.batch_size)
    model = Net().to(device)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, epoch)

if __name__ == '__main__':
    main()
`;

test('pytorch/examples MNIST: the model\'s input is the batch of its train() loop', () => {
  const r = run(MNIST);
  assert.deepEqual(r.models.map((m) => [m.name, m.inputShape, m.totalParams]), [['Net', [64, 1, 28, 28], 1199882]]);
  assert.deepEqual(failures(MNIST), []);
});
