// The source of a one-class PyTorch model file for tests: `Net` with the given __init__ and
// forward() bodies, built as `model` and called on a (1, 3, 32, 32) tensor.
export const net = (imports: string, init: string, forward: string): string => `import torch
from torch import nn
import torch.nn.functional as F
${imports}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
${init.split('\n').map((l) => `        ${l}`).join('\n')}
    def forward(self, x):
${forward.split('\n').map((l) => `        ${l}`).join('\n')}
model = Net()
model(torch.randn(1, 3, 32, 32))
`;
