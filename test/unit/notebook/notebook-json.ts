// Notebooks for the tests, written as Jupyter writes them.

export type Cell = string | { md: string };

/** An nbformat 4 notebook; sources as lists of lines, as Jupyter writes them. */
export function notebookJson(cells: Cell[]): string {
  return JSON.stringify({
    cells: cells.map((c) => (typeof c === 'string'
      ? { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: c.split(/(?<=\n)/) }
      : { cell_type: 'markdown', metadata: {}, source: c.md })),
    metadata: { kernelspec: { name: 'python3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}
