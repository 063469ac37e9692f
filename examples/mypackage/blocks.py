# Building blocks shared by the models of this package.
import torch.nn as nn


def conv_bn(cin, cout, stride=1):
    """3×3 convolution, batch norm, ReLU."""
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )
