// The options check every subcommand runs before node's parseArgs, so that an error says what is
// wrong: `unknown option --bogus` (with the nearest real option when one is close), `--lr needs a
// value`, `--json takes no value`. A value starting with a minus sign (`--seed -1`, `--kernel -1,1`)
// is glued on as `--seed=-1`, since parseArgs would take it for an option.
import { UsageError } from './io';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Edit distance (insert, delete, substitute, swap two neighbours), for suggestions. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known name nearest to `name`, when it is close enough to be a slip (or `name` is its prefix). */
export function suggest(name: string, known: string[]): string | undefined {
  let best: string | undefined, bestD = Infinity;
  for (const k of known) {
    const d = k.startsWith(name) && name.length >= 3 ? 0.5 : distance(name, k);
    if (d < bestD) { best = k; bestD = d; }
  }
  return bestD <= Math.max(1, Math.floor(name.length / 4)) ? best : undefined;
}

export function checkArgs(args: string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return [...out, ...args.slice(i)];
    if (!a.startsWith('--')) { out.push(a); continue; }
    const eq = a.indexOf('='), name = eq < 0 ? a.slice(2) : a.slice(2, eq), spec = options[name];
    if (!spec) {
      const near = suggest(name, Object.keys(options));
      throw new UsageError(`unknown option --${name}${near ? ` (did you mean --${near}?)` : ''}`);
    }
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      out.push(a);
      continue;
    }
    if (eq >= 0) { out.push(a); continue; }
    const next = args[i + 1];
    if (next === undefined || (next.startsWith('-') && !/^-[\d.]/.test(next))) throw new UsageError(`--${name} needs a value`);
    out.push(`--${name}=${next}`);
    i++;
  }
  return out;
}
