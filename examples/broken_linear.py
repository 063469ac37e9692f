# A classic mistake: the classifier expects 32 * 7 * 7 features, but two 2x2 poolings of a 32x32
# image leave 8x8, so 32 * 8 * 8 = 2048 arrive. ConvLens flags it and offers the fix.
import torch
import torch.nn as nn


# convlens: input=(1, 3, 32, 32)
class SmallNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(32 * 7 * 7, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)
