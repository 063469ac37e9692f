// torch.utils.data and torchvision.datasets as ConvLens reads them: what matters is the shape of a batch, so a
// training script's `for images, labels in loader: outputs = model(images)` gives the model its real input.
// A dataset's image is its size and channels only; torchvision's transforms are followed by what they do to that
// size (Resize, CenterCrop, RandomResizedCrop, Pad, Grayscale, ToTensor …); a transform ConvLens does not know,
// an image of unknown size or a dataset that reads files of the user's gives unknown values, named. A DataLoader
// gives one batch a pass, for its first two passes (peeking at a batch, then one epoch); later passes are loops
// over an unknown value (what they change is unknown): ConvLens never runs a training loop over the data. Labels are 0-d int64 tensors whose values are unknown.
// torchvision.transforms is a stand-in of the same classes, so that this works without torchvision installed.
// Written for ConvLens from PyTorch's and torchvision's documented behaviour (torch 1.13, torchvision 0.14).

export const DATA_PY = `
import math
import torch
from _convlens_natives import _unknown, _is_unknown, _is_array


class Dataset:
    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other):
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    pass


class TensorDataset(Dataset):
    def __init__(self, *tensors):
        for t in tensors:
            if t.size(0) != tensors[0].size(0):
                raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].size(0)


class Subset(Dataset):
    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        if isinstance(self.indices, _Indices):
            return self.dataset[0]
        return self.dataset[self.indices[idx]]

    def __len__(self):
        return len(self.indices)


class ConcatDataset(Dataset):
    def __init__(self, datasets):
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise AssertionError("datasets should not be an empty iterable")

    def __getitem__(self, idx):
        return self.datasets[0][0]

    def __len__(self):
        return sum(len(d) for d in self.datasets)


class _Indices:
    # a random permutation's slice: only its length is known
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


def random_split(dataset, lengths, generator=None):
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        sizes = [int(math.floor(n * frac)) for frac in lengths]
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
        lengths = sizes
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    return [Subset(dataset, _Indices(k)) for k in lengths]


def default_collate(batch):
    elem = batch[0]
    if _is_unknown(elem):
        return elem
    if isinstance(elem, torch.Tensor):
        return torch.stack(batch, 0)
    if _is_array(elem):
        return torch.stack([torch.as_tensor(b) for b in batch], 0)
    if isinstance(elem, bool) or isinstance(elem, int):
        return torch.tensor(batch)
    if isinstance(elem, float):
        return torch.tensor(batch, dtype=torch.float64)
    if isinstance(elem, str):
        return batch
    if isinstance(elem, dict):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, tuple) or isinstance(elem, list):
        return [default_collate(list(samples)) for samples in zip(*batch)]
    return _unknown("a batch of " + type(elem).__name__ + ", which default_collate does not take")


class Sampler:
    def __init__(self, data_source=None):
        self.data_source = data_source


class RandomSampler(Sampler):
    pass


class SequentialSampler(Sampler):
    pass


class SubsetRandomSampler(Sampler):
    def __init__(self, indices, generator=None):
        self.indices = indices

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    def __init__(self, weights, num_samples, replacement=True, generator=None):
        self.num_samples = num_samples

    def __len__(self):
        return self.num_samples


class DataLoader:
    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, prefetch_factor=2, persistent_workers=False,
                 pin_memory_device=""):
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.collate_fn = collate_fn
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self._passes = 0

    def __len__(self):
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.sampler) if self.sampler is not None and hasattr(self.sampler, "__len__") else len(self.dataset)
        if self.batch_size is None:
            return n
        if self.drop_last:
            return n // self.batch_size
        return (n + self.batch_size - 1) // self.batch_size

    def __iter__(self):
        self._passes += 1
        if self._passes > 2:
            return _unknown("a DataLoader's batches after the first two passes, which ConvLens does not run")
        return iter([self._batch()])

    def _batch(self):
        if self.batch_sampler is not None:
            return _unknown("a batch from a batch_sampler, whose size ConvLens does not know")
        sample = self.dataset[0]
        if self.batch_size is None:
            return sample
        n = self.batch_size
        size = len(self.dataset)
        if not _is_unknown(size) and size < n and not self.drop_last:
            n = size
        if self.collate_fn is not None:
            return self.collate_fn([sample] * n)
        return default_collate([sample] * n)
`;

export const TRANSFORMS_PY = `
import torch
from _convlens_natives import _unknown, _is_unknown, _is_array
from _convlens.images import _Image


class InterpolationMode:
    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


def _setup_size(size, error_msg="Please provide only two dimensions (h, w) for size."):
    if isinstance(size, int):
        return (size, size)
    if len(size) == 1:
        return (size[0], size[0])
    if len(size) != 2:
        raise ValueError(error_msg)
    return (size[0], size[1])


class _Transform:
    def __init__(self, *args, **kwargs):
        self.args = args

    def __call__(self, img):
        return _apply(self, img)


class Compose(_Transform):
    def __init__(self, transforms):
        self.transforms = transforms


class RandomApply(Compose):
    def __init__(self, transforms, p=0.5):
        self.transforms = transforms
        self.p = p


class RandomChoice(Compose):
    def __init__(self, transforms, p=None):
        self.transforms = transforms


class RandomOrder(Compose):
    pass


class Resize(_Transform):
    def __init__(self, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=None):
        if not isinstance(size, int) and not (isinstance(size, (list, tuple)) and len(size) in (1, 2)):
            raise TypeError("Size should be int or sequence. Got " + str(type(size)))
        self.size = size
        self.max_size = max_size


class CenterCrop(_Transform):
    def __init__(self, size):
        self.size = _setup_size(size)


class RandomResizedCrop(_Transform):
    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation=InterpolationMode.BILINEAR,
                 antialias=None):
        self.size = _setup_size(size)


class RandomCrop(_Transform):
    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        self.size = _setup_size(size)
        self.padding = padding
        self.pad_if_needed = pad_if_needed


class Pad(_Transform):
    def __init__(self, padding, fill=0, padding_mode="constant"):
        self.padding = padding


class Grayscale(_Transform):
    def __init__(self, num_output_channels=1):
        self.num_output_channels = num_output_channels


class RandomRotation(_Transform):
    def __init__(self, degrees, interpolation=InterpolationMode.NEAREST, expand=False, center=None, fill=0):
        self.expand = expand


class Lambda(_Transform):
    def __init__(self, lambd):
        self.lambd = lambd


class ToTensor(_Transform):
    pass


class PILToTensor(_Transform):
    pass


class ToPILImage(_Transform):
    pass


class Normalize(_Transform):
    pass


class ConvertImageDtype(_Transform):
    pass


class RandomHorizontalFlip(_Transform):
    pass


class RandomVerticalFlip(_Transform):
    pass


class ColorJitter(_Transform):
    pass


class RandomAffine(_Transform):
    pass


class RandomPerspective(_Transform):
    pass


class GaussianBlur(_Transform):
    pass


class RandomErasing(_Transform):
    pass


class RandomInvert(_Transform):
    pass


class RandomPosterize(_Transform):
    pass


class RandomSolarize(_Transform):
    pass


class RandomAdjustSharpness(_Transform):
    pass


class RandomAutocontrast(_Transform):
    pass


class RandomEqualize(_Transform):
    pass


class RandomGrayscale(_Transform):
    pass


class ElasticTransform(_Transform):
    pass


class AutoAugment(_Transform):
    pass


class RandAugment(_Transform):
    pass


class TrivialAugmentWide(_Transform):
    pass


class AugMix(_Transform):
    pass


class ImageClassification(_Transform):
    # torchvision.transforms._presets: what a model's weights.transforms() gives
    def __init__(self, crop_size, resize_size=256, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225),
                 interpolation=InterpolationMode.BILINEAR, antialias=None):
        self.crop_size = [crop_size]
        self.resize_size = [resize_size]


class SemanticSegmentation(_Transform):
    pass


class VideoClassification(_Transform):
    pass


class ObjectDetection(_Transform):
    pass


class OpticalFlow(_Transform):
    pass


class AutoAugmentPolicy:
    IMAGENET = "imagenet"
    CIFAR10 = "cifar10"
    SVHN = "svhn"


def _pair(size):
    if isinstance(size, int):
        return (size, size)
    if len(size) == 1:
        return (size[0], size[0])
    return (size[0], size[1])


def _hw(img):
    if isinstance(img, _Image):
        return img._h, img._w
    return img.shape[-2], img.shape[-1]


def _sized(img, h, w, channels=None):
    if isinstance(img, _Image):
        return _Image(w, h, img._c if channels is None else channels)
    c = img.shape[-3] if channels is None else channels
    return torch.empty(*img.shape[:-3], c, h, w)


def _resize(img, size, max_size):
    h, w = _hw(img)
    if not isinstance(size, int) and len(size) == 2:
        return _sized(img, size[0], size[1])
    if h is None or w is None:
        # still of a size only its file knows (a crop to a fixed size after it is known again)
        return img if isinstance(img, _Image) else _unknown("a tensor of unknown size, resized keeping its aspect ratio")
    s = size if isinstance(size, int) else size[0]
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = s, int(s * long / short)
    if max_size is not None and new_long > max_size:
        new_short, new_long = int(max_size * new_short / new_long), max_size
    nw, nh = (new_short, new_long) if w <= h else (new_long, new_short)
    return _sized(img, nh, nw)


_KNOWN = ["Normalize", "ConvertImageDtype", "RandomHorizontalFlip", "RandomVerticalFlip", "ColorJitter", "RandomAffine",
         "RandomPerspective", "GaussianBlur", "RandomErasing", "RandomInvert", "RandomPosterize", "RandomSolarize",
         "RandomAdjustSharpness", "RandomAutocontrast", "RandomEqualize", "AutoAugment", "RandAugment",
         "TrivialAugmentWide", "AugMix", "RandomGrayscale", "ConvertImageDtype", "ElasticTransform"]


def _apply(t, img):
    if _is_unknown(img):
        return img
    name = type(t).__name__
    if name == "Compose" or name == "RandomOrder":
        for s in t.transforms:
            img = _apply(s, img)
        return img
    if name == "RandomApply":
        out = img
        for s in t.transforms:
            out = _apply(s, out)
        return out if _same_shape(out, img) else _unknown("RandomApply of transforms that change the size")
    if name == "RandomChoice":
        outs = [_apply(s, img) for s in t.transforms]
        for o in outs:
            if not _same_shape(o, outs[0]):
                return _unknown("RandomChoice among transforms of different output sizes")
        return outs[0]
    if name == "ToTensor" or name == "PILToTensor":
        if isinstance(img, _Image):
            if img._w is None or img._h is None:
                return _unknown("an image of a size only its file knows (add a Resize or a crop to a fixed size)")
            if img._c is None:
                return _unknown("an image whose channels only its file knows (convert('RGB') fixes them)")
            return torch.empty(img._c, img._h, img._w)
        if _is_array(img):
            arr = img if img.ndim == 3 else img[:, :, None]
            return torch.from_numpy(arr.transpose((2, 0, 1)))
        raise TypeError("pic should be PIL Image or ndarray. Got " + str(type(img)))
    if name == "ToPILImage":
        return _Image(img.shape[-1], img.shape[-2], img.shape[-3])
    if name == "Resize":
        return _resize(img, t.size, getattr(t, "max_size", None))
    if name == "CenterCrop" or name == "RandomResizedCrop":
        h, w = _pair(t.size)
        return _sized(img, h, w)
    if name == "RandomCrop":
        th, tw = _pair(t.size)
        h, w = _hw(img)
        if t.padding is not None and h is not None and w is not None:
            p = _pair(t.padding) if isinstance(t.padding, int) or len(t.padding) <= 2 else None
            if p is None:
                h, w = h + t.padding[1] + t.padding[3], w + t.padding[0] + t.padding[2]
            else:
                h, w = h + 2 * p[1], w + 2 * p[0]
        if h is not None and w is not None and (h < th or w < tw) and not t.pad_if_needed:
            raise ValueError("Required crop size " + str((th, tw)) + " is larger than input image size " + str((h, w)))
        return _sized(img, th, tw)
    if name == "Pad":
        h, w = _hw(img)
        if h is None or w is None:
            return img
        p = t.padding
        if isinstance(p, int):
            return _sized(img, h + 2 * p, w + 2 * p)
        if len(p) == 2:
            return _sized(img, h + 2 * p[1], w + 2 * p[0])
        return _sized(img, h + p[1] + p[3], w + p[0] + p[2])
    if name == "Grayscale":
        h, w = _hw(img)
        return _sized(img, h, w, t.num_output_channels)
    if name == "RandomRotation":
        return img if not t.expand else _unknown("RandomRotation with expand=True: the size depends on the angle")
    if name == "ImageClassification":
        # a weights' preset: resize, centre crop, to a float tensor
        h, w = _pair(t.crop_size)
        return torch.empty(img._c if isinstance(img, _Image) else img.shape[-3], h, w)
    if isinstance(t, _Transform) and not name in _KNOWN:
        return _unknown("the transform " + name + ", whose output size ConvLens does not follow")
    if name == "Lambda" or not name in _KNOWN:
        # the user's own function, on a tensor: it runs as Python would run it
        if isinstance(img, torch.Tensor):
            return t.lambd(img) if name == "Lambda" else t(img)
        return _unknown("the transform " + name + " on an image, which ConvLens does not follow")
    return img


def _same_shape(a, b):
    if _is_unknown(a) or _is_unknown(b):
        return False
    if isinstance(a, _Image) and isinstance(b, _Image):
        return (a._w, a._h, a._c) == (b._w, b._h, b._c)
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        return tuple(a.shape) == tuple(b.shape)
    return False


`;

export const DATASETS_PY = `
import torch
from torch.utils.data import Dataset
from _convlens_natives import _unknown, _is_unknown, _is_array, _data_array
from torchvision.transforms import _Image, _apply


class VisionDataset(Dataset):
    def __init__(self, root=None, transforms=None, transform=None, target_transform=None):
        self.root = root
        self.transforms = transforms
        self.transform = transform
        self.target_transform = target_transform


class _Images(VisionDataset):
    # a dataset of images of one known size: (width, height, channels), its classes, its splits' lengths
    image = (None, None, 3)
    classes = None
    lengths = {}

    def __init__(self, root=None, train=True, transform=None, target_transform=None, download=False, split=None,
                 **kwargs):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        self.split = split if split is not None else ("train" if train else "test")

    def __len__(self):
        if self.split not in self.lengths:
            return _unknown("the length of the " + type(self).__name__ + " split " + str(self.split))
        return self.lengths[self.split]

    def __getitem__(self, index):
        img = _Image(self.image[0], self.image[1], self.image[2])
        target = torch.empty((), dtype=torch.int64)
        if self.transform is not None:
            img = _apply(self.transform, img)
        elif self.transforms is not None:
            return _unknown("a sample through joint transforms")
        if self.target_transform is not None:
            target = _unknown("a label through target_transform")
        return img, target


_DIGITS = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
           "8 - eight", "9 - nine"]


class MNIST(_Images):
    image = (28, 28, 1)
    classes = _DIGITS
    lengths = {"train": 60000, "test": 10000}

    @property
    def data(self):
        return torch.empty(len(self), 28, 28, dtype=torch.uint8)

    @property
    def targets(self):
        return torch.empty(len(self), dtype=torch.int64)


class FashionMNIST(MNIST):
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]


class KMNIST(MNIST):
    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]


class CIFAR10(_Images):
    image = (32, 32, 3)
    classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    lengths = {"train": 50000, "test": 10000}

    @property
    def data(self):
        return _data_array((len(self), 32, 32, 3), "uint8", "torchvision.datasets." + type(self).__name__)

    @property
    def targets(self):
        return _data_array((len(self),), "int64", "torchvision.datasets." + type(self).__name__)


class CIFAR100(CIFAR10):
    classes = [_unknown("a CIFAR-100 class name")] * 100


class SVHN(_Images):
    image = (32, 32, 3)
    classes = None
    lengths = {"train": 73257, "test": 26032, "extra": 531131}


class STL10(_Images):
    image = (96, 96, 3)
    classes = ["airplane", "bird", "car", "cat", "deer", "dog", "horse", "monkey", "ship", "truck"]
    lengths = {"train": 5000, "test": 8000, "unlabeled": 100000, "train+unlabeled": 105000}


class CelebA(_Images):
    image = (178, 218, 3)
    lengths = {"train": 162770, "valid": 19867, "test": 19962, "all": 202599}


class FakeData(_Images):
    def __init__(self, size=1000, image_size=(3, 224, 224), num_classes=10, transform=None, target_transform=None,
                 random_offset=0):
        super().__init__(None, transform=transform, target_transform=target_transform, split="all")
        self.image = (image_size[2], image_size[1], image_size[0])
        self.lengths = {"all": size}
        self.classes = None


class DatasetFolder(VisionDataset):
    # the workspace's folders: how many images and classes, and each image's size, only the files know
    def __init__(self, root, loader=None, extensions=None, transform=None, target_transform=None, is_valid_file=None):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.loader = loader
        self.classes = _unknown("the class folders of " + str(root))
        self.class_to_idx = _unknown("the class folders of " + str(root))
        self.samples = _unknown("the files under " + str(root))
        self.imgs = self.samples
        self.targets = _unknown("the labels of the files under " + str(root))

    def __len__(self):
        return _unknown("the number of files under " + str(self.root))

    def __getitem__(self, index):
        if self.loader is not None:
            return _unknown("a sample read by a loader of the user's"), torch.empty((), dtype=torch.int64)
        img = _Image(None, None, 3)
        target = torch.empty((), dtype=torch.int64)
        if self.transform is not None:
            img = _apply(self.transform, img)
        if self.target_transform is not None:
            target = _unknown("a label through target_transform")
        return img, target


class ImageFolder(DatasetFolder):
    def __init__(self, root, transform=None, target_transform=None, loader=None, is_valid_file=None):
        super().__init__(root, loader, None, transform=transform, target_transform=target_transform,
                         is_valid_file=is_valid_file)
`;

export const IMAGES_PY = `
from _convlens_natives import _unknown

_CHANNELS = {"1": 1, "L": 1, "P": 1, "I": 1, "F": 1, "I;16": 1, "LA": 2, "RGB": 3, "YCbCr": 3, "LAB": 3, "HSV": 3,
             "RGBA": 4, "CMYK": 4}


class _Image:
    # a PIL image as ConvLens sees it: its size and channels, None where only the file knows them (width, height
    # and size are then unknown values, never None: \`w // 2\` of an opened image is no TypeError)
    def __init__(self, width, height, channels):
        self._w = width
        self._h = height
        self._c = channels
        modes = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}
        self.mode = modes[channels] if channels in modes else _unknown("the mode of an image only its file knows")

    @property
    def width(self):
        return self._w if self._w is not None else _unknown("the width of an image only its file knows")

    @property
    def height(self):
        return self._h if self._h is not None else _unknown("the height of an image only its file knows")

    @property
    def size(self):
        return (self.width, self.height)

    def convert(self, mode=None, *args, **kwargs):
        if mode not in _CHANNELS:
            return _Image(self._w, self._h, None)
        return _Image(self._w, self._h, _CHANNELS[mode])

    def resize(self, size, *args, **kwargs):
        return _Image(size[0], size[1], self._c)

    def crop(self, box=None):
        if box is None:
            return self
        return _Image(box[2] - box[0], box[3] - box[1], self._c)

    def rotate(self, angle, resample=0, expand=False, *args, **kwargs):
        return self if not expand else _Image(None, None, self._c)

    def transpose(self, method):
        return self

    def copy(self):
        return self

    def load(self):
        return None

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False
`;
