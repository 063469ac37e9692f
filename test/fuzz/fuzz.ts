// `npm run fuzz -- --count 5000 --seed 1 [--time-limit 5000] [--max-steps 500000] [--out findings.json]`:
// mutates the model files in the fixtures and examples, runs the engine on every mutant and lists
// each internal error or timeout with the seed that reproduces it. Exits 1 when it found any.
import * as fs from 'node:fs';
import { fuzz } from './mutate';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const count = arg('count', 1000), seed = arg('seed', 1);
const t = Date.now();
const findings = fuzz(seed, count, {
  timeLimitMs: arg('time-limit', 5000),
  maxSteps: arg('max-steps', 500_000),
  onProgress: (n) => { if (n % 500 === 0) process.stderr.write(`${n}/${count} mutants, ${((Date.now() - t) / 1000).toFixed(0)} s\n`); },
});
for (const f of findings) console.log(`seed ${f.seed} ${f.kind} (${f.file}; ${f.mutations.join(', ')}): ${f.detail}`);
console.log(`${count} mutants (seeds ${seed}–${seed + count - 1}) in ${((Date.now() - t) / 1000).toFixed(1)} s: ${findings.filter((f) => f.kind === 'internal-error').length} internal errors, ${findings.filter((f) => f.kind === 'timeout').length} timeouts`);
const out = process.argv.indexOf('--out');
if (out > 0) fs.writeFileSync(process.argv[out + 1], JSON.stringify(findings, null, 2));
process.exitCode = findings.length ? 1 : 0;
