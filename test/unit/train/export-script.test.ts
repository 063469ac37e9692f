// The exported PyTorch training script (engine/train/export/): valid Python by the engine's own
// parser, every setting written with its value, the model and data paths relative to the script,
// the validation split drawn where the run draws it, and refusals that name what they refuse.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parser } from '@lezer/python';
import { analyzeSource } from '../../../engine/analyze';
import { channelStats } from '../../../engine/train/data/augment';
import { subset } from '../../../engine/train/data/dataset';
import { syntheticSplits } from '../../../engine/train/data/synthetic';
import { exportConfig, type RunToExport } from '../../../engine/train/export/from-run';
import { relativePath } from '../../../engine/train/export/relative-path';
import { trainingScript } from '../../../engine/train/export/script';
import { ExportError, type ExportData } from '../../../engine/train/export/settings';
import { buildNetwork } from '../../../engine/train/graph/build';
import { train } from '../../../engine/train/loop/train';
import { Rng } from '../../../engine/train/tensor/rng';
import { parsePython } from '../../../engine/python/parse';

const lenetFile = join(__dirname, '..', '..', '..', 'examples', 'lenet_mnist.py');
const lenet = () => analyzeSource(lenetFile, readFileSync(lenetFile, 'utf8')).models[0];

const MNIST: ExportData = { source: { kind: 'mnist', train: 12000, test: 2000 }, trainLimit: 3000, fit: 'none', label: 'MNIST subset' };

function run(over: Partial<RunToExport> = {}): RunToExport {
  return {
    net: buildNetwork(lenet()), name: 'LeNet', entry: 'LeNet', file: '/work/project/models/lenet.py', save: '/work/project/out/LeNet.safetensors',
    options: { epochs: 3, batchSize: 32, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 }, init: 'default', seed: 0, valSplit: 0 },
    data: MNIST, madeBy: 'a test', ...over,
  };
}

/** Lezer's error nodes in a text, with the lines they sit on. */
function syntaxErrors(text: string): string[] {
  const errors: string[] = [];
  parser.parse(text).iterate({
    enter: (n) => { if (n.type.isError) errors.push(`line ${text.slice(0, n.from).split('\n').length}: ${text.slice(n.from, n.to + 20)}`); },
  });
  return errors;
}

test('the syntax check finds errors where there are some', () => {
  assert.notDeepEqual(syntaxErrors('x = (1,\n'), []);
  assert.notDeepEqual(syntaxErrors('def f(:\n    pass\n'), []);
});

function assertPython(script: string): void {
  assert.deepEqual(syntaxErrors(script), []);
  assert.deepEqual(parsePython(script).errors ?? [], []);
}

test('the script is valid Python for every kind of data, and its paths are relative to it', () => {
  const datas: ExportData[] = [
    MNIST,
    { source: { kind: 'idx', files: ['/work/project/data/train-images-idx3-ubyte.gz', '/work/project/data/train-labels-idx1-ubyte.gz'] }, fit: 'resize', label: 'IDX files in data' },
    { source: { kind: 'folder', dir: '/work/project/data/pets' }, trainLimit: 500, testLimit: 500, fit: 'pad', label: 'images in data/pets' },
    { source: { kind: 'synthetic', which: 'shapes', train: 800, test: 200, shape: [1, 28, 28] }, fit: 'none', label: 'synthetic shapes' },
  ];
  for (const data of datas) {
    const script = trainingScript(exportConfig(run({ data })), '/work/project/scripts');
    assertPython(script);
    assert.match(script, /^MODEL_FILE = "\.\.\/models\/lenet\.py"/m);
    assert.match(script, /^SAVE = "\.\.\/out\/LeNet\.safetensors"/m);
    assert.match(script, new RegExp(`^FIT = "${data.fit}"`, 'm'));
    assert.match(script, /^def load_data\(given\):/m, 'one loader of the run\'s data');
    assert.equal(script.match(/^def load_data\(/gm)?.length, 1);
  }
  const idx = trainingScript(exportConfig(run({ data: datas[1] })), '/work/project/scripts');
  assert.match(idx, /^DATA = \["\.\.\/data\/train-images-idx3-ubyte\.gz", "\.\.\/data\/train-labels-idx1-ubyte\.gz"\]/m);
  assert.match(trainingScript(exportConfig(run({ data: datas[2] })), '/work/project/scripts'), /^DATA = "\.\.\/data\/pets"/m);
  assert.match(trainingScript(exportConfig(run({ data: datas[3] })), '/x'), /^SYNTHETIC = \("shapes", 800, 200, \(1, 28, 28\)\)/m);
});

test('every parameter is listed with its shape, its first values\' rule and whether it trains', () => {
  const net = buildNetwork(lenet());
  net.params[0].trainable = false;
  const script = trainingScript(exportConfig(run({ net, options: { ...run().options, init: 'he' } })), '/work/project');
  assert.match(script, /^ {4}"conv1\.weight": \(\(6, 1, 5, 5\), "normal", 0\.2828427124746\d*, False\),$/m, 'He normal: std √(2/25)');
  assert.match(script, /^ {4}"conv1\.bias": \(\(6,\), "const", 0, True\),$/m, 'He: biases start at 0');
  assert.match(script, /^ {4}"fc3\.weight": \(\(10, 84\), "normal", 0\.154303349962\d*, True\),$/m);
  const byDefault = trainingScript(exportConfig(run()), '/work/project');
  assert.match(byDefault, /^ {4}"fc1\.bias": \(\(120,\), "uniform", 0\.05, True\),$/m, 'PyTorch\'s default: U(±1/√fan_in), fan_in 400');
  assert.equal(byDefault.match(/^ {4}"[\w.]+": \(/gm)?.length, net.params.length);
});

test('a model file in another folder or on another drive, and Windows paths', () => {
  assert.equal(relativePath('/a/b/scripts', '/a/b/models/net.py'), '../models/net.py');
  assert.equal(relativePath('/a/b', '/a/b/net.py'), 'net.py');
  assert.equal(relativePath('/a/b/c/d', '/a/net.py'), '../../../net.py');
  assert.equal(relativePath('C:\\work\\run', 'C:\\work\\models\\net.py'), '../models/net.py');
  assert.equal(relativePath('c:\\work', 'C:\\work\\net.py'), 'net.py', 'drive letters in either case');
  assert.equal(relativePath('D:\\run', 'C:\\work\\net.py'), 'C:/work/net.py', 'another drive: absolute');
  assert.equal(relativePath('/a/./b/../b', '/a/b/net.py'), 'net.py');
});

test('the script\'s validation split is the run\'s: drawn from the state the run reaches after initialising', async () => {
  // train() holds the split out of the normalisation statistics: the same statistics, bit for bit, mean the same images
  const net = buildNetwork(lenet());
  const data = syntheticSplits('bars', 90, 10, [1, 28, 28], 3);
  const options = { epochs: 1, batchSize: 45, optimizer: { name: 'sgd' as const, lr: 0.01 }, init: 'xavier' as const, seed: 11, valSplit: 0.3 };
  const config = exportConfig(run({ net, options }));
  const r = await train(net, data, { ...options, kernels: 'ts' });
  const rng = new Rng(0);
  rng.state = { s: config.splitState, spare: null };
  const order = rng.shuffle(Int32Array.from({ length: 90 }, (_, i) => i));
  const trainSet = subset(data.train, order.subarray(0, 90 - Math.floor(90 * 0.3)));
  assert.deepEqual(channelStats(trainSet.x, trainSet.n, trainSet.shape), r.normalization);
  // and another state gives other statistics: the comparison can fail
  const other = subset(data.train, new Rng(11).shuffle(Int32Array.from({ length: 90 }, (_, i) => i)).subarray(0, 63));
  assert.notDeepEqual(channelStats(other.x, other.n, other.shape), r.normalization);
});

test('refused: a resumed run, a notebook\'s model, early stopping without a validation split', () => {
  const base = run();
  const resume = { ...base, options: { ...base.options, resume: {} as never } };
  assert.throws(() => trainingScript(exportConfig(resume), '/x'), (e: unknown) => e instanceof ExportError && /cannot export resume: a resumed run/.test(e.message));
  assert.throws(() => trainingScript(exportConfig(run({ file: '/work/lenet.ipynb' })), '/x'), (e: unknown) => e instanceof ExportError && /lenet\.ipynb is a notebook/.test(e.message));
  const early = { ...base, options: { ...base.options, earlyStopping: 3, valSplit: 0 } };
  assert.throws(() => trainingScript(exportConfig(early), '/x'), /cannot export earlyStopping without a validation split/);
});
