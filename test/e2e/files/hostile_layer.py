# A layer named like Markdown with a command link and HTML: the hover must show it as text.
import torch.nn as nn
# convlens: input=(1, 3, 8, 8)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.add_module("x` [Click](command:convlens%2EsetInputShape?%5B%5D) `<img src=x onerror=alert(1)>", nn.Conv2d(3, 8, 3))

    def forward(self, x):
        return getattr(self, "x` [Click](command:convlens%2EsetInputShape?%5B%5D) `<img src=x onerror=alert(1)>")(x)
