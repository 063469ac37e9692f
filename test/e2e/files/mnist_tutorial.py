# PyTorch's MNIST example style: nested calls, a custom block, torch.cat and a loop in forward().
# convlens: input=(1, 1, 28, 28)
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.b1 = Block(10, 16)
        self.b2 = Block(16, 16)
        self.side = nn.Conv2d(16, 8, 1)
        self.stages = nn.ModuleList([Block(24, 32, 2), Block(32, 64, 2), Block(64, 128, 2)])
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = self.b2(self.b1(x))
        x = torch.cat([x, self.side(x)], dim=1)
        for stage in self.stages:
            x = stage(x)
        x = x.mean((2, 3))
        return self.fc(x)


model = Net()
