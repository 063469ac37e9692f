// The three views of a scene, built once and then updated per frame: the sliding window
// (convolution or pooling), img2col (receptive fields become the columns of X̂, Y = W·X̂), and the
// backward pass (dX̂ = Wᵀ·dY, then each column added back onto dx: "why addition?").
import type { AxisInfo, BackwardExplanation, FieldCell, Grid, Img2colExplanation, SlidingExplanation } from '../../engine/explain/types';
import { el, GridView, num, rowsOf } from './grid';
import type { AnimateParams } from './protocol';
import { matrixShapes, type Scene } from './scene';

export interface SceneView {
  el: HTMLElement;
  show(frame: number): void;
}

/** [row, col] of a position as the step model prints it ([i] in 1D). */
const rc = (at: number[]): [number, number] => (at.length === 1 ? [0, at[0]] : [at[0], at[1]]);

function section(title: string, ...children: HTMLElement[]): HTMLElement {
  const s = el('section', 'part');
  s.append(el('h2', undefined, title), ...children);
  return s;
}

/** What the marks mean: said in words as well as colour. */
function legend(items: Array<[string, string]>): HTMLElement {
  const l = el('p', 'legend');
  for (const [cls, text] of items) {
    const item = el('span', 'legend-item');
    item.append(el('span', `swatch ${cls}`), el('span', undefined, text));
    l.append(item);
  }
  return l;
}

function row(...children: HTMLElement[]): HTMLElement {
  const r = el('div', 'grids');
  r.append(...children);
  return r;
}

/** Per axis, one line: the size formula with the numbers substituted, the padding split, the tiling. */
function facts(axes: AxisInfo[], notes: string[]): HTMLElement {
  const list = el('ul', 'facts');
  for (const a of axes) {
    const f = a.formulas[0];
    const li = el('li');
    const formula = el('code', undefined, `${f.label} = ${f.substituted}`);
    formula.title = f.general;
    const t = a.tiling;
    const cells = a.name === 'h' ? 'rows' : a.name === 'w' ? 'columns' : 'positions';
    const tiling = t.neverRead.length === 0
      ? `stride ${a.stride}${a.stride > 1 ? ': exact tiling, every cell read' : ''}`
      : `stride ${a.stride}: ${t.exact ? 'windows skip' : 'inexact tiling,'} padded ${cells} ${t.neverRead.join(', ')} never read${t.neverReadInput.length ? ` (input ${t.neverReadInput.join(', ')})` : ''}`;
    li.append(formula, el('span', undefined, ` · padding ${a.paddingText} · `), el('span', t.neverRead.length ? 'inexact' : undefined, tiling));
    list.append(li);
  }
  // The tiling notes are already said per axis above.
  for (const n of notes.filter((x) => !x.includes('never read'))) list.append(el('li', 'muted', n));
  return list;
}

/**
 * The padded input channels, padding and never-read cells marked once. With `weightRow` (1D
 * convolution) each grid gets a `w` row above its `x` row where the kernel slides, as the lecture draws it.
 */
function inputGrids(e: SlidingExplanation, caption: (c: number) => string, id = 'input', weightRow = false): GridView[] {
  const pad = rowsOf<boolean>(e.isPadding);
  const [rowsAxis, colsAxis] = e.dims === 1 ? [undefined, e.axes[0]] : [e.axes[0], e.axes[1]];
  const off = weightRow ? 1 : 0;
  return e.padded.map((g, c) => {
    const rows = rowsOf<number>(g);
    const v = new GridView({ id: `${id}-${c}`, caption: caption(c), rows: rows.length + off, cols: rows[0].length, rowOffset: off, ...(weightRow ? { rowLabels: ['w', 'x'] } : {}) });
    rows.forEach((r, i) => r.forEach((x, j) => v.set(i, j, num(x))));
    v.markWhere('pad', (i, j) => pad[i][j]);
    v.markWhere('never', (i, j) => !!rowsAxis?.tiling.neverRead.includes(i) || colsAxis.tiling.neverRead.includes(j));
    return v;
  });
}

/** Marks the cells a window reads; `weights` fills the sliding `w` row (1D), `badge` labels each cell (2D). */
function markField(grids: GridView[], field: FieldCell[], o: { badge?: (t: number) => string; weights?: (t: number) => string; chosen?: number } = {}): void {
  for (const g of grids) {
    g.clear('field', ['w']);
    g.clear('chosen');
    if (o.weights) g.clearWeights();
  }
  field.forEach((cell, t) => {
    const [i, j] = rc(cell.at);
    grids[cell.channel].mark(i, j, 'field', o.badge ? { w: o.badge(t) } : undefined);
    if (o.weights) grids[cell.channel].setWeight(j, o.weights(t));
    if (t === o.chosen) grids[cell.channel].mark(i, j, 'chosen');
  });
}

function gridOf(id: string, caption: string, g: Grid): GridView {
  const rows = rowsOf<number>(g);
  const v = new GridView({ id, caption, rows: rows.length, cols: rows[0].length });
  rows.forEach((r, i) => r.forEach((x, j) => v.set(i, j, num(x))));
  return v;
}

const sizeText = (e: SlidingExplanation): string => e.axes.map((a) => a.paddedLength).join('×');

function slidingView(e: SlidingExplanation, p: AnimateParams): SceneView {
  const root = el('div', 'scene sliding');
  const conv = e.op === 'conv';
  const slide = conv && e.dims === 1;
  const inputs = inputGrids(e, (c) => `${e.channels > 1 ? `Input channel ${c}` : 'Input x'} (padded: ${sizeText(e)})`, 'input', slide);
  const kernels: GridView[][] = conv
    ? p.kernel.map((f, fi) => f.map((g, c) => gridOf(`kernel-${fi}-${c}`, `${p.kernel.length > 1 ? `Filter ${fi}` : 'Kernel w'}${f.length > 1 ? `, channel ${c}` : ''}`, g)))
    : [];
  const outputs = e.outputMaps.map((g, m) => {
    const rows = rowsOf<number>(g);
    return new GridView({ id: `output-${m}`, caption: e.maps > 1 ? `Output map ${m} (${conv ? `filter ${m}` : `channel ${m}`})` : 'Output y', rows: rows.length, cols: rows[0].length });
  });
  const what = conv ? 'Kernel' : `Window ${e.axes.map((a) => a.kernel).join('×')}: ${e.op === 'maxpool' ? 'the largest value wins' : 'the average of the values read'}`;
  root.append(
    facts(e.axes, e.notes),
    legend([['field', slide ? 'receptive field (w above: the kernel where it is now)' : conv ? 'receptive field (×w: the weight it meets)' : e.op === 'maxpool' ? 'window (underlined: the maximum)' : 'window'], ['current', 'output being computed'], ['pad', 'padding'], ['never', 'never read (stride)']]),
    section('Input', row(...inputs.map((g) => g.el))),
    conv ? section(kernels.length > 1 ? 'Filters' : what, row(...kernels.flat().map((g) => g.el))) : section(what),
    section(`Output, shape (${e.outputShape.join(', ')})`, row(...outputs.map((g) => g.el))),
  );
  return {
    el: root,
    show(i) {
      const step = e.steps[i];
      const weight = (t: number) => num(step.terms[t][0]);
      markField(inputs, step.field, slide ? { weights: weight } : conv ? { badge: (t) => `×${weight(t)}` } : { chosen: step.chosen });
      kernels.forEach((f, fi) => f.forEach((g) => g.el.classList.toggle('active', fi === step.map)));
      for (const o of outputs) o.clear('current');
      e.steps.forEach((s, k) => {
        const [r, c] = rc(s.at);
        outputs[s.map].set(r, c, k <= i ? num(s.value) : '');
      });
      outputs[step.map].mark(...rc(step.at), 'current');
    },
  };
}

/** A matrix with labelled rows and numbered columns. */
function matrix(id: string, caption: string, m: number[][], rowLabels: string[]): GridView {
  return new GridView({ id, caption, rows: m.length, cols: m[0].length, rowLabels, colLabels: m[0].map((_, t) => String(t)) });
}

/** Fills the columns up to `t` of a matrix and marks column `t`. */
function fillColumns(g: GridView, m: number[][], t: number): void {
  g.clear('current');
  m.forEach((r, i) => r.forEach((v, j) => {
    g.set(i, j, j <= t ? num(v) : '');
    if (j === t) g.mark(i, j, 'current');
  }));
}

function img2colView(e: Img2colExplanation): SceneView {
  const root = el('div', 'scene img2col');
  const inputs = inputGrids(e.conv, (c) => `${e.conv.channels > 1 ? `Input channel ${c}` : 'Input x'} (padded)`);
  const filters = e.w.map((_, f) => `f${f}`);
  const xHat = matrix('xhat', 'X̂: one column per receptive field', e.xHat, e.rowLabels);
  const w = new GridView({ id: 'w', caption: 'W: one row per filter', rows: e.w.length, cols: e.w[0].length, rowLabels: filters, colLabels: e.rowLabels, compact: e.w[0].length > 12 });
  e.w.forEach((r, i) => r.forEach((v, j) => w.set(i, j, num(v))));
  const y = matrix('y', 'Y = W·X̂', e.y, filters);
  const shapes = el('p', 'shapes', matrixShapes(e).text);
  shapes.dataset.testid = 'matrix-shape';
  root.append(facts(e.conv.axes, []), shapes, legend([['field', 'receptive field (→r: its row in X̂)'], ['current', 'the column being filled'], ['pad', 'padding']]), section('Input', row(...inputs.map((g) => g.el))), section('Matrices', row(w.el, xHat.el)), section('Output', row(y.el)));
  return {
    el: root,
    show(t) {
      const step = e.steps[t];
      markField(inputs, step.field, { badge: (r) => `→${r}` });
      fillColumns(xHat, e.xHat, t);
      fillColumns(y, e.y, t);
    },
  };
}

function backwardView(e: BackwardExplanation): SceneView {
  const root = el('div', 'scene backward');
  const conv = e.img2col.conv;
  const filters = e.dY.map((_, f) => `f${f}`);
  const dY = matrix('dy', 'dY (the gradient arriving from above)', e.dY, filters);
  e.dY.forEach((r, i) => r.forEach((v, j) => dY.set(i, j, num(v))));
  const dXHat = matrix('dxhat', 'dX̂ = Wᵀ·dY', e.dXHat, e.img2col.rowLabels);
  const dx = inputGrids(conv, (c) => `dx${conv.channels > 1 ? ` channel ${c}` : ''} (padded), accumulating`, 'dx');
  const dX = e.dX.map((g, c) => gridOf(`dX-${c}`, `dX${conv.channels > 1 ? ` channel ${c}` : ''} (padding cropped)`, g));
  const dW = e.dKernel.flatMap((f, fi) => f.map((g, c) => gridOf(`dW-${fi}-${c}`, `dW${e.dKernel.length > 1 ? ` filter ${fi}` : ''}${f.length > 1 ? `, channel ${c}` : ''} = dY·X̂ᵀ`, g)));
  const why = el('p', 'why', `Why addition? ${e.sharedCells} input cell${e.sharedCells === 1 ? ' is' : 's are'} read by more than one window, so ${e.sharedCells === 1 ? 'its' : 'their'} gradient is the sum of one contribution per window: ∂L/∂x = ∂L/∂a + ∂L/∂b + …`);
  root.append(
    legend([['current', 'the column of dX̂ being added back'], ['field', 'cells it adds to (+amount)'], ['shared', 'received more than one addition so far']]),
    section('Through the weights', row(dY.el, dXHat.el)),
    section('Column to image: dx[cell] += dX̂[row, column]', row(...dx.map((g) => g.el))),
    section('Result', why, row(...dX.map((g) => g.el), ...dW.map((g) => g.el))),
  );
  return {
    el: root,
    show(t) {
      fillColumns(dXHat, e.dXHat, t);
      const step = e.steps[t];
      const hits = new Map<string, number>();
      for (const s of e.steps.slice(0, t + 1)) for (const a of s.adds) hits.set(`${a.channel}:${a.at.join(',')}`, (hits.get(`${a.channel}:${a.at.join(',')}`) ?? 0) + 1);
      step.dxPadded.forEach((g, c) => {
        dx[c].clear('field', ['w']);
        dx[c].clear('shared');
        rowsOf<number>(g).forEach((r, i) => r.forEach((v, j) => {
          dx[c].set(i, j, num(v));
          if ((hits.get(`${c}:${conv.dims === 1 ? j : `${i},${j}`}`) ?? 0) > 1) dx[c].mark(i, j, 'shared');
        }));
      });
      for (const a of step.adds) dx[a.channel].mark(...rc(a.at), 'field', { w: `+${num(a.amount)}` });
    },
  };
}

export function sceneView(scene: Scene, p: AnimateParams): SceneView {
  switch (scene.view) {
    case 'sliding':
      return slidingView(scene.e, p);
    case 'img2col':
      return img2colView(scene.e);
    case 'backward':
      return backwardView(scene.e);
  }
}
