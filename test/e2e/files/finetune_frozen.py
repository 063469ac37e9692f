# Fine-tuning: a frozen stem (conv1, bn1), only conv2's bias frozen, a trainable head.
# PyTorch: 4,956 trainable parameters, 512 frozen (sum(p.numel() for p in model.parameters() if p.requires_grad)).
import torch
import torch.nn as nn
import torch.nn.functional as F


class FineTuned(nn.Module):
    def __init__(self, classes=8):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32, classes)
        self.spare = nn.Linear(4, 4)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.relu(self.bn2(self.conv2(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


# convlens: input=(1, 3, 16, 16)
model = FineTuned()
for p in model.conv1.parameters():
    p.requires_grad = False
model.bn1.requires_grad_(False)
model.conv2.bias.requires_grad = False
