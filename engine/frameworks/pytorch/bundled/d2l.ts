// `from d2l import torch as d2l`: the classes of the "Dive into Deep Learning" textbook that its
// models are built on, written for ConvLens from the book's documented API (d2l.ai, chapter 3.2 and
// the d2l.torch reference): a model keeps its network in `self.net`, `forward` calls it, and
// `save_hyperparameters` stores the constructor's arguments. Trainers, data and plotting are not
// here: they stay unknown, and never change a model's numbers.
export const D2L_TORCH = `
import inspect
import torch
from torch import nn
from torch.nn import functional as F


def add_to_class(Class):
    def wrapper(obj):
        setattr(Class, obj.__name__, obj)
    return wrapper


class HyperParameters:
    def save_hyperparameters(self, ignore=[]):
        frame = inspect.currentframe().f_back
        _, _, _, local_vars = inspect.getargvalues(frame)
        self.hparams = {k: v for k, v in local_vars.items()
                        if k not in set(list(ignore) + ['self']) and not k.startswith('_')}
        for k, v in self.hparams.items():
            setattr(self, k, v)


class Module(nn.Module, HyperParameters):
    def __init__(self, plot_train_per_epoch=2, plot_valid_per_epoch=1):
        super().__init__()
        self.save_hyperparameters()

    def forward(self, X):
        assert hasattr(self, 'net'), 'Neural network is defined'
        return self.net(X)

    def apply_init(self, inputs, init=None):
        self.forward(*inputs)
        if init is not None:
            self.net.apply(init)


class Classifier(Module):
    def layer_summary(self, X_shape):
        X = torch.randn(*X_shape)
        for layer in self.net:
            X = layer(X)


def init_cnn(module):
    if type(module) == nn.Linear or type(module) == nn.Conv2d:
        nn.init.xavier_uniform_(module.weight)
`;
