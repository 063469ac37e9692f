// The Python files under a folder, for tests that check the parser on real code (the fixtures).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function pythonFiles(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) pythonFiles(p, out);
    else if (f.endsWith('.py')) out.push(p);
  }
  return out;
}
