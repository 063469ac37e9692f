// `npm run bench`: analysis time (median of repeated runs after warm-up) for every fixture, the
// ResNet-50 example, the torchvision zoo and a generated 5,000-line file, and the CLI's cold start.
// Targets (issue 2): ResNet-50 written the usual way under 25 ms; CLI cold start under 300 ms.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeSource } from '../../engine/analyze';
import { nodeHost } from '../../engine/cli/node-files';
import { generatedModelFile } from './generated-model';

const ROOT = path.join(__dirname, '../..');
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(fn: () => void, warmup = 5, runs = 21): number {
  for (let i = 0; i < warmup; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

function row(name: string, ms: number, extra = ''): void {
  console.log(`${name.padEnd(60)} ${ms.toFixed(2).padStart(9)} ms  ${extra}`);
}

function entriesOf(src: string): Array<{ entry: string; input: number[] }> {
  const entries = [...src.matchAll(/^# entry: (.+)$/gm)].map((m) => m[1].trim());
  const inputs = [...src.matchAll(/^# input: (.+)$/gm)].map((m) => m[1].split(',').map(Number));
  return entries.map((entry, i) => ({ entry, input: inputs[i] }));
}

console.log('Analysis time, median after warm-up');
const resnet = path.join(ROOT, 'examples/resnet50.py');
const resnetSrc = fs.readFileSync(resnet, 'utf8');
row('examples/resnet50.py (Bottleneck ResNet-50, the usual way)', time(() => analyzeSource(resnet, resnetSrc, { host: nodeHost })), 'target < 25 ms');

const fixtures = path.join(ROOT, 'test/fixtures/pytorch');
for (const f of fs.readdirSync(fixtures).filter((x) => x.endsWith('.py')).sort()) {
  const file = path.join(fixtures, f);
  const src = fs.readFileSync(file, 'utf8');
  for (const { entry, input } of entriesOf(src)) {
    row(`${f} ${entry}`.slice(0, 60), time(() => analyzeSource(file, src, { host: nodeHost, entry, input }), 2, 9));
  }
}

const zoo = path.join(ROOT, 'test/fixtures/zoo');
for (const [rel, entry, input] of [['torchvision/models/resnet.py', 'resnet50()', [1, 3, 224, 224]], ['torchvision/models/densenet.py', 'densenet121()', [1, 3, 224, 224]], ['torchvision/models/efficientnet.py', 'efficientnet_b0()', [1, 3, 224, 224]]] as const) {
  const file = path.join(zoo, rel);
  const src = fs.readFileSync(file, 'utf8');
  row(`zoo ${entry} (with its package imports)`, time(() => analyzeSource(file, src, { host: nodeHost, entry, input: [...input], root: zoo }), 2, 9));
}

const gen = generatedModelFile(5000);
row(`generated file, ${gen.split('\n').length} lines`, time(() => analyzeSource('/gen/model.py', gen, {}), 1, 5));

console.log('\nCLI cold start (node dist/cli.js summary examples/resnet_cifar.py --json), median of 9');
const cli = path.join(ROOT, 'dist/cli.js');
if (!fs.existsSync(cli)) console.log('  dist/cli.js missing: run `npm run build` first');
else {
  const ts: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [cli, 'summary', path.join(ROOT, 'examples/resnet_cifar.py'), '--json'], { encoding: 'utf8' });
    ts.push(performance.now() - t0);
  }
  row('cold start', median(ts), 'target < 300 ms');
}
