// No setting of a run is dropped silently by the exported script: this walks the option types
// themselves (TrainOptions and the objects in it, and the panel's TrainSettings) with the TypeScript
// compiler, so a new option fails here until the export writes it, refuses it, or says why it is the
// host's; each written one is set to a value of its own and must appear with that value.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { analyzeSource } from '../../../engine/analyze';
import { exportConfig, type RunToExport } from '../../../engine/train/export/from-run';
import { trainingScript } from '../../../engine/train/export/script';
import { ExportError, OPTION_TABLES, type ExportOptions } from '../../../engine/train/export/settings';
import { buildNetwork } from '../../../engine/train/graph/build';
import { settingsOptions } from '../../../extension/trainOptions';
import type { TrainSettings } from '../../../webview/trainProtocol';

const root = join(__dirname, '..', '..', '..');
const program = ts.createProgram([join(root, 'engine/train/loop/train.ts'), join(root, 'webview/trainProtocol.ts')], {
  strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
});
const checker = program.getTypeChecker();

function interfaceType(file: string, name: string): ts.Type {
  const sf = program.getSourceFile(join(root, file));
  const decl = sf?.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  assert.ok(decl, `${name} in ${file}`);
  return checker.getTypeAtLocation(decl);
}

const isPlainObject = (t: ts.Type): boolean =>
  (t.flags & ts.TypeFlags.Object) !== 0 && t.getCallSignatures().length === 0 && !checker.isArrayLikeType(t) && checker.getPropertiesOfType(t).length > 0;

/** Every setting's path in TrainOptions: into an object the export writes key by key, else the key itself. */
function settingPaths(type: ts.Type, path = ''): string[] {
  const table = OPTION_TABLES[path];
  assert.ok(table, `TrainOptions${path ? `.${path}` : ''} is an object of settings with no table in engine/train/export/settings.ts`);
  return checker.getPropertiesOfType(type).flatMap((p) => {
    const key = path ? `${path}.${p.name}` : p.name, c = table[p.name];
    assert.ok(c, `${key} is a setting the export does not know: list it in engine/train/export/settings.ts (written, the host's, or refused)`);
    const t = checker.getNonNullableType(checker.getTypeOfSymbol(p));
    return c.how === 'script' && isPlainObject(t) && OPTION_TABLES[key] ? settingPaths(t, key) : [key];
  });
}

const lenetFile = join(root, 'examples', 'lenet_mnist.py');
const net = buildNetwork(analyzeSource(lenetFile, readFileSync(lenetFile, 'utf8')).models[0]);
const BASE: ExportOptions = { epochs: 3, batchSize: 32, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 }, init: 'default', seed: 0, valSplit: 0.1 };

function script(options: ExportOptions): string {
  const r: RunToExport = {
    net, name: 'LeNet', entry: 'LeNet', file: '/p/lenet.py', save: '/p/LeNet.safetensors', options, madeBy: 'a test',
    data: { source: { kind: 'mnist', train: 12000, test: 2000 }, fit: 'none', label: 'MNIST subset' },
  };
  return trainingScript(exportConfig(r), '/p');
}

/** Set a path of the options to a value (a copy). */
function withSetting(o: ExportOptions, path: string, value: unknown): ExportOptions {
  const [head, tail] = path.split('.');
  const copy = { ...o } as Record<string, unknown>;
  copy[head] = tail ? { ...(copy[head] as object), [tail]: value } : value;
  return copy as ExportOptions;
}

/** For each written setting: a value unlike the base's, and how it reads in the script. */
const SAMPLES: Record<string, [unknown, RegExp]> = {
  epochs: [7, /^EPOCHS = 7$/m],
  batchSize: [48, /^BATCH_SIZE = 48 /m],
  'optimizer.name': ['adamw', /^OPTIMIZER = "adamw" /m],
  'optimizer.lr': [0.0042, /^LR = 0\.0042$/m],
  'optimizer.momentum': [0.7, /^MOMENTUM = 0\.7 /m],
  'optimizer.dampening': [0.25, /^DAMPENING = 0\.25 /m],
  'optimizer.nesterov': [true, /^NESTEROV = True /m],
  'optimizer.weightDecay': [0.0005, /^WEIGHT_DECAY = 0\.0005 /m],
  'optimizer.betas': [[0.8, 0.99], /^BETAS = \(0\.8, 0\.99\) /m],
  'optimizer.eps': [1e-6, /^EPS = 0\.000001 /m],
  'schedule.name': ['cosine', /^LR_SCHEDULE = "cosine" /m],
  'schedule.stepSize': [3, /^STEP_SIZE = 3 /m],
  'schedule.gamma': [0.5, /^GAMMA = 0\.5 /m],
  // xavier-uniform on conv1 (fan-in 25, fan-out 150): U(±√(6/175))
  init: ['xavier-uniform', /^ {4}"conv1\.weight": \(\(6, 1, 5, 5\), "uniform", 0\.18516401995451\d*, True\),$/m],
  seed: [5, /^SEED = 5$/m],
  'augment.crop': [true, /^AUGMENT = \{'crop': True, 'flip': False\} /m],
  'augment.flip': [true, /^AUGMENT = \{'crop': False, 'flip': True\} /m],
  cropPadding: [3, /^CROP_PADDING = 3 /m],
  tta: [true, /^TTA = True /m],
  earlyStopping: [4, /^EARLY_STOPPING = 4 /m],
  valSplit: [0.25, /^VAL_SPLIT = 0\.25 /m],
};

test('every setting of TrainOptions is written with its value, refused by name, or the host\'s', () => {
  const paths = settingPaths(interfaceType('engine/train/loop/train.ts', 'TrainOptions'));
  assert.ok(paths.includes('optimizer.nesterov') && paths.includes('schedule.gamma') && paths.includes('augment.flip'), 'the walk reaches nested options');
  const base = script(BASE);
  for (const path of paths) {
    const [head, tail] = path.split('.');
    const c = tail ? OPTION_TABLES[head][tail] : OPTION_TABLES[''][head];
    if (c.how === 'script') {
      const sample = SAMPLES[path];
      assert.ok(sample, `${path} is written into the script: give it a sample value in this test`);
      const text = script(withSetting(BASE, path, sample[0]));
      assert.match(text, sample[1], `${path} = ${JSON.stringify(sample[0])}`);
      assert.doesNotMatch(base, sample[1], `${path}: the sample differs from the base`);
    } else if (c.how === 'refused') {
      assert.throws(() => script(withSetting(BASE, path, {})), (e: unknown) => e instanceof ExportError && e.message.startsWith(`cannot export ${path}: `));
    } else {
      assert.ok(c.why.length > 10, `${path}: why it is the host's`);
      assert.equal(script(withSetting(BASE, path, () => 0)), base, `${path} is the host's: it changes nothing in the script`);
    }
  }
  // the seed also moves the validation split's state
  assert.notEqual(/^VAL_SPLIT_STATE = .*$/m.exec(script(withSetting(BASE, 'seed', 5)))![0], /^VAL_SPLIT_STATE = .*$/m.exec(base)![0]);
});

test('every setting of the training panel reaches the script', () => {
  const settings: TrainSettings = {
    dataset: 'mnist', limit: 2000, epochs: 3, batchSize: 32, optimizer: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 0, init: 'default',
    crop: false, flip: false, tta: false, patience: 0, valSplit: 0.1, seed: 0, fit: 'resize',
  };
  // the data settings go to the data the worker loads (test/unit/extension covers that job); the others to the options
  const DATA_KEYS = new Set(['dataset', 'limit', 'fit']);
  const changed: Record<string, unknown> = {
    epochs: 9, batchSize: 16, optimizer: 'adam', lr: 0.5, momentum: 0.5, weightDecay: 0.01, init: 'he', crop: true, flip: true, tta: true,
    patience: 2, valSplit: 0.3, seed: 4,
  };
  const keys = checker.getPropertiesOfType(interfaceType('webview/trainProtocol.ts', 'TrainSettings')).map((p) => p.name);
  const base = script({ ...BASE, ...settingsOptions(settings) });
  for (const key of keys) {
    if (DATA_KEYS.has(key)) continue;
    assert.ok(key in changed, `the panel's ${key} is a new setting: map it in extension/trainOptions.ts and give it a value here`);
    const s = { ...settings, [key]: changed[key] } as TrainSettings;
    // SGD's momentum shows only with SGD; Adam's weight decay only when given
    assert.notEqual(script({ ...BASE, ...settingsOptions(s) }), base, `the panel's ${key} changes the script`);
  }
});
