# %% [markdown]
# # A CNN tried twice
# The second class cell redefines the first; the cells were run out of order and one of them twice.
# %%
%matplotlib inline
!pip install torchsummary
import torch
import torch.nn as nn
import torch.nn.functional as F
# %%
class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3)
        self.fc = nn.Linear(8 * 26 * 26, 10)

    def forward(self, x):
        x = F.relu(self.conv(x))
        x = x.view(x.size(0), -1)
        return self.fc(x)
# %% [markdown]
# Second try: pool first, and keep the features.
# %%
class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(8 * 13 * 13, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(x)))
        feats, flat = x, x.flatten(1)
        return self.fc(flat), {'feats': feats}
# %%
model = CNN()
y, extra = model(torch.randn(4, 1, 28, 28))
y.shape
