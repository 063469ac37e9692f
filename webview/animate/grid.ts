// A labelled grid of cells (an input channel, a kernel, an output map or a matrix): built once per
// scene, then each frame only sets texts and marks, so CSS transitions can run between frames.
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface GridOptions {
  /** Names the grid for tests and screen readers: `input-0`, `output-1`, `xhat`. */
  id: string;
  caption: string;
  rows: number;
  cols: number;
  rowLabels?: string[];
  colLabels?: string[];
  /** Small cells; by default for grids of more than 36 cells. */
  compact?: boolean;
  /** Rows above the data that `set`/`mark` do not count (the sliding `w` row of a 1D input). */
  rowOffset?: number;
}

export class GridView {
  readonly el: HTMLElement;
  private readonly cells: HTMLElement[][];
  private readonly marked = new Map<string, Set<HTMLElement>>();
  private readonly off: number;

  constructor(o: GridOptions) {
    this.off = o.rowOffset ?? 0;
    this.el = el('figure', `grid${o.compact ?? o.rows * o.cols > 36 ? ' compact' : ''}`);
    this.el.dataset.grid = o.id;
    this.el.append(el('figcaption', undefined, o.caption));
    const table = el('table');
    table.setAttribute('aria-label', o.caption);
    if (o.colLabels) {
      const head = el('tr');
      if (o.rowLabels) head.append(el('th'));
      for (const c of o.colLabels) head.append(el('th', 'col-label', c));
      table.append(head);
    }
    this.cells = Array.from({ length: o.rows }, (_, i) => {
      const tr = el('tr');
      if (o.rowLabels) tr.append(el('th', 'row-label', o.rowLabels[i]));
      const row = Array.from({ length: o.cols }, (_, j) => {
        const td = el('td');
        const data = i - this.off;
        if (data >= 0) td.dataset.at = o.rows - this.off === 1 && (!o.rowLabels || this.off) ? String(j) : `${data},${j}`;
        else td.className = 'weight';
        tr.append(td);
        return td;
      });
      table.append(tr);
      return row;
    });
    this.el.append(table);
  }

  cell(i: number, j: number): HTMLElement | undefined {
    return this.cells[i + this.off]?.[j];
  }

  /** The sliding `w` row: a weight above column j. */
  setWeight(j: number, text: string): void {
    const c = this.cells[0]?.[j];
    if (c) {
      c.textContent = text;
      c.classList.add('on');
    }
  }

  clearWeights(): void {
    for (const c of this.cells[0] ?? []) {
      c.textContent = '';
      c.classList.remove('on');
    }
  }

  set(i: number, j: number, text: string): void {
    const c = this.cell(i, j);
    if (c && c.textContent !== text) c.textContent = text;
  }

  /** Marks a cell with a class until `clear(cls)`; `data` sets data attributes (a weight badge). */
  mark(i: number, j: number, cls: string, data?: Record<string, string>): void {
    const c = this.cell(i, j);
    if (!c) return;
    c.classList.add(cls);
    if (data) Object.assign(c.dataset, data);
    let set = this.marked.get(cls);
    if (!set) this.marked.set(cls, (set = new Set()));
    set.add(c);
  }

  clear(cls: string, data: string[] = []): void {
    for (const c of this.marked.get(cls) ?? []) {
      c.classList.remove(cls);
      for (const d of data) delete c.dataset[d];
    }
    this.marked.get(cls)?.clear();
  }

  /** Every cell at once: a fixed class (padding, never read) on the cells where `f` is true. */
  markWhere(cls: string, f: (i: number, j: number) => boolean): void {
    this.cells.forEach((row, i) => row.forEach((c, j) => c.classList.toggle(cls, i >= this.off && f(i - this.off, j))));
  }
}

/** A number as the step model prints it: integers plain, others with at most 4 decimals. */
export const num = (v: number): string => (v === -Infinity ? '−∞' : Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4))));

/** Rows of a grid whether it is a list (1D) or a list of rows (2D). */
export const rowsOf = <T>(g: T[] | T[][]): T[][] => (Array.isArray(g[0]) ? (g as T[][]) : [g as T[]]);
