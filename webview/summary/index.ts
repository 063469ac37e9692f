// The model summary webview: a torchinfo-style tree (depth control, output shape, params, MACs,
// share of the total), a totals footer, copy as Markdown. It only renders what the extension sends.
import { bounded } from '../../engine/report/format';
import { formatCount } from '../../engine/shapes/dim';
import { formatBytes } from '../../engine/memory/size';
import { type FromWebview, parseToWebview, type SummaryModel, type ToWebview } from '../protocol';
import { summaryMarkdown, total, visibleRows } from './markdown';
import { el } from '../shared/dom';
import { labelledDropdown as dropdown, registerToolkit, TAGS } from '../shared/toolkit';
import { vscodeApi } from '../shared/vscodeApi';
import '../shared/base.css';
import './summary.css';

const vscode = vscodeApi<FromWebview>();
registerToolkit();

interface ViewState { depth: number; model: string }
const saved = vscode.getState() as Partial<ViewState> | undefined;
let depth = typeof saved?.depth === 'number' ? saved.depth : 2;
let chosen = typeof saved?.model === 'string' ? saved.model : '';
let last: Extract<ToWebview, { type: 'summary' }> | undefined;

const root = document.getElementById('root')!;

function render(): void {
  root.replaceChildren();
  if (!last) return;
  const model = last.models.find((m) => m.name === chosen) ?? last.models[last.selected] ?? last.models[0];
  if (!model) return;
  const unit = last.computeUnit;
  const k = unit === 'FLOPs' ? 2 : 1;
  const maxDepth = Math.max(1, ...model.rows.map((r) => r.depth));
  depth = Math.min(depth, maxDepth);

  const header = el('header');
  const title = el('h1', undefined, model.name);
  title.append(el('span', 'muted', ` ${model.framework} · ${last.file}`));
  header.append(title);
  const controls = el('div', 'controls');
  if (last.models.length > 1) {
    controls.append(dropdown('Model', last.models.map((m) => [m.name, m.name]), model.name, (v) => { chosen = v; save(); render(); }));
  }
  controls.append(dropdown('Depth', Array.from({ length: maxDepth }, (_, i) => [String(i + 1), String(i + 1)]), String(depth), (v) => { depth = Number(v); save(); render(); }));
  const mem = model.memory;
  if (mem) {
    const send = (change: Partial<Pick<NonNullable<SummaryModel['memory']>, 'batchSize' | 'optimizer' | 'dtype'>>) =>
      vscode.postMessage({ type: 'memory', batchSize: mem.batchSize, optimizer: mem.optimizer, dtype: mem.dtype, ...change });
    const sizes = [...new Set([1, 8, 16, 32, 64, 128, 256, 512, mem.batchSize])].sort((a, b) => a - b);
    controls.append(
      dropdown('Batch size', sizes.map((b) => [String(b), String(b)]), String(mem.batchSize), (v) => send({ batchSize: Number(v) })),
      dropdown('Optimizer', [['sgd', 'SGD'], ['sgd-momentum', 'SGD + momentum'], ['adam', 'Adam'], ['adamw', 'AdamW'], ['rmsprop', 'RMSprop']],
        mem.optimizer, (v) => send({ optimizer: v as typeof mem.optimizer })),
      dropdown('Dtype', [['float32', 'float32'], ['float16', 'float16'], ['bfloat16', 'bfloat16']], mem.dtype, (v) => send({ dtype: v as typeof mem.dtype })),
    );
  }
  const copy = document.createElement(TAGS.button);
  copy.id = 'copy-markdown';
  copy.textContent = 'Copy as Markdown';
  copy.setAttribute('appearance', 'secondary');
  copy.addEventListener('click', () => vscode.postMessage({ type: 'copy', text: summaryMarkdown(model, depth, unit) }));
  controls.append(copy);
  header.append(controls);
  header.append(el('p', 'muted', `Input ${model.input}: ${model.inputOrigin.replace(/`/g, '')}`));
  root.append(header);

  root.append(table(model, unit, k));

  const footer = el('footer');
  const p = model.paramsComplete;
  const totals: Array<[string, string]> = [
    ['Total params', total(model.totalParams, p)],
    ['Trainable', bounded(model.trainableParams, p)],
    ['Non-trainable', bounded(model.nonTrainableParams, p)],
    [`Total ${unit}`, `${total(k * model.macs, model.macsComplete)} per sample`],
    ['Output', model.output],
  ];
  for (const [name, value] of totals) {
    const item = el('div', 'total');
    item.append(el('span', 'muted', name), el('strong', undefined, value));
    footer.append(item);
  }
  root.append(footer);
  if (mem) {
    const b = (n: number) => `${mem.complete ? '' : '≥ '}${formatBytes(n)}`;
    // a peak is an estimate (≈) or, when something is not counted, a lower bound (≥): never both signs
    const approx = mem.complete ? ' ≈' : '';
    const memFooter = el('footer', 'memory');
    memFooter.id = 'memory-totals';
    const items: Array<[string, string]> = [
      [`Training peak${approx} (batch ${mem.batchSize})`, b(mem.trainingPeakBytes)],
      ['Saved for backward', b(mem.savedActivationsBytes)],
      ['Params + gradients + optimizer', b(mem.paramsBytes + mem.gradientsBytes + mem.optimizerStateBytes)],
      [`Inference peak${approx}`, b(mem.inferencePeakBytes)],
    ];
    for (const [name, value] of items) {
      const item = el('div', 'total');
      item.append(el('span', 'muted', name), el('strong', undefined, value));
      memFooter.append(item);
    }
    root.append(memFooter);
    for (const w of mem.warnings) root.append(el('p', 'muted bound', `Memory: ${w}`));
  }
  if (model.bound) root.append(el('p', 'muted bound', model.bound));
  if (last.imports.length) root.append(el('p', 'muted imports', `Imports: ${last.imports.join(' · ')}`));
}

function table(model: SummaryModel, unit: string, k: number): HTMLTableElement {
  const t = el('table');
  const head = el('tr');
  const mem = model.memory;
  for (const h of ['Layer (type)', 'Output shape', 'Params', unit, `% of ${unit}`, ...(mem ? ['Saved'] : [])]) head.append(el('th', undefined, h));
  t.append(el('thead'));
  t.tHead!.append(head);
  const body = el('tbody');
  for (const r of visibleRows(model, depth)) {
    const tr = el('tr', r.isLeaf ? 'leaf' : 'container');
    tr.dataset.path = r.path;
    const name = el('td', 'name');
    name.style.setProperty('--depth', String(r.depth));
    const label = r.path ? r.path.split('.').pop()! : model.name;
    name.append(el('span', undefined, label));
    if (r.type !== label) name.append(el('span', 'muted', ` ${r.type}`));
    if (r.frozen) name.append(el('span', 'frozen', ` ${r.frozen}`));
    const pct = model.macs > 0 ? (100 * r.macs) / model.macs : 0;
    const share = el('td', 'num share', `${pct.toFixed(1)}%`);
    share.style.setProperty('--share', `${pct}%`);
    tr.append(name, el('td', 'shape', r.output), countCell(r.params, r.paramsKnown), countCell(k * r.macs, r.macsKnown), share);
    if (mem) {
      const saved = el('td', 'num saved', r.savedBytes ? formatBytes(r.savedBytes) : '--');
      saved.title = `kept for the backward pass at batch ${mem.batchSize} (${mem.dtype})`;
      tr.append(saved);
    }
    if (r.line > 0) {
      tr.tabIndex = 0;
      tr.title = `Go to line ${r.line}`;
      const reveal = () => vscode.postMessage({ type: 'reveal', line: r.line });
      tr.addEventListener('click', reveal);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') reveal(); });
    }
    body.append(tr);
  }
  t.append(body);
  return t;
}

/** A count in full, and short (`4.09G`) for a narrow panel, where CSS shows that one instead. */
function countCell(n: number, known: boolean): HTMLTableCellElement {
  const td = el('td', 'num');
  td.append(el('span', 'full', bounded(n, known)), el('span', 'short', bounded(n, known, formatCount)));
  td.title = bounded(n, known);
  return td;
}

function save(): void {
  vscode.setState({ depth, model: chosen } satisfies ViewState);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseToWebview(event.data);
  if (!msg) {
    console.warn('ConvLens summary: dropped a malformed message', event.data);
    return;
  }
  if (msg.type === 'empty') {
    last = undefined;
    root.replaceChildren(el('p', 'empty', msg.message));
    return;
  }
  if (last?.file !== msg.file) chosen = '';
  last = msg;
  render();
});

vscode.postMessage({ type: 'ready' });
