// `convlens train FILE --export-script train.py`: writes the run's script instead of training, its
// paths relative to the script; a bad path or a model that cannot be trained is refused with a message.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parser } from '@lezer/python';
import { runTrain } from '../../../engine/cli/train';
import { idxBytes } from './helpers';
import { tempDir } from '../temp-dir';

const examples = join(__dirname, '..', '..', '..', 'examples');

const capture = () => {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } };
};

const hasErrorNode = (text: string): boolean => {
  let bad = false;
  parser.parse(text).iterate({ enter: (n) => { if (n.type.isError) bad = true; } });
  return bad;
};

test('--export-script writes the script of the run the options describe, and trains nothing', async () => {
  const dir = tempDir('convlens-export-');
  mkdirSync(join(dir, 'scripts'));
  const c = capture();
  const code = await runTrain([join(examples, 'lenet_mnist.py'), '--dataset', 'shapes', '--limit', '300', '--epochs', '5', '--optimizer', 'adam',
    '--lr', '0.003', '--augment', 'flip', '--tta', '--seed', '9', '--export-script', join(dir, 'scripts', 'train.py'), '--save', join(dir, 'w.pt')], c.io);
  assert.equal(code, 0, c.out.stderr);
  assert.doesNotMatch(c.out.stderr, /epoch 1 \[/, 'no training');
  assert.match(c.out.stderr, /wrote .*train\.py: python .*train\.py \[--device cuda\], or torchrun/);
  const text = readFileSync(join(dir, 'scripts', 'train.py'), 'utf8');
  assert.equal(hasErrorNode(text), false);
  for (const line of [/^MODEL_FILE = "(\.\.\/)+.*examples\/lenet_mnist\.py" /m, /^MODEL_ENTRY = "LeNet" /m, /^SAVE = "\.\.\/w\.pt" /m,
    /^SYNTHETIC = \("shapes", 300, 100, \(1, 28, 28\)\) /m, /^EPOCHS = 5$/m, /^OPTIMIZER = "adam" /m, /^LR = 0\.003$/m, /^SEED = 9$/m,
    /^AUGMENT = \{'crop': False, 'flip': True\} /m, /^TTA = True /m, /^FIT = "none" /m]) assert.match(text, line);
});

test('--data with IDX files and --resize: the files listed relative to the script, resampled to the model', async () => {
  const dir = tempDir('convlens-export-idx-');
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'train-images-idx3-ubyte'), idxBytes(0x08, [2, 4, 4], new Array(32).fill(7)));
  writeFileSync(join(data, 'train-labels-idx1-ubyte'), idxBytes(0x08, [2], [0, 1]));
  const c = capture();
  assert.equal(await runTrain([join(examples, 'lenet_mnist.py'), '--data', data, '--resize', '--limit', '2', '--export-script', join(dir, 't.py')], c.io), 0, c.out.stderr);
  const text = readFileSync(join(dir, 't.py'), 'utf8');
  assert.match(text, /^DATA = \["data\/train-images-idx3-ubyte", "data\/train-labels-idx1-ubyte"\] /m);
  assert.match(text, /^FIT = "resize" /m);
  assert.match(text, /^TRAIN_LIMIT = 2 /m);
});

test('a script path in a missing folder exits 2 naming the option; an untrainable model exits 1', async () => {
  const c = capture();
  assert.equal(await runTrain([join(examples, 'lenet_mnist.py'), '--export-script', '/no/such/folder/train.py'], c.io), 2);
  assert.match(c.out.stderr, /--export-script \/no\/such\/folder\/train\.py/);
  assert.ok(!existsSync('/no/such/folder/train.py'));
  const k = capture();
  const dir = tempDir('convlens-export-keras-');
  assert.equal(await runTrain([join(examples, '..', 'test', 'e2e', 'files', 'keras_functional.py'), '--export-script', join(dir, 't.py')], k.io), 1);
  assert.match(k.out.stderr, /the exported training script is a PyTorch training loop .* this is a Keras model: train it in ConvLens, or with its own model\.compile\(\) and model\.fit\(\)/);
  assert.ok(!existsSync(join(dir, 't.py')));
});
