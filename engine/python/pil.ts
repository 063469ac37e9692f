// PIL as a training script's dataset uses it (`Image.open(path).convert("RGB")`, then torchvision transforms): an
// image is its size and channels (_convlens/images.py), known where the code fixes them (convert, resize, crop,
// Image.new, Image.fromarray of a known array), unknown where only the file knows them. Read even over an installed
// Pillow, whose decoding is C code ConvLens never runs.
import type { BundledPackage } from './bundled';

const IMAGE_PY = `
from _convlens.images import _Image, _CHANNELS
from _convlens_natives import _unknown

Image = _Image
NEAREST, LANCZOS, BILINEAR, BICUBIC, BOX, HAMMING = range(6)
FLIP_LEFT_RIGHT = 0
FLIP_TOP_BOTTOM = 1


class Resampling:
    NEAREST = 0
    LANCZOS = 1
    BILINEAR = 2
    BICUBIC = 3
    BOX = 4
    HAMMING = 5


def open(fp, mode="r", formats=None):
    return _Image(None, None, None)


def new(mode, size, color=0):
    return _Image(size[0], size[1], _CHANNELS[mode] if mode in _CHANNELS else None)


def fromarray(obj, mode=None):
    shape = obj.shape
    if len(shape) == 2:
        return _Image(shape[1], shape[0], 1)
    return _Image(shape[1], shape[0], shape[2])
`;

export const PIL: BundledPackage = {
  name: 'PIL', version: '(ConvLens stand-in)', preferred: true, hidden: true,
  files: { 'PIL/__init__.py': '', 'PIL/Image.py': IMAGE_PY },
};
