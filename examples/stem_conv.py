# The stem of ResNet-18/50 on an ImageNet-sized image: a 7x7 convolution with stride 2, then
# batch norm, ReLU and a 3x3 max pool with stride 2.
import torch
import torch.nn as nn


# convlens: input=(1, 3, 224, 224)
class Stem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.relu(x)
        return self.maxpool(x)
