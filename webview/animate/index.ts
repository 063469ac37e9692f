// The convolution animation webview: the setup form, the view tabs, the scene of the chosen view,
// the transport (play, pause, step, scrub, speed, keyboard) and the arithmetic line, which is also
// announced to screen readers. Everything is computed here by the engine's step model; the
// extension only sends where to start (the lecture's example or a layer's parameters).
import { DEFAULT_EXAMPLE } from './examples';
import { setupForm, setupSummary } from './form';
import { el } from './grid';
import { Player, SPEEDS } from './player';
import { type AnimateParams, type AnimateSource, type AnimateView, type FromAnimate, parseToAnimate } from './protocol';
import { announcement, buildScene, frameArithmetic, type Scene } from './scene';
import { sceneView, type SceneView } from './views';
import { withView } from './edit';
import { registerToolkit, TAGS } from '../shared/toolkit';
import './animate.css';

interface VsCodeApi {
  postMessage(message: FromAnimate): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
registerToolkit();

interface ViewState {
  setupId: number;
  source: AnimateSource;
  params: AnimateParams;
  layerParams?: AnimateParams;
  example: string;
  /** Whether the setup form is unfolded. */
  editing?: boolean;
}

const LECTURE: AnimateSource = { title: "Lecture 5's worked examples", notes: [] };
const saved = vscode.getState() as ViewState | undefined;
let state: ViewState = saved && typeof saved === 'object' && saved.params ? saved : { setupId: -1, source: LECTURE, params: DEFAULT_EXAMPLE.params, example: DEFAULT_EXAMPLE.id };
let scene: Scene | undefined;
let view: SceneView | undefined;
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

const root = document.getElementById('root')!;
const header = el('header');
const setupBox = el('details', 'setup-box');
const setupLine = el('summary');
const setup = el('div');
setupBox.append(setupLine, setup);
setupBox.addEventListener('toggle', () => {
  state = { ...state, editing: setupBox.open };
  vscode.setState(state);
});
const error = el('p', 'error');
error.setAttribute('role', 'alert');
const tabs = el('div', 'tabs');
tabs.setAttribute('role', 'tablist');
tabs.setAttribute('aria-label', 'View');
const transport = el('div', 'transport');
const arithmetic = el('pre', 'arithmetic');
arithmetic.dataset.testid = 'arithmetic';
const live = el('p', 'sr-only');
live.setAttribute('aria-live', 'polite');
const stage = el('div', 'stage');
root.replaceChildren(header, tabs, setupBox, error, transport, arithmetic, live, stage);

const player = new Player(() => showFrame());

// Transport: buttons, the scrubber, the speed and the frame counter.
function button(id: string, label: string, title: string, onClick: () => void): HTMLElement {
  const b = document.createElement(TAGS.button);
  b.id = id;
  b.textContent = label;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.setAttribute('appearance', 'secondary');
  b.addEventListener('click', onClick);
  return b;
}
const playButton = button('play', '▶ Play', 'Play (Space)', () => player.toggle());
playButton.setAttribute('appearance', 'primary');
const scrub = el('input');
scrub.type = 'range';
scrub.id = 'scrub';
scrub.min = '0';
scrub.setAttribute('aria-label', 'Step');
scrub.addEventListener('input', () => player.seek(Number(scrub.value)));
const speed = el('select');
speed.id = 'speed';
speed.setAttribute('aria-label', 'Speed');
for (const s of SPEEDS) {
  const o = el('option', undefined, `${s}× (${s} step${s === 1 ? '' : 's'}/s)`);
  o.value = String(s);
  o.selected = s === player.speed;
  speed.append(o);
}
speed.addEventListener('change', () => player.setSpeed(Number(speed.value)));
const counter = el('span', 'counter');
counter.dataset.testid = 'counter';
const motion = el('span', 'muted motion');
transport.append(
  button('first', '⇤ First', 'First step (Home)', () => player.seek(0)),
  button('back', '◀ Step', 'Step back (←)', () => player.step(-1)),
  playButton,
  button('forward', 'Step ▶', 'Step forward (→)', () => player.step(1)),
  button('last', 'Last ⇥', 'Last step (End)', () => player.seek(player.frames - 1)),
  scrub, speed, counter, motion,
);

function showFrame(): void {
  const i = player.index;
  playButton.textContent = player.playing ? '⏸ Pause' : '▶ Play';
  playButton.title = player.playing ? 'Pause (Space)' : 'Play (Space)';
  playButton.setAttribute('aria-label', playButton.title);
  document.body.classList.toggle('playing', player.playing);
  if (!scene || !view || scene.frames === 0) {
    counter.textContent = '';
    arithmetic.textContent = '';
    return;
  }
  scrub.max = String(scene.frames - 1);
  scrub.value = String(i);
  counter.textContent = `${scene.view === 'sliding' ? 'Step' : 'Column'} ${i + 1} / ${scene.frames}`;
  view.show(i);
  arithmetic.textContent = frameArithmetic(scene, i).join('\n');
  live.textContent = announcement(scene, i);
}

const VIEWS: Array<[AnimateView, string]> = [['sliding', 'Sliding window'], ['img2col', 'img2col'], ['backward', 'Backward pass']];

function renderTabs(): void {
  tabs.replaceChildren(...VIEWS.map(([v, label]) => {
    const t = el('button', 'tab', label);
    t.setAttribute('role', 'tab');
    t.dataset.view = v;
    const selected = state.params.view === v;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    t.disabled = v !== 'sliding' && state.params.op !== 'conv';
    if (t.disabled) t.title = 'img2col and the backward pass explain a convolution';
    t.addEventListener('click', () => apply(withView(state.params, v), state.example));
    return t;
  }));
}

function renderHeader(): void {
  const h = el('h1', undefined, 'Convolution, step by step');
  const layer = state.example === 'layer';
  h.append(el('span', 'muted', ` · ${layer ? state.source.title : LECTURE.title}`));
  const line = el('div', 'header-line');
  line.append(h);
  const at = state.source.line;
  if (layer && at) line.append(button('reveal', 'Go to layer', `Show line ${at} in the editor`, () => vscode.postMessage({ type: 'reveal', line: at })));
  header.replaceChildren(line);
  // A layer's notes (scaled, summarised, made up) while it is shown; the lecture's note (why no layer) until one is.
  if (layer || !state.layerParams) {
    const notes = el('ul', 'source-notes');
    for (const n of state.source.notes) notes.append(el('li', undefined, n));
    header.append(notes);
  }
}

/** Keeps the focused text field's raw text and caret when the form is rebuilt around it. */
function renderSetup(): void {
  setupLine.textContent = `Setup: ${setupSummary(state.params)}`;
  setupBox.open = !!state.editing;
  const active = document.activeElement as HTMLInputElement | null;
  const keep = active && setup.contains(active) ? { id: active.id, value: active.value, start: active.selectionStart, end: active.selectionEnd } : undefined;
  setup.replaceChildren(setupForm(state.params, state.example, state.layerParams ? state.source.title : undefined, {
    change: (p, example) => apply(example === 'layer' && state.layerParams ? state.layerParams : p, example ?? ''),
    error: (m) => { error.textContent = m; },
  }));
  if (!keep?.id) return;
  const again = document.getElementById(keep.id) as HTMLInputElement | null;
  if (!again) return;
  if ('selectionStart' in again && typeof keep.value === 'string' && (again.tagName === 'INPUT' || again.tagName === 'TEXTAREA')) {
    again.value = keep.value;
    again.setSelectionRange(keep.start, keep.end);
  }
  again.focus();
}

/** New parameters: rebuild the scene (an error keeps the last good one on screen). */
function apply(params: AnimateParams, example: string, fresh = false): void {
  let next: Scene;
  try {
    next = buildScene(params);
  } catch (e) {
    error.textContent = e instanceof Error ? e.message : String(e);
    return;
  }
  error.textContent = '';
  const sameShape = !fresh && scene?.view === next.view && scene.frames === next.frames;
  state = { ...state, params, example };
  vscode.setState(state);
  scene = next;
  view = sceneView(next, params);
  stage.replaceChildren(view.el);
  renderHeader();
  renderTabs();
  renderSetup();
  player.load(next.frames, sameShape);
}

function updateMotion(): void {
  document.body.classList.toggle('reduced-motion', reducedMotion.matches);
  motion.textContent = reducedMotion.matches ? 'Step mode (your system asks for reduced motion): no autoplay, no transitions' : '';
  if (reducedMotion.matches && player.playing) player.pause();
}
reducedMotion.addEventListener('change', updateMotion);
updateMotion();

// Keyboard: Space plays or pauses, arrows step, Home/End jump; typing in a field is left alone.
window.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement;
  if (t.closest('input, textarea, select, vscode-dropdown') || e.altKey || e.ctrlKey || e.metaKey) return;
  const actions: Record<string, () => void> = {
    ' ': () => player.toggle(),
    ArrowRight: () => player.step(1),
    ArrowLeft: () => player.step(-1),
    Home: () => player.seek(0),
    End: () => player.seek(player.frames - 1),
  };
  if (t.getAttribute('role') === 'tab' && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) return;
  // Space on a focused button presses that button.
  if (e.key === ' ' && t.closest('button, vscode-button')) return;
  const action = actions[e.key];
  if (!action) return;
  e.preventDefault();
  action();
});
// Arrow keys move between the view tabs, as in any tab list.
tabs.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
  const all = Array.from(tabs.querySelectorAll<HTMLButtonElement>('button.tab:not(:disabled)'));
  const at = all.indexOf(e.target as HTMLButtonElement);
  all[(at + (e.key === 'ArrowRight' ? 1 : all.length - 1)) % all.length]?.focus();
  e.preventDefault();
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseToAnimate(event.data);
  if (!msg) {
    console.warn('ConvLens animation: dropped a malformed message', event.data);
    return;
  }
  // The same request again (the panel was hidden and shown): keep what the user changed since.
  if (msg.id === state.setupId) return;
  state = msg.type === 'layer'
    ? { setupId: msg.id, source: msg.source, params: msg.params, layerParams: msg.params, example: 'layer' }
    : { setupId: msg.id, source: { ...LECTURE, notes: msg.note ? [msg.note] : [] }, params: DEFAULT_EXAMPLE.params, example: DEFAULT_EXAMPLE.id };
  apply(state.params, state.example, true);
  if (!reducedMotion.matches) player.play();
});

apply(state.params, state.example, true);
vscode.postMessage({ type: 'ready' });
