# A model that imports its blocks from a sibling module of its package (a relative import):
# ConvLens reads blocks.py too, from the workspace, without running Python.
import torch.nn as nn

from .blocks import conv_bn


# convlens: input=(1, 3, 32, 32)
class PackageNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(conv_bn(3, 16), conv_bn(16, 32, 2), conv_bn(32, 64, 2))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        return self.fc(self.pool(self.features(x)).flatten(1))
