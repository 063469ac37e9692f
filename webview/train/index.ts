// The training panel: the model and what stops it from training, the data and how it meets the
// model, the hyper-parameters, Start/Pause/Resume/Stop, live curves, and at the end the test
// accuracy, the confusion matrix, sample predictions (mistakes first), the first layer's filters and
// the feature maps of a chosen image; the saved runs to reopen, compare, export. It only renders what
// the extension sends and sends back validated messages; training happens in the extension's worker.
import { formatCount } from '../../engine/shapes/dim';
import { trainingLine } from '../../engine/train/graph/trainable';
import { estimateSeconds } from '../../engine/train/loop/estimate';
import { ttaAfter, ttaNote, ttaViewCount } from '../../engine/train/loop/tta';
import { dropdownElement, registerToolkit, TAGS } from '../shared/toolkit';
import { vscodeApi } from '../shared/vscodeApi';
import {
  parseTrainToWebview, type DatasetKind, type FeatureLayer, type RunListItem, type RunResult, type TrainFromWebview, type TrainSettings, type TrainToWebview,
} from '../trainProtocol';
import { CompareCharts, LiveCharts } from './charts';
import { confusionTable, decodeBase64, pictureCanvas, scaleFor } from './pictures';
import { el, field, section } from './dom';
import '../shared/base.css';
import './train.css';

const vscode = vscodeApi<TrainFromWebview>();
registerToolkit();
const send = (m: TrainFromWebview): void => vscode.postMessage(m);

type Msg<T extends TrainToWebview['type']> = Extract<TrainToWebview, { type: T }>;
const state: {
  model?: Msg<'model'>; settings?: TrainSettings; data?: Msg<'data'>; status?: Msg<'status'>; result?: Msg<'result'>;
  /** The opened run was interrupted: what the results section offers instead of results. */
  interrupted?: Msg<'interrupted'>;
  runs: RunListItem[]; compare: Set<string>;
} = { runs: [], compare: new Set() };

/** The panel's model is a Keras model (its labels and exports differ). */
const keras = (): boolean => state.model?.model.framework === 'keras';

// ---- the page skeleton: sections filled by the render functions below

const root = document.getElementById('root')!;
const header = el('header');
const problems = section('problems', 'Cannot train this model');
const dataSec = section('data', 'Data');
const paramsSec = section('params', 'Hyper-parameters');
const controls = el('div', 'controls');
const statusLine = el('p', 'status');
statusLine.setAttribute('role', 'status');
statusLine.setAttribute('aria-live', 'polite');
const chartsSec = section('charts', 'Training curves');
const chartHosts = [el('div', 'chart'), el('div', 'chart')];
chartsSec.body.append(...chartHosts);
const resultsSec = section('results', 'Results');
const featuresSec = section('features', 'Feature maps');
const runsSec = section('runs', 'Saved runs');
const compareSec = section('compare', 'Comparison');
const compareHosts = [el('div', 'chart'), el('div', 'chart')];
compareSec.body.append(...compareHosts);
root.replaceChildren(header, problems.root, dataSec.root, paramsSec.root, controls, statusLine, chartsSec.root, resultsSec.root, featuresSec.root, runsSec.root, compareSec.root);
const charts = new LiveCharts(chartHosts);
let compareCharts: CompareCharts | null = null;

/** How many times the panel redrew for new progress (the e2e scenario measures updates per second). */
let updates = 0;

// ---- the model

function renderModel(): void {
  const m = state.model?.model;
  if (!m) return;
  vscode.setState({ uri: state.model!.uri, model: m.name });
  const title = el('h1', undefined, m.name);
  title.append(el('span', 'muted', ` ${m.file}:${m.line}`));
  const params = m.training ? trainingLine(m.training) : `${m.params.toLocaleString('en-US')} parameters`;
  header.replaceChildren(title, el('p', 'muted', `input ${m.input} · ${params} · ${formatCount(m.macs)} MACs per image`));
  if (state.model!.changed) {
    const banner = el('div', 'banner');
    banner.setAttribute('role', 'alert');
    banner.append(el('span', undefined, `${m.file} changed: this run trains the version from when you pressed Start. `));
    banner.append(button('Restart with the new version', () => send({ type: 'restart' }), 'restart'));
    header.append(banner);
  }
  const blocked = m.problems.length > 0 || m.blocker !== undefined;
  problems.root.hidden = !blocked;
  problems.body.replaceChildren();
  if (m.blocker) problems.body.append(el('p', undefined, m.blocker));
  if (m.problems.length) {
    const list = el('ul', 'problem-list');
    for (const p of m.problems) {
      const li = el('li');
      const where = el('a', 'line-link', `line ${p.line}`);
      where.href = '#';
      where.addEventListener('click', (e) => { e.preventDefault(); send({ type: 'reveal', line: p.line }); });
      li.append(el('strong', undefined, p.path ? `${p.path} (${p.type})` : p.type), ' on ', where, `: ${p.why}`);
      list.append(li);
    }
    problems.body.append(list);
  }
  renderControls();
}

// ---- the data and the hyper-parameters

const DATASETS: Array<[DatasetKind, string]> = [
  ['mnist', 'MNIST subset (bundled)'], ['shapes', 'Synthetic shapes'], ['bars', 'Synthetic bars'], ['folder', 'Image folder in the workspace…'], ['idx', 'IDX files…'],
];

function dropdown<T extends string>(id: string, options: Array<[T, string]>, value: T, onChange: (v: T) => void): HTMLElement {
  const dd = dropdownElement(options, value, onChange);
  dd.id = id;
  return dd;
}

function numberField(id: string, value: number, onChange: (v: number) => void, valid: (v: number) => boolean): HTMLElement {
  const f = document.createElement(TAGS.textField) as HTMLElement & { value: string };
  f.id = id;
  f.setAttribute('value', String(value));
  f.setAttribute('size', '8');
  f.addEventListener('change', () => {
    const v = Number(f.value);
    const ok = f.value.trim() !== '' && Number.isFinite(v) && valid(v);
    f.classList.toggle('invalid', !ok);
    if (ok) onChange(v);
  });
  return f;
}

function checkbox(id: string, label: string, value: boolean, onChange: (v: boolean) => void): HTMLElement {
  const c = document.createElement(TAGS.checkbox) as HTMLElement & { checked: boolean };
  c.id = id;
  if (value) c.setAttribute('checked', '');
  c.textContent = label;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

function button(label: string, onClick: () => void, id?: string, secondary = false): HTMLElement {
  const b = document.createElement(TAGS.button);
  if (id) b.id = id;
  b.textContent = label;
  if (secondary) b.setAttribute('appearance', 'secondary');
  b.addEventListener('click', onClick);
  return b;
}

const update = (patch: Partial<TrainSettings>): void => { state.settings = { ...state.settings!, ...patch }; renderEstimate(); };
const int = (lo: number, hi: number) => (v: number) => Number.isInteger(v) && v >= lo && v <= hi;

function renderData(): void {
  const s = state.settings;
  if (!s) return;
  dataSec.body.replaceChildren();
  const row = el('div', 'fields');
  row.append(field('Dataset', dropdown('dataset', DATASETS, s.dataset, (v) => {
    update({ dataset: v });
    if (v === 'folder' || v === 'idx') send({ type: 'pickData', kind: v });
    else send({ type: 'setData', dataset: v, limit: s.limit });
  })));
  if (s.dataset === 'folder' || s.dataset === 'idx') {
    const kind = s.dataset;
    row.append(field('\u00a0', button('Choose…', () => send({ type: 'pickData', kind }), 'choose-data', true)));
  }
  row.append(field('Training images (limit)', numberField('limit', s.limit, (v) => { update({ limit: v }); send({ type: 'setData', dataset: state.settings!.dataset, limit: v }); }, int(1, 1_000_000))));
  dataSec.body.append(row);
  const d = state.data;
  const info = el('div', 'data-info');
  info.id = 'data-info';
  if (d) {
    info.append(el('p', undefined, d.label));
    if (d.state === 'checking') info.append(el('p', 'muted', 'Reading the data and checking it against the model…'));
    if (d.info) {
      const i = d.info;
      info.append(el('p', 'muted', `${i.train.toLocaleString('en-US')} training and ${i.test.toLocaleString('en-US')} test images of (${i.shape.join(', ')}), ${i.classes} classes${i.classNames ? ` (${i.classNames.slice(0, 10).join(', ')}${i.classNames.length > 10 ? ', …' : ''})` : ''}`));
    }
    if (d.fit) {
      if (d.fit.fits) info.append(el('p', 'ok', `✓ Fits the model's input (${d.fit.target.join(', ')}).`));
      else {
        const p = el('p', 'warn', `The data differs from the model's input: ${d.fit.differences.join(', ')}. `);
        info.append(p);
        if (d.fit.channelsOnly) p.append('Channels are converted (grey ↔ RGB).');
        else {
          const fitRow = el('div', 'fields');
          fitRow.append(field(`Bring the images to ${d.fit.target.slice(1).join('×')}`, dropdown('fit', [['resize', 'Resize (bilinear)'], ['pad', 'Pad with zeros / crop the centre']], s.fit, (v) => update({ fit: v }))));
          info.append(fitRow);
        }
      }
    }
    if (d.error) {
      const e = el('p', 'error', d.error);
      e.setAttribute('role', 'alert');
      info.append(e);
    }
  }
  dataSec.body.append(info, el('p', 'muted estimate'));
  renderEstimate();
}

function renderParams(): void {
  const s = state.settings;
  if (!s) return;
  const g = el('div', 'fields grid');
  const pos = (v: number) => v > 0 && v <= 10;
  g.append(
    field('Epochs', numberField('epochs', s.epochs, (v) => update({ epochs: v }), int(1, 1000))),
    field('Batch size', numberField('batch-size', s.batchSize, (v) => update({ batchSize: v }), int(1, 4096))),
    field('Optimiser', dropdown('optimizer', [['sgd', 'SGD'], ['adam', 'Adam'], ['adamw', 'AdamW']], s.optimizer, (v) => {
      update({ optimizer: v, lr: v === 'sgd' ? 0.01 : 0.001 });
      renderParams();
    })),
    field('Learning rate', numberField('lr', s.lr, (v) => update({ lr: v }), pos)),
    field('Momentum (SGD)', numberField('momentum', s.momentum, (v) => update({ momentum: v }), (v) => v >= 0 && v < 1)),
    field('Weight decay', numberField('weight-decay', s.weightDecay, (v) => update({ weightDecay: v }), (v) => v >= 0 && v <= 1)),
    field('Initialisation', dropdown('init', [['default', keras() ? 'Keras default (Glorot uniform)' : 'PyTorch default'], ['xavier', 'Xavier / Glorot'], ['he', 'He (Kaiming)']], s.init, (v) => update({ init: v }))),
    field('Early stopping patience (0 = off)', numberField('patience', s.patience, (v) => update({ patience: v }), int(0, 1000))),
    field('Validation split', numberField('val-split', s.valSplit, (v) => update({ valSplit: v }), (v) => v >= 0 && v <= 0.9)),
    field('Seed', numberField('seed', s.seed, (v) => update({ seed: v }), int(0, 2 ** 31 - 1))),
  );
  // the TTA box follows the augmentation boxes (tta.ts): it is off and disabled without any
  const augment = (patch: { crop?: boolean; flip?: boolean }) => {
    const after = { crop: s.crop, flip: s.flip, ...patch };
    update({ ...patch, tta: ttaAfter(state.settings!, after) });
    renderParams();
  };
  const boxes = el('div', 'fields');
  const tta = checkbox('tta', 'Test-time augmentation (the crops and flips trained with)', s.tta, (v) => { update({ tta: v }); renderParams(); });
  if (!s.crop && !s.flip) tta.setAttribute('disabled', '');
  boxes.append(
    checkbox('crop', 'Random crop', s.crop, (v) => augment({ crop: v })),
    checkbox('flip', 'Random horizontal flip', s.flip, (v) => augment({ flip: v })),
    tta,
  );
  const note = el('p', 'muted', ttaNote(s));
  note.id = 'tta-note';
  paramsSec.body.replaceChildren(g, boxes, el('p', 'muted', 'Flips change what digits and bars mean; leave them off for MNIST and the bars.'), note);
}

function renderEstimate(): void {
  const target = dataSec.body.querySelector('.estimate');
  const s = state.settings, d = state.data?.info, m = state.model?.model;
  if (!target || !s || !d || !m) return;
  const train = Math.floor(d.train * (1 - s.valSplit));
  const sec = estimateSeconds(m.macs, train, d.test, s.epochs, ttaViewCount(s.tta, s));
  target.textContent = `About ${sec < 90 ? `${Math.max(1, Math.round(sec))} s` : `${Math.round(sec / 60)} min`} on one CPU core (${s.epochs} epoch${s.epochs > 1 ? 's' : ''} of ${train.toLocaleString('en-US')} images${s.valSplit ? `, ${Math.floor(d.train * s.valSplit)} held out for validation` : ''}).`;
}

// ---- start / pause / resume / stop and the status line

/** What the buttons depend on: they are rebuilt only when it changes, never per batch, so that a
 * click (mouse down, mouse up) always lands on the button it started on. */
let controlsKey = '';


const isBusy = (st: string | undefined): boolean => st === 'loading' || st === 'running' || st === 'paused' || st === 'stopping';

function renderControls(): void {
  const st = state.status?.state ?? 'idle', m = state.model?.model;
  const blocked = !m || m.problems.length > 0 || m.blocker !== undefined;
  const key = `${st}|${blocked}|${state.data?.state}|${state.settings ? 1 : 0}|${keras()}`;
  if (key === controlsKey) return;
  controlsKey = key;
  controls.replaceChildren();
  const busy = isBusy(st);
  if (!busy && !blocked) {
    const start = button(st === 'idle' ? 'Start training' : 'Train again', () => state.settings && send({ type: 'start', settings: state.settings }), 'start');
    // the same run as a PyTorch script, for a GPU or torchrun: the settings as they stand in the form
    const script = button('Export as PyTorch training script…', () => state.settings && send({ type: 'exportScript', settings: state.settings }), 'export-script', true);
    for (const b of [start, script]) if (state.data?.state !== 'ready') b.setAttribute('disabled', '');
    if (keras()) {
      script.setAttribute('disabled', '');
      script.title = 'The script is a PyTorch training loop: a Keras model trains here, or with its own model.fit()';
    }
    controls.append(start, script);
  }
  if (st === 'running' || st === 'loading') controls.append(button('Pause', () => send({ type: 'pause' }), 'pause', true));
  if (st === 'paused') controls.append(button('Resume', () => send({ type: 'resume' }), 'resume'));
  if (busy && st !== 'stopping') controls.append(button('Stop', () => send({ type: 'stop' }), 'stop', true));
  for (const sec of [dataSec, paramsSec]) sec.root.classList.toggle('locked', busy);
}

function renderStatus(): void {
  const s = state.status;
  if (!s) return;
  document.body.dataset.state = s.state;
  const words: Record<string, string> = {
    idle: 'Ready.', checking: 'Checking…', loading: 'Loading the data…', running: 'Training', paused: 'Paused', stopping: 'Stopping after this batch…',
    done: 'Finished', stopped: 'Stopped', failed: 'Failed',
  };
  let text = words[s.state];
  if (s.epochs && (s.state === 'running' || s.state === 'paused')) text += ` — epoch ${s.epoch}/${s.epochs}, batch ${s.batch}/${s.batches}, ${s.seconds.toFixed(0)} s`;
  if ((s.state === 'done' || s.state === 'stopped') && s.seconds) text += ` in ${s.seconds.toFixed(1)} s`;
  if (s.runId && s.state !== 'running') text += ` · run ${s.runId}`;
  statusLine.textContent = s.message ? `${text}. ${s.message}` : text;
  statusLine.className = `status ${s.state}`;
  renderControls();
  // the run list's Resume buttons are enabled only between runs
  if (isBusy(s.state) !== runsBusy) renderRuns();
}

// ---- results

/** What the panel offers for a run's saved weights, finished or interrupted. */
const exportButtons = (id: string): HTMLElement[] => [
  button('Export weights…', () => send({ type: 'exportWeights', id }), 'export-weights', true),
  button(`Copy ${keras() ? 'Keras' : 'PyTorch'} code to load them`, () => send({ type: 'copyCode', id }), 'copy-code', true),
];

const STEP_RATE = 'Training images per second of the training steps (forward, backward, update), as convlens train '
  + 'reports it; loading the data, validation and testing are not counted';

function renderResult(): void {
  const r = state.result;
  resultsSec.root.hidden = !r && !state.interrupted;
  featuresSec.root.hidden = true;
  if (!r) {
    if (state.interrupted) renderInterrupted(state.interrupted);
    return;
  }
  const res = r.result;
  const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)} %`);
  const chance = res.classNames.length ? 100 / res.classNames.length : 0;
  const head = el('div', 'totals');
  const item = (label: string, value: string, id?: string) => {
    const d = el('div', 'total');
    const v = el('strong', undefined, value);
    if (id) v.id = id;
    d.append(el('span', 'muted', label), v);
    head.append(d);
  };
  item('Test accuracy', pct(res.testAccuracy), 'test-accuracy');
  // no TTA number without augmentation in training: say why instead of a bare dash
  item('With test-time augmentation', res.testAccuracyTTA === null ? 'not run (trained without crops or flips, or off)' : pct(res.testAccuracyTTA), 'test-accuracy-tta');
  item('Chance', `${chance.toFixed(1)} %`);
  item('Weights from epoch', String(res.bestEpoch) + (res.stoppedEarly ? ' (early stopping)' : ''));
  // measured as `convlens train` measures it: the steps' time only, so the two compare
  item('Training speed (steps only)', `${Math.round(res.imagesPerSecond)} images/s`, 'train-speed');
  head.lastElementChild!.setAttribute('title', STEP_RATE);
  const actions = el('div', 'fields');
  actions.append(...exportButtons(r.runId));
  resultsSec.body.replaceChildren(head, actions);
  if (res.testAccuracyTTA !== null && res.testAccuracy !== null && res.testAccuracyTTA < res.testAccuracy) {
    resultsSec.body.append(el('p', 'muted', 'Test-time augmentation averages shifted and flipped views: it helps a model trained with random crops and flips on data whose meaning survives a flip, and hurts otherwise (digits).'));
  }

  const matrix = el('div', 'block');
  const scroll = el('div', 'scroll');
  scroll.append(confusionTable(res.confusion, res.classNames));
  matrix.append(el('h3', undefined, 'Confusion matrix'), scroll);
  resultsSec.body.append(matrix);
  resultsSec.body.append(sampleGrid(res));
  if (res.filters) resultsSec.body.append(filterGrid(res.filters));
}

/** An interrupted run has no test results: the epoch it reached, its saved weights, Resume and export. */
function renderInterrupted(i: Msg<'interrupted'>): void {
  const weights = i.weightsEpoch === null ? 'It saved no weights.'
    : `Its saved weights are those of epoch ${i.weightsEpoch}${i.weightsEpoch === i.epoch ? '' : ', the best so far'}.`;
  const note = el('p', undefined, `This run was interrupted at epoch ${i.epoch} of ${i.epochs} (the window closed or VS Code stopped during training). ${weights}`);
  note.id = 'interrupted-note';
  const actions = el('div', 'fields');
  if (i.resumable) actions.append(button('Resume training', () => send({ type: 'resumeRun', id: i.runId }), 'resume-run'));
  if (i.weightsEpoch !== null) actions.append(...exportButtons(i.runId));
  resultsSec.body.replaceChildren(note, actions);
  if (!i.resumable && i.why) resultsSec.body.append(el('p', 'muted', `It cannot be resumed here: ${i.why}.`));
}

function sampleGrid(res: RunResult): HTMLElement {
  const s = res.samples, bytes = decodeBase64(s.pixels), scale = scaleFor(s.w, 56);
  const wrap = el('div', 'block');
  const wrong = s.labels.filter((y, i) => y !== s.predicted[i]).length;
  wrap.append(el('h3', undefined, `Test images, mistakes first (${wrong} of ${s.count} shown are wrong; labels read "predicted, is true"): choose one to see its feature maps`));
  const grid = el('div', 'samples');
  grid.setAttribute('role', 'list');
  for (let k = 0; k < s.count; k++) {
    const y = res.classNames[s.labels[k]] ?? String(s.labels[k]), p = res.classNames[s.predicted[k]] ?? String(s.predicted[k]);
    const ok = s.labels[k] === s.predicted[k];
    const cell = el('button', `sample ${ok ? 'right' : 'wrong'}`);
    cell.type = 'button';
    cell.setAttribute('role', 'listitem');
    cell.title = `true ${y}, predicted ${p} (${(100 * s.confidence[k]).toFixed(0)} %)`;
    cell.append(pictureCanvas(s, bytes, k, scale, cell.title), el('span', undefined, ok ? p : `${p}, is ${y}`));
    cell.addEventListener('click', () => {
      grid.querySelectorAll('.sample').forEach((c) => c.classList.toggle('chosen', c === cell));
      featuresSec.root.hidden = false;
      featuresSec.body.replaceChildren(el('p', 'muted', 'Running the image through the network…'));
      send({ type: 'features', sample: k });
    });
    grid.append(cell);
  }
  wrap.append(grid);
  return wrap;
}

function filterGrid(f: NonNullable<RunResult['filters']>): HTMLElement {
  const bytes = decodeBase64(f.pixels), scale = scaleFor(f.w, 40);
  const wrap = el('div', 'block');
  wrap.append(el('h3', undefined, `First-layer filters: ${f.layer} (line ${f.line}), ${f.count} kernels of ${f.h}×${f.w}${f.channels === 3 ? ' in RGB' : ', mean over input channels'}; grey = 0`));
  const grid = el('div', 'filters');
  for (let k = 0; k < f.count; k++) grid.append(pictureCanvas(f, bytes, k, scale, `filter ${k}`));
  wrap.append(grid);
  return wrap;
}

function renderFeatures(m: Msg<'features'>): void {
  featuresSec.root.hidden = false;
  if (m.error) return void featuresSec.body.replaceChildren(el('p', 'error', m.error));
  featuresSec.body.replaceChildren(...m.layers.map((l) => featureRow(l)));
}

function featureRow(l: FeatureLayer): HTMLElement {
  const row = el('div', 'feature-row');
  const bytes = decodeBase64(l.maps.pixels), scale = scaleFor(l.maps.w, 48);
  const name = el('div', 'feature-name');
  name.append(el('strong', undefined, l.path ?? l.type), el('span', 'muted', ` ${l.type} · line ${l.line} · (${l.shape.join(', ')})${l.maps.count < l.shape[0] ? ` · first ${l.maps.count} channels` : ''}`));
  const maps = el('div', 'maps');
  for (let k = 0; k < l.maps.count; k++) maps.append(pictureCanvas(l.maps, bytes, k, scale, `${l.path ?? l.type} channel ${k}`));
  row.append(name, maps);
  return row;
}

// ---- saved runs and comparison

/** Whether the run list was drawn during a run (its Resume buttons disabled). */
let runsBusy = false;

function renderRuns(): void {
  runsSec.root.hidden = state.runs.length === 0;
  runsBusy = isBusy(state.status?.state);
  const m = state.model?.model;
  const t = el('table', 'runs');
  const head = t.createTHead().insertRow();
  for (const h of ['Compare', 'Run', 'Model', 'Data', 'Epochs', 'Test accuracy', 'Status', '']) head.append(el('th', undefined, h));
  const body = t.createTBody();
  for (const r of state.runs) {
    const tr = body.insertRow();
    tr.dataset.run = r.id;
    const pick = checkbox(`compare-${r.id}`, '', state.compare.has(r.id), (v) => { if (v) state.compare.add(r.id); else state.compare.delete(r.id); renderCompareButton(); });
    pick.setAttribute('aria-label', `compare run ${r.id}`);
    tr.insertCell().append(pick);
    tr.insertCell().textContent = new Date(r.created).toLocaleString();
    tr.insertCell().textContent = `${r.model} (${r.file})`;
    tr.insertCell().textContent = r.data;
    tr.insertCell().textContent = r.status === 'interrupted' ? `${r.epochs} of ${r.plannedEpochs}` : String(r.epochs);
    tr.insertCell().textContent = r.testAccuracy === null ? '–' : `${(100 * r.testAccuracy).toFixed(1)} %`;
    tr.insertCell().textContent = r.status;
    const actions = el('div', 'run-actions');
    tr.insertCell().append(actions);
    actions.append(button('Open', () => send({ type: 'openRun', id: r.id }), undefined, true));
    // an interrupted run of this model goes on from its last epoch end (other models' runs from their own panel)
    if (r.status === 'interrupted' && m && r.model === m.name && r.file === m.file) {
      const resume = button('Resume', () => send({ type: 'resumeRun', id: r.id }));
      resume.classList.add('resume');
      resume.setAttribute('aria-label', `resume run ${r.id} (${r.epochs} of ${r.plannedEpochs} epochs done)`);
      if (runsBusy) resume.setAttribute('disabled', '');
      actions.append(resume);
    }
  }
  const bar = el('div', 'fields compare-bar');
  const scroll = el('div', 'scroll');
  scroll.append(t);
  runsSec.body.replaceChildren(scroll, bar);
  renderCompareButton();
}

function renderCompareButton(): void {
  const bar = runsSec.body.querySelector('.compare-bar');
  if (!bar) return;
  const ids = [...state.compare].filter((id) => state.runs.some((r) => r.id === id));
  const b = button(`Compare ${ids.length} selected run${ids.length === 1 ? '' : 's'}`, () => send({ type: 'compare', ids }), 'compare', true);
  if (ids.length < 2 || ids.length > 4) b.setAttribute('disabled', '');
  bar.replaceChildren(b, el('span', 'muted', 'Select two to four runs.'));
}

function renderCompare(m: Msg<'compare'>): void {
  compareSec.root.hidden = false;
  compareCharts ??= new CompareCharts(compareHosts);
  compareCharts.set(m.curves);
  const legend = el('ol', 'compare-legend');
  for (const c of m.curves) legend.append(el('li', undefined, `${c.label} (${c.id})`));
  compareSec.body.querySelector('.compare-legend')?.remove();
  compareSec.body.prepend(legend);
}

// ---- messages

let redraw = 0;
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseTrainToWebview(event.data);
  if (!msg) return void console.warn('ConvLens training: dropped a malformed message', event.data);
  switch (msg.type) {
    case 'model': state.model = msg; renderModel(); renderEstimate(); return;
    case 'settings': state.settings = msg.settings; renderData(); renderParams(); return;
    case 'data': state.data = msg; renderData(); renderControls(); return;
    case 'status': state.status = msg; renderStatus(); return;
    case 'progress':
      if (msg.reset) { state.result = undefined; state.interrupted = undefined; renderResult(); }
      charts.set(msg.batches, msg.epochs, msg.bestEpoch, !msg.reset);
      chartsSec.root.hidden = false;
      updates++;
      document.body.dataset.updates = String(updates);
      return;
    case 'result': state.result = msg; state.interrupted = undefined; renderResult(); return;
    case 'interrupted': state.interrupted = msg; renderResult(); return;
    case 'features': renderFeatures(msg); return;
    case 'runs': state.runs = msg.runs; renderRuns(); return;
    case 'compare': renderCompare(msg);
  }
});

// Theme changes restyle the canvases (their colours are read from the theme's variables).
new MutationObserver(() => {
  cancelAnimationFrame(redraw);
  redraw = requestAnimationFrame(() => charts.restyle());
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

for (const s of [problems, resultsSec, featuresSec, runsSec, compareSec]) s.root.hidden = true;
send({ type: 'ready' });
