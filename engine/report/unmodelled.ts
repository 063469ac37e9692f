// What the engine could not model in a model stays visible (the honesty rule): one `unmodelled`
// entry per thing, each with one `warning` diagnostic that names it and says what is now unknown.
import type { Diagnostic, RelatedPlace, Unmodelled } from './types';

/** Why a callee is unknown, in words that fit "Mystery (…) is not modelled". */
export function whyUnknown(reason: string): string {
  const imp = /^cannot resolve import '([^']+)'/.exec(reason);
  if (imp) return `from the unresolved import '${imp[1]}'`;
  const attr = /^module '([^']+)' has no attribute '([^']+)'.*?(?: \(did you mean '([^']+)'\?\))?$/.exec(reason);
  if (attr) return `not in ConvLens's catalogue of ${attr[1]}${attr[3] ? `: did you mean ${attr[3]}?` : ''}`;
  return reason;
}

/** "its argument in_channels is unknown", for a layer whose sizes depend on arguments the engine cannot know. */
export function unknownArgsReason(names: string[]): string {
  if (!names.length) return 'its sizes are unknown';
  return `its argument${names.length > 1 ? 's' : ''} ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} unknown`;
}

/** What a layer's unknown arguments leave unknown, in the order messages list them. */
export function missingOf(params: boolean, macs: boolean, shape: boolean): Unmodelled['missing'] {
  return [...(params ? ['params' as const] : []), ...(macs ? ['macs' as const] : []), ...(shape ? ['shape' as const] : [])];
}

const WORDS: Record<Unmodelled['missing'][number], string> = { params: 'parameters', macs: 'MACs', shape: 'shapes' };

/** "Mystery (from the unresolved import 'foo') is not modelled: its parameters, MACs and the shapes after line 12 are unknown". */
export function unmodelledMessage(u: Unmodelled, callLine = u.line): string {
  const parts = u.missing.map((m) => (m === 'shape' ? `the shapes after line ${callLine}` : WORDS[m]));
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0] ?? 'its result';
  const why = u.reason && !u.reason.endsWith('is not modelled') ? ` (${u.reason})` : '';
  const own = u.missing.some((m) => m !== 'shape') ? 'its ' : '';
  return `${u.name}${why} is not modelled: ${own}${list} are unknown`;
}

/** The unmodelled things of one trace, each recorded once (by module path, else by name and line). */
export class UnmodelledLog {
  readonly entries: Unmodelled[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly keys = new Set<string>();
  /** One warning per line and message: a block built 17 times says so once, with the count. */
  private readonly same = new Map<string, { diagnostic: Diagnostic; message: string; count: number }>();

  add(u: Unmodelled, callLine?: number, related?: RelatedPlace[]): void {
    const key = u.path ?? `${u.name}@${u.line}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.entries.push(u);
    const message = unmodelledMessage(u, callLine);
    const seen = this.same.get(`${u.line}\n${message}`);
    if (seen) {
      seen.count++;
      seen.diagnostic.message = `${seen.message} (${seen.count} instances made at this line)`;
      return;
    }
    const diagnostic: Diagnostic = { line: u.line, severity: 'warning', code: 'unmodelled', message, range: u.range, ...(related ? { related } : {}) };
    this.same.set(`${u.line}\n${message}`, { diagnostic, message, count: 1 });
    this.diagnostics.push(diagnostic);
  }

  has(path: string): boolean {
    return this.keys.has(path);
  }
}
