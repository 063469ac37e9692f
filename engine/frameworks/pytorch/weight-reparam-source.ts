// torch.nn.utils.weight_norm and spectral_norm (the hook-based API of PyTorch 1.x, still in 2.x), and their
// torch.nn.utils.parametrizations versions, as Python the interpreter runs: they move a layer's weight into new
// parameters and buffers exactly as PyTorch's own WeightNorm.apply / SpectralNorm.apply and
// register_parametrization do (torch/nn/utils/weight_norm.py, spectral_norm.py, parametrize.py: a
// `parametrizations.<name>` list holding `original`, or `original0`/`original1`), so parameter names, order and
// counts follow; the layer's output shape and MACs are those of the layer itself. The
// weight each forward recomputes from them is a plain attribute of the same shape; REPARAM_MARK names, on the
// module, which of its weights are recomputed (what autograd keeps differs: engine/memory/saved.ts).
export const WEIGHT_REPARAM_MODULE = 'torch.nn.utils.weight_norm';

export const REPARAM_MARK = '_convlens_reparametrized';

export const WEIGHT_REPARAM_FUNCTIONS = ['weight_norm', 'remove_weight_norm', 'spectral_norm', 'remove_spectral_norm'];
/** What torch.nn.utils.parametrizations holds of it (the source's `p_` functions); the rest stays unknown. */
export const PARAMETRIZATIONS = ['weight_norm', 'spectral_norm'];

export const WEIGHT_REPARAM_SOURCE = `
import torch
from torch.nn import Parameter, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d


def _norm_except_dim_shape(weight, dim):
    # dim None or -1: one norm over the whole tensor (a 0-d g), as torch's norm_except_dim
    if dim is None or dim == -1:
        return ()
    if dim < 0:
        dim += weight.dim()
    return tuple(weight.size(i) if i == dim else 1 for i in range(weight.dim()))


def _mark(module, name, kind):
    marks = dict(getattr(module, '${REPARAM_MARK}', {}))
    if kind is None:
        marks.pop(name, None)
    else:
        marks[name] = kind
    setattr(module, '${REPARAM_MARK}', marks)


def _parameter(module, name):
    weight = getattr(module, name)
    # None: a layer whose sizes ConvLens does not know holds its weight so; it stays as it is, counts unknown
    if weight is not None and not isinstance(weight, Parameter):
        raise AttributeError("'{}' object has no parameter '{}'".format(type(module).__name__, name))
    return weight


def weight_norm(module, name='weight', dim=0):
    weight = _parameter(module, name)
    if weight is None:
        return module
    delattr(module, name)
    module.register_parameter(name + '_g', Parameter(torch.empty(_norm_except_dim_shape(weight, dim))))
    module.register_parameter(name + '_v', Parameter(torch.empty(weight.shape)))
    setattr(module, name, torch.empty(weight.shape))
    _mark(module, name, 'weight_norm')
    return module


def remove_weight_norm(module, name='weight'):
    v = _parameter(module, name + '_v')
    if v is None:
        return module
    delattr(module, name + '_g')
    delattr(module, name + '_v')
    delattr(module, name)
    module.register_parameter(name, Parameter(torch.empty(v.shape)))
    _mark(module, name, None)
    return module


def _spectral_dim(module, dim):
    # the output channels' axis: 1 for a transposed convolution's (in, out, …) weight
    if dim is None:
        return 1 if isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)) else 0
    return dim


def spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12, dim=None):
    dim = _spectral_dim(module, dim)
    weight = _parameter(module, name)
    if weight is None:
        return module
    height = weight.size(dim)
    delattr(module, name)
    module.register_parameter(name + '_orig', weight)
    setattr(module, name, torch.empty(weight.shape))
    module.register_buffer(name + '_u', torch.empty(height))
    module.register_buffer(name + '_v', torch.empty(weight.numel() // height))
    _mark(module, name, 'spectral_norm')
    return module


def remove_spectral_norm(module, name='weight'):
    weight = _parameter(module, name + '_orig')
    if weight is None:
        return module
    delattr(module, name)
    delattr(module, name + '_orig')
    delattr(module, name + '_u')
    delattr(module, name + '_v')
    module.register_parameter(name, Parameter(torch.empty(weight.shape)))
    _mark(module, name, None)
    return module


class _SpectralNorm(torch.nn.Module):
    def __init__(self, weight, dim):
        super().__init__()
        if weight.dim() > 1:
            height = weight.size(dim)
            self.register_buffer('_u', torch.empty(height))
            self.register_buffer('_v', torch.empty(weight.numel() // height))


class _WeightNorm(torch.nn.Module):
    pass


class ParametrizationList(torch.nn.ModuleList):
    pass


def _parametrize(module, name, parametrization, originals, kind):
    weight = _parameter(module, name)
    if weight is None:
        return module
    delattr(module, name)
    if not hasattr(module, 'parametrizations'):
        module.parametrizations = torch.nn.ModuleDict()
    plist = ParametrizationList([parametrization])
    for key, shape in originals:
        plist.register_parameter(key, Parameter(torch.empty(shape)))
    module.parametrizations[name] = plist
    setattr(module, name, torch.empty(weight.shape))
    _mark(module, name, kind)
    return module


def p_spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12, dim=None):
    weight = _parameter(module, name)
    if weight is None:
        return module
    parametrization = _SpectralNorm(weight, _spectral_dim(module, dim))
    return _parametrize(module, name, parametrization, [('original', weight.shape)], 'spectral_norm')


def p_weight_norm(module, name='weight', dim=0):
    weight = _parameter(module, name)
    if weight is None:
        return module
    g = _norm_except_dim_shape(weight, dim)
    return _parametrize(module, name, _WeightNorm(), [('original0', g), ('original1', weight.shape)], 'weight_norm')
`;
