// The options check every subcommand runs before node's parseArgs, so that an error says what is
// wrong: `unknown option --bogus` (with the nearest real option when one is close), `--lr needs a
// value`, `--json takes no value`. A value starting with a minus sign (`--seed -1`, `--kernel -1,1`)
// is glued on as `--seed=-1`, since parseArgs would take it for an option.
import { suggest } from '../suggest';
import { UsageError } from './io';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

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
