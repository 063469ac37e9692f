// What the user sees, from the editor lines the workbench drew (test/e2e/bench-dom.js, which bench:editor turns on):
// for each edit, when the edited line was first drawn with its new code and then with its new hints. Both times are
// the page's, taken as the line's DOM changed, so none of the extension host's round trips to the workbench (the
// benchmark's `editor.edit` and its hint command) is in the difference, and VS Code's editor's own request, its
// debounce and the drawing are. Empty when the benchmark runs without BENCH_DOM_LOG.
import { existsSync, readFileSync } from 'node:fs';

interface DrawnLine {
  /** Epoch ms (the page's clock: the same machine's as the extension host's). */
  t: number;
  uri: string;
  text: string;
}

/** Epoch ms when the edit's line was first drawn with its new code, and with its new hints too; undefined if never. */
export interface Drawn {
  code?: number;
  hints?: number;
}

export function drawnLines(): DrawnLine[] {
  const file = process.env.BENCH_DOM_LOG;
  if (!file || !existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as DrawnLine);
}

/**
 * For the edits of the file `name` that began at `starts` (epoch ms), edit i making the line `code(i)` whose hints
 * must then show `shows(i)`: when each was drawn, looking only until the next edit began.
 */
export function drawnTimes(lines: DrawnLine[], name: string, starts: number[], code: (i: number) => string,
  shows: (i: number) => string): Drawn[] {
  const mine = lines.filter((l) => decodeURIComponent(l.uri).endsWith(`/${name}`));
  return starts.map((start, i) => {
    const end = starts[i + 1] ?? Infinity;
    const text = code(i);
    const drawn = mine.filter((l) => l.t >= start && l.t < end && l.text.startsWith(text));
    return { code: drawn[0]?.t, hints: drawn.find((l) => l.text.slice(text.length).includes(shows(i)))?.t };
  });
}
