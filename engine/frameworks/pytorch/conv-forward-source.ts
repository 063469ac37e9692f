// Conv1d/2d/3d._conv_forward(input, weight, bias), as Python the interpreter runs: what a convolution subclass
// with its own weight calls (quantised, binarised or weight-standardised convolutions:
// `return self._conv_forward(x, self.quantize(self.weight), self.bias)`). As torch/nn/modules/conv.py: a
// padding mode other than zeros pads the input first (F.pad with the padding reversed and repeated twice, or
// 'same''s split with the odd pixel after) and convolves unpadded.
export const CONV_FORWARD_MODULE = 'torch.nn.modules.conv';

export const CONV_FORWARD_SOURCE = `
import torch.nn.functional as F


def _reversed_padding_repeated_twice(self):
    if self.padding == 'valid':
        return [0, 0] * len(self.kernel_size)
    if self.padding == 'same':
        pads = []
        for k, d in zip(reversed(self.kernel_size), reversed(self.dilation)):
            total = d * (k - 1)
            pads += [total // 2, total - total // 2]
        return pads
    return [p for p in reversed(self.padding) for _ in range(2)]


def _conv_forward(self, input, weight, bias):
    conv = (F.conv1d, F.conv2d, F.conv3d)[len(self.kernel_size) - 1]
    if self.padding_mode != 'zeros':
        padded = F.pad(input, _reversed_padding_repeated_twice(self), mode=self.padding_mode)
        return conv(padded, weight, bias, self.stride, 0, self.dilation, self.groups)
    return conv(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)
`;
