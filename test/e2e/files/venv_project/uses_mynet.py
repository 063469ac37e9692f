# The model comes from a package installed in the project's venv (venv/lib/python3.11/site-packages/mynet).
import torch
from mynet import TinyCNN

model = TinyCNN()
out = model(torch.randn(1, 3, 32, 32))
