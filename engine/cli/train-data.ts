// Node-side data loading for `convlens train`: a folder of MNIST-format IDX files (optionally
// gzipped), a folder of images in class sub-folders (PNG and JPEG), the packaged MNIST subset, and
// the synthetic datasets.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import type { DataSplits, Dataset } from '../train/data/dataset';
import { subset } from '../train/data/dataset';
import { idxDataset, readIdx } from '../train/data/idx';
import { readMnistPack } from '../train/data/mnist-pack';
import { convertChannels, resizeBilinear } from '../train/data/resize';
import { TrainError } from '../train/layers/layer';
import { Rng } from '../train/tensor/rng';

const errText = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));

/** A file's bytes, or a message that names the file and says why it cannot be read. */
function readNamed(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const broken = (e as NodeJS.ErrnoException).code === 'ENOENT' && lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink();
    throw new TrainError(`${file}: ${broken ? 'a broken symbolic link (its target does not exist)' : `cannot be read (${errText(e)})`}`);
  }
}

const readMaybeGz = (file: string): Uint8Array => {
  const raw = readNamed(file);
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw new TrainError(`${file}: a damaged gzip file (${e instanceof Error ? e.message : String(e)})`);
  }
};

/** Whether a folder entry is a folder (false for a broken link, which readClasses reports if it looks like an image). */
const isDir = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

type IdxRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

/** Sorts IDX files into their roles by name (train/t10k or test, images/labels). */
function idxRoles(files: string[]): Record<IdxRole, string | undefined> {
  const idx = files.filter((f) => /idx\d/i.test(basename(f)));
  const find = (split: RegExp, kind: RegExp) => idx.find((f) => split.test(basename(f)) && kind.test(basename(f)));
  return {
    trainImages: find(/train/i, /images/i), trainLabels: find(/train/i, /labels/i),
    testImages: find(/t10k|test/i, /images/i), testLabels: find(/t10k|test/i, /labels/i),
  };
}

/** MNIST-format IDX files (optionally gzipped), told apart by their names; `where` names them in messages. */
export function loadIdxFiles(files: string[], where: string): DataSplits {
  const f = idxRoles(files);
  if (!f.trainImages || !f.trainLabels) throw new TrainError(`${where}: needs both train-images and train-labels IDX files (names with "train", "images"/"labels" and "idx")`);
  const load = (img: string, lab: string, what: string): Dataset =>
    idxDataset(readIdx(readMaybeGz(img), img), readIdx(readMaybeGz(lab), lab), `${what} (${basename(img)}, ${basename(lab)})`);
  return {
    name: `IDX files in ${where}`,
    train: load(f.trainImages, f.trainLabels, 'training set'),
    test: f.testImages && f.testLabels ? load(f.testImages, f.testLabels, 'test set') : null,
  };
}

/** What `--data DIR` holds: IDX files if there are any (those listed), otherwise images in class sub-folders. */
export function dataDirKind(dir: string): { kind: 'idx'; files: string[] } | { kind: 'folder' } {
  if (!isDir(dir)) throw new TrainError(`--data ${dir}: no such folder`);
  const files = readdirSync(dir).map((f) => join(dir, f));
  const roles = idxRoles(files);
  return roles.trainImages || roles.trainLabels ? { kind: 'idx', files } : { kind: 'folder' };
}

/** `--data DIR`: IDX files if there are any, otherwise images in class sub-folders. */
export function loadDataDir(dir: string, seed: number): DataSplits {
  const d = dataDirKind(dir);
  return d.kind === 'idx' ? loadIdxFiles(d.files, dir) : loadImageFolder(dir, seed);
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);

/** Decodes a PNG or JPEG to (C, H, W) floats in [0, 1], C = 1 (grey) or 3 (colour; alpha dropped). */
export function decodeImage(file: string): { data: Float32Array; shape: [number, number, number] } {
  const bytes = readNamed(file);
  if (bytes.length === 0) throw new TrainError(`${file}: an empty file, not an image`);
  let w: number, h: number, ch: number, px: ArrayLike<number>, max = 255;
  const png = extname(file).toLowerCase() === '.png';
  try {
    if (png) {
      const img = decodePng(bytes);
      if (img.palette) throw new TrainError(`${file}: palette PNGs are not supported; save it as RGB or greyscale`);
      ({ width: w, height: h, channels: ch } = img);
      px = img.data;
      max = img.depth === 16 ? 65535 : (1 << img.depth) - 1;
    } else {
      const img = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      ({ width: w, height: h } = img);
      ch = 4;
      px = img.data;
    }
  } catch (e) {
    if (e instanceof TrainError) throw e;
    throw new TrainError(`${file}: not a readable ${png ? 'PNG' : 'JPEG'} image (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!(w > 0 && h > 0) || px.length < w * h * ch) throw new TrainError(`${file}: not a readable ${png ? 'PNG' : 'JPEG'} image (no pixels)`);
  const C = ch >= 3 ? 3 : 1, L = w * h, data = new Float32Array(C * L);
  for (let i = 0; i < L; i++) for (let c = 0; c < C; c++) data[c * L + i] = px[i * ch + c] / max;
  return { data, shape: [C, h, w] };
}

/** Class sub-folders of `dir` (sorted, like torchvision's ImageFolder) as one dataset at the first image's size. */
function readClasses(dir: string, warnings: string[], shape?: [number, number, number]): Dataset {
  const classes = readdirSync(dir).filter((d) => isDir(join(dir, d))).sort();
  if (classes.length === 0) throw new TrainError(`${dir}: no IDX files and no class sub-folders`);
  const items: Array<[string, number]> = [];
  classes.forEach((c, k) => {
    for (const f of readdirSync(join(dir, c)).sort()) if (IMAGE_EXT.has(extname(f).toLowerCase())) items.push([join(dir, c, f), k]);
  });
  if (items.length === 0) throw new TrainError(`${dir}: the class folders (${classes.join(', ')}) hold no PNG or JPEG images`);
  const first = decodeImage(items[0][0]);
  const [C, H, W] = shape ?? first.shape, sz = C * H * W;
  const x = new Float32Array(items.length * sz), y = new Int32Array(items.length), tmp = new Float32Array(3 * H * W);
  let resized = 0, recoloured = 0;
  items.forEach(([file, k], i) => {
    const img = i === 0 ? first : decodeImage(file);
    const [c, h, w] = img.shape;
    if (h !== H || w !== W) resized++;
    if (c !== C) recoloured++;
    resizeBilinear(img.data, c, h, w, H, W, tmp);
    x.set(convertChannels(tmp.subarray(0, c * H * W), c, H * W, C), i * sz);
    y[i] = k;
  });
  const of = `of the ${items.length} images in ${dir}`;
  if (resized) warnings.push(`${resized} ${of} were resized to ${H}×${W}${shape ? ' (the training images\' size)' : ' (the first image\'s size)'}`);
  if (recoloured) warnings.push(`${recoloured} ${of} were converted to ${C === 1 ? 'greyscale' : 'colour'}`);
  return { x, y, n: items.length, shape: [C, H, W], classes: classes.length, classNames: classes };
}

function loadImageFolder(dir: string, seed: number): DataSplits {
  const warnings: string[] = [];
  if (isDir(join(dir, 'train')) && isDir(join(dir, 'test'))) {
    const train = readClasses(join(dir, 'train'), warnings);
    const test = readClasses(join(dir, 'test'), warnings, train.shape);
    if (test.classNames?.join() !== train.classNames?.join()) throw new TrainError(`${dir}: train/ and test/ have different class folders`);
    return { name: `images in ${dir}`, train, test, warnings };
  }
  // No test/ folder: a seeded fifth of the images is kept for testing.
  const all = readClasses(dir, warnings);
  const order = new Rng(seed ^ 0x5eed).shuffle(Int32Array.from({ length: all.n }, (_, i) => i));
  const nTest = Math.floor(all.n / 5);
  return { name: `images in ${dir}`, train: subset(all, order.subarray(nTest)), test: nTest ? subset(all, order.subarray(0, nTest)) : null, warnings };
}

/** The MNIST subset packaged at build time (dist/mnist-subset.bin), beside the CLI bundle or in dist/. */
export function loadMnistSubset(): DataSplits {
  const candidates = [join(__dirname, 'mnist-subset.bin'), join(__dirname, '..', '..', 'dist', 'mnist-subset.bin')];
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new TrainError('the packaged MNIST subset (dist/mnist-subset.bin) is missing: run `npm run build`');
  return readMnistPack(gunzipSync(readFileSync(file)));
}
