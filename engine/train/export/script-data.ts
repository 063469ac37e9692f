// The data part of an exported script, in Python: the loader of the run's kind of data (the same
// files read the same way as engine/cli/train-data.ts and engine/train/data/ read them), then what
// the run did to them — the limits, the fit to the model's input, the validation split.
import type { ExportDataSource } from './settings';

const IDX = String.raw`
IDX_TYPES = {0x08: (1, 'B'), 0x09: (1, 'b'), 0x0B: (2, 'h'), 0x0C: (4, 'i'), 0x0D: (4, 'f'), 0x0E: (8, 'd')}


def read_idx(path):
    """An IDX file (gzipped or not) as a tensor of its dimensions."""
    raw = Path(path).read_bytes()
    if raw[:2] == b'\x1f\x8b':
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[0] or raw[1] or raw[2] not in IDX_TYPES:
        fail(f'{path} is not an IDX file (bad magic number)')
    size, code = IDX_TYPES[raw[2]]
    rank = raw[3]
    dims = struct.unpack(f'>{rank}I', raw[4:4 + 4 * rank])
    count, start = math.prod(dims), 4 + 4 * rank
    if len(raw) < start + count * size:
        fail(f'{path} is truncated: {"x".join(map(str, dims))} values need {start + count * size} bytes, it has {len(raw)}')
    body = raw[start:start + count * size]
    if raw[2] == 0x08:
        return torch.frombuffer(bytearray(body), dtype=torch.uint8).reshape(dims)
    values = array.array(code, body)
    if sys.byteorder == 'little':
        values.byteswap()
    return torch.tensor(values, dtype=torch.float64).reshape(dims)


def idx_split(images_file, labels_file):
    images, labels = read_idx(images_file), read_idx(labels_file)
    if images.dim() not in (3, 4):
        fail(f'{images_file}: images should be (n, H, W) or (n, C, H, W), got {tuple(images.shape)}')
    if labels.dim() != 1 or labels.shape[0] != images.shape[0]:
        fail(f'{labels_file}: {images.shape[0]} images but {tuple(labels.shape)} labels')
    x = (images.double() / 255).float()
    if x.dim() == 3:
        x = x.unsqueeze(1)
    return x, labels.long()


def idx_roles(files):
    """The IDX files told apart by their names: train/t10k or test, images/labels."""
    idx = [f for f in files if re.search(r'idx\d', Path(f).name, re.I)]

    def find(split, kind):
        return next((f for f in idx if re.search(split, Path(f).name, re.I) and re.search(kind, Path(f).name, re.I)), None)

    return find('train', 'images'), find('train', 'labels'), find('t10k|test', 'images'), find('t10k|test', 'labels')


def load_idx_files(files, where):
    train_images, train_labels, test_images, test_labels = idx_roles(files)
    if not train_images or not train_labels:
        fail(f'{where}: needs both train-images and train-labels IDX files (names with "train", "images"/"labels" and "idx")')
    train = idx_split(train_images, train_labels)
    test = idx_split(test_images, test_labels) if test_images and test_labels else None
    return train, test, None
`;

const MNIST_URL = 'https://ossci-datasets.s3.amazonaws.com/mnist/';

const MNIST = String.raw`
MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']


def mnist_folder(given):
    """MNIST's IDX files: in the folder given, or downloaded once into data/MNIST beside this script."""
    if given is not None:
        return Path(given)
    folder = HERE / 'data' / 'MNIST'
    for name in MNIST_FILES:
        if not (folder / name).exists() and not (folder / (name + '.gz')).exists():
            folder.mkdir(parents=True, exist_ok=True)
            log(f'downloading {name}.gz into {folder}')
            with urllib.request.urlopen('${MNIST_URL}' + name + '.gz') as r:
                write_atomic(folder / (name + '.gz'), r.read())
    return folder


def load_data(given):
    folder = mnist_folder(given)
    files = [str(p) for p in sorted(folder.iterdir())] if folder.is_dir() else []
    train, test, classes = load_idx_files(files, str(folder))
    # ConvLens's bundled subset: the first images of each split, in the files' order
    n_train, n_test = MNIST_SUBSET
    train = (train[0][:n_train], train[1][:n_train])
    test = test and (test[0][:n_test], test[1][:n_test])
    return train, test, classes
`.replace('${MNIST_URL}', MNIST_URL);

const IDX_FILES = String.raw`
def load_data(given):
    if given is not None:
        folder = Path(given)
        files = [str(p) for p in sorted(folder.iterdir())] if folder.is_dir() else fail(f'--data {given}: no such folder')
        return load_idx_files(files, str(folder))
    return load_idx_files([str(HERE / f) for f in DATA], str((HERE / DATA[0]).parent))
`;

const FOLDER = String.raw`
IMAGE_EXT = {'.png', '.jpg', '.jpeg'}


def decode_image(path):
    """A PNG or JPEG as (C, H, W) floats in [0, 1]: C = 1 (grey) or 3 (colour, alpha dropped), as ConvLens reads it."""
    from PIL import Image
    import numpy as np
    with Image.open(path) as im:
        mode = im.mode
        if path.suffix.lower() != '.png':
            a, top = np.asarray(im.convert('RGB'), dtype=np.float64), 255.0  # ConvLens decodes every JPEG as RGB
        elif mode in ('P', 'PA'):
            fail(f'{path}: palette PNGs are not supported; save it as RGB or greyscale')
        else:
            a = np.asarray(im, dtype=np.float64)
            top = 65535.0 if mode.startswith('I') else 1.0 if mode == '1' else 255.0
    t = torch.from_numpy(a)
    t = t.unsqueeze(0) if t.dim() == 2 else t.permute(2, 0, 1)
    t = t[:3] if t.shape[0] >= 3 else t[:1]
    return (t / top).float()


def convert_channels(t, c):
    """(C, H, W) to c channels: colour to grey by luminance, grey to colour by copying."""
    C = t.shape[0]
    if C == c:
        return t
    grey = 0.299 * t[0] + 0.587 * t[1] + 0.114 * t[2] if C >= 3 else t[0]
    if c == 1 or C < 3:
        return grey.unsqueeze(0).repeat(c, 1, 1)
    return torch.stack([t[min(k, C - 1)] for k in range(c)])


def read_classes(folder, shape=None):
    """Class sub-folders (sorted, like torchvision's ImageFolder), every image at the first one's size."""
    classes = sorted(d.name for d in folder.iterdir() if d.is_dir())
    if not classes:
        fail(f'{folder}: no IDX files and no class sub-folders')
    items = [(f, k) for k, c in enumerate(classes) for f in sorted((folder / c).iterdir(), key=lambda p: p.name)
             if f.suffix.lower() in IMAGE_EXT]
    if not items:
        fail(f'{folder}: the class folders ({", ".join(classes)}) hold no PNG or JPEG images')
    first = decode_image(items[0][0])
    C, H, W = shape or tuple(first.shape)
    x, resized, recoloured = torch.empty(len(items), C, H, W), 0, 0
    for i, (f, _) in enumerate(items):
        img = first if i == 0 else decode_image(f)
        if tuple(img.shape[1:]) != (H, W):
            resized += 1
            img = F.interpolate(img[None], size=(H, W), mode='bilinear', align_corners=False)[0]
        if img.shape[0] != C:
            recoloured += 1
        x[i] = convert_channels(img, C)
    if resized:
        log(f'warning: {resized} of the {len(items)} images in {folder} were resized to {H}x{W}')
    if recoloured:
        log(f'warning: {recoloured} of the {len(items)} images in {folder} were converted to {"greyscale" if C == 1 else "colour"}')
    return x, torch.tensor([k for _, k in items]), classes


def load_data(given):
    folder = Path(given) if given is not None else HERE / DATA
    if not folder.is_dir():
        fail(f'{folder}: no such folder')
    if (folder / 'train').is_dir() and (folder / 'test').is_dir():
        x, y, classes = read_classes(folder / 'train')
        tx, ty, test_classes = read_classes(folder / 'test', tuple(x.shape[1:]))
        if test_classes != classes:
            fail(f'{folder}: train/ and test/ have different class folders')
        return (x, y), (tx, ty), classes
    # No test/ folder: ConvLens keeps a seeded fifth of the images for testing.
    x, y, classes = read_classes(folder)
    order = torch.tensor(ConvLensRng((SEED & 0xFFFFFFFF) ^ 0x5EED).shuffle(list(range(len(y)))), dtype=torch.long)
    n_test = len(y) // 5
    test = (x[order[:n_test]], y[order[:n_test]]) if n_test else None
    return (x[order[n_test:]], y[order[n_test:]]), test, classes
`;

const SYNTHETIC = String.raw`
SYNTHETIC_CLASSES = {
    'bars': ['0°', '22.5°', '45°', '67.5°', '90°', '112.5°', '135°', '157.5°'],
    'shapes': ['disc', 'square', 'triangle', 'cross', 'ring'],
}


def inside(kind, cls, u, v, thick):
    if kind == 'bars':
        a = cls * math.pi / 8
        across, along = -u * math.sin(a) + v * math.cos(a), u * math.cos(a) + v * math.sin(a)
        return abs(across) < thick and abs(along) < 1
    r = math.hypot(u, v)
    if cls == 0:
        return r < 0.8
    if cls == 1:
        return abs(u) < 0.7 and abs(v) < 0.7
    if cls == 2:
        return v < 0.6 and v > -0.8 + 2 * abs(u)
    if cls == 3:
        return (abs(u) < thick and abs(v) < 0.9) or (abs(v) < thick and abs(u) < 0.9)
    return 0.85 > r > 0.85 - 2 * thick


def synthetic(kind, n, shape, seed):
    """ConvLens's synthetic images, drawn by the same generator from the same seed."""
    C, H, W = shape
    rng, K = ConvLensRng(seed), len(SYNTHETIC_CLASSES[kind])
    x = torch.empty(n, C, H, W)
    for i in range(n):
        cls = i % K
        size = (0.25 + 0.15 * rng.uniform()) * min(H, W)
        cy = H / 2 + (rng.uniform() - 0.5) * (H - 2 * size) * 0.8
        cx = W / 2 + (rng.uniform() - 0.5) * (W - 2 * size) * 0.8
        thick, level = 0.12 + 0.1 * rng.uniform(), 0.7 + 0.3 * rng.uniform()
        plane = [min(1.0, (level if inside(kind, cls, (w + 0.5 - cx) / size, (h + 0.5 - cy) / size, thick) else 0.0) + 0.1 * rng.uniform())
                 for h in range(H) for w in range(W)]
        x[i] = torch.tensor(plane).reshape(1, H, W).expand(C, H, W)
    return x, torch.arange(n) % K


def load_data(given):
    kind, n_train, n_test, shape = SYNTHETIC
    return synthetic(kind, n_train, shape, SEED), synthetic(kind, n_test, shape, SEED + 7919), SYNTHETIC_CLASSES[kind]
`;

/** What the run did to the images it loaded: limits, the fit to the model's input, the validation split. */
const PREPARE = String.raw`
def fit_images(x, target, mode):
    """Brings (n, C, H, W) images to the model's input: bilinear resampling or centred zero padding/cropping."""
    C, H, W = x.shape[1:]
    c, h, w = target
    if (C, H, W) == (c, h, w):
        return x
    if mode == 'resize':
        if (H, W) != (h, w):
            x = F.interpolate(x, size=(h, w), mode='bilinear', align_corners=False)
    else:
        top, left = (h - H) // 2, (w - W) // 2
        out = torch.zeros(x.shape[0], C, h, w)
        ys, xs = slice(max(top, 0), min(top + H, h)), slice(max(left, 0), min(left + W, w))
        out[:, :, ys, xs] = x[:, :, ys.start - top:ys.stop - top, xs.start - left:xs.stop - left]
        x = out
    return torch.stack([convert_channels(i, c) for i in x]) if C != c else x


def prepare_data(given):
    """The run's splits: (train, validation, test, classes), each split an (images, labels) pair."""
    train, test, names = load_data(given)
    # as ConvLens counts them: the class folders, or the largest label of the files read (before any limit)
    classes = len(names) if names else max(int(t[1].max()) + 1 if len(t[1]) else 0 for t in (train, test) if t is not None)
    if TRAIN_LIMIT is not None:
        train = (train[0][:TRAIN_LIMIT], train[1][:TRAIN_LIMIT])
    if test is not None and TEST_LIMIT is not None:
        test = (test[0][:TEST_LIMIT], test[1][:TEST_LIMIT])
    shape = tuple(train[0].shape[1:])
    target = tuple(m if m is not None else d for m, d in zip(MODEL_INPUT, shape)) if len(MODEL_INPUT) == 3 else shape
    if target != shape:
        if FIT == 'none':
            fail(f'the model\'s input is {MODEL_INPUT} but the images are {shape}; the run did not resize them')
        train = (fit_images(train[0], target, FIT), train[1])
        test = test and (fit_images(test[0], target, FIT), test[1])
    n = len(train[1])
    if n == 0:
        fail(f'{DATA_LABEL}: the training data holds no images')
    # The run's validation split: the last fraction of a shuffle drawn where ConvLens drew it.
    order = torch.tensor(ConvLensRng(state=VAL_SPLIT_STATE).shuffle(list(range(n))), dtype=torch.long)
    n_val = math.floor(n * VAL_SPLIT)
    val = (train[0][order[n - n_val:]], train[1][order[n - n_val:]]) if n_val else None
    if n_val:
        train = (train[0][order[:n - n_val]], train[1][order[:n - n_val]])
    return train, val, test, names or [str(k) for k in range(classes)], classes
`;

/** The Python that loads the run's data (convert_channels comes with the image folder's loader, and otherwise with the fit). */
export function dataSource(source: ExportDataSource): string {
  const channels = FOLDER.slice(FOLDER.indexOf('def convert_channels'), FOLDER.indexOf('def read_classes'));
  switch (source.kind) {
    case 'mnist': return IDX + MNIST + channels + PREPARE;
    case 'idx': return IDX + IDX_FILES + channels + PREPARE;
    case 'folder': return FOLDER + PREPARE;
    case 'synthetic': return SYNTHETIC + channels + PREPARE;
  }
}
