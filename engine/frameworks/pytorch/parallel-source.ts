// torch.nn.DataParallel, DistributedDataParallel, SyncBatchNorm and torch.compile, as Python the interpreter runs. The
// wrappers hold the model as their one child, `module` (so its rows and state_dict names are `module.…`, as
// PyTorch has them), and their forward calls it: one process's view, the batch each GPU gets being
// what the script's DataLoader gives. SyncBatchNorm is BatchNorm over any rank (≥ 2-D), with BatchNorm's
// parameters and buffers; convert_sync_batchnorm replaces every BatchNorm*d as PyTorch's does
// (torch/nn/modules/batchnorm.py), keeping its parameters (and their requires_grad) and running statistics.
// torch.compile (PyTorch 2) wraps a model as OptimizedModule, whose child `_orig_mod` is the model (state_dict
// `_orig_mod.conv1.weight`), and gives a function back as it is; used as a decorator with options, likewise.
export const PARALLEL_MODULE = 'torch.nn.parallel';

export const PARALLEL_CLASSES = ['DataParallel', 'DistributedDataParallel', 'SyncBatchNorm'];

/** torch.compile, defined in the same source. */
export const COMPILE = 'compile';

export const PARALLEL_SOURCE = `
import torch
import torch.nn.functional as F
from torch.nn import Module, Parameter, BatchNorm1d, BatchNorm2d, BatchNorm3d


class _Wrapper(Module):
    def _wrap(self, module, device_ids, output_device, dim):
        self.module = module
        self.device_ids = device_ids
        self.output_device = output_device
        self.dim = dim

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)


class DataParallel(_Wrapper):
    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self._wrap(module, device_ids, output_device, dim)


class DistributedDataParallel(_Wrapper):
    def __init__(self, module, device_ids=None, output_device=None, dim=0, broadcast_buffers=True, process_group=None,
                 bucket_cap_mb=25, find_unused_parameters=False, check_reduction=False, gradient_as_bucket_view=False,
                 static_graph=False, **kwargs):
        super().__init__()
        self._wrap(module, device_ids, output_device, dim)


class SyncBatchNorm(Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, process_group=None,
                 device=None, dtype=None):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        self.process_group = process_group
        if affine:
            self.weight = Parameter(torch.ones(num_features))
            self.bias = Parameter(torch.zeros(num_features))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", torch.zeros(num_features))
            self.register_buffer("running_var", torch.ones(num_features))
            self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def forward(self, input):
        if input.dim() < 2:
            raise ValueError("expected at least 2D input (got {}D input)".format(input.dim()))
        return F.batch_norm(input, self.running_mean, self.running_var, self.weight, self.bias, self.training,
                            self.momentum, self.eps)

    @classmethod
    def convert_sync_batchnorm(cls, module, process_group=None):
        module_output = module
        if isinstance(module, (BatchNorm1d, BatchNorm2d, BatchNorm3d)):
            module_output = SyncBatchNorm(module.num_features, module.eps, module.momentum, module.affine,
                                          module.track_running_stats, process_group)
            if module.affine:
                module_output.weight = module.weight
                module_output.bias = module.bias
            module_output.running_mean = module.running_mean
            module_output.running_var = module.running_var
            module_output.num_batches_tracked = module.num_batches_tracked
            module_output.training = module.training
        for name, child in module.named_children():
            module_output.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return module_output


class OptimizedModule(Module):
    def __init__(self, mod):
        super().__init__()
        self._orig_mod = mod

    def forward(self, *args, **kwargs):
        return self._orig_mod(*args, **kwargs)


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None, options=None, disable=False):
    if model is None:
        def wrap(model):
            return compile(model, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode, options=options,
                           disable=disable)
        return wrap
    if isinstance(model, Module):
        return OptimizedModule(model)
    return model
`;
