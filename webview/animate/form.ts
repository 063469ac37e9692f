// The setup controls: example, operation, dimensions, padding, stride, dilation, sizes, and the
// input and kernel values (typed in the syntax of `convlens explain`). Every change yields new
// parameters; text is applied after a short pause in typing, and a bad value is reported, not applied.
import { parseInts, parsePadding } from '../../engine/cli/explain-values';
import type { PaddingSpec, SlidingOp } from '../../engine/explain/types';
import { labelledDropdown as dropdown } from '../shared/toolkit';
import { withDims, withOp, withSizes, sizesOf } from './edit';
import { EXAMPLES } from './examples';
import { el } from './grid';
import type { AnimateParams } from './protocol';
import { formatChannels, formatFilters, parseInput, parseKernel } from './values';

export interface FormEvents {
  /** New parameters; `example` names the preset when one was chosen. */
  change(p: AnimateParams, example?: string): void;
  /** A value that cannot be applied, or '' when everything applies. */
  error(message: string): void;
}

function text(id: string, label: string, value: string, onChange: (v: string) => void, area = false, hint?: string): HTMLElement {
  const wrap = el('label', `control${area ? ' area' : ''}`);
  wrap.append(el('span', 'control-label', label));
  const input = area ? el('textarea') : el('input');
  input.id = id;
  input.value = value;
  input.spellcheck = false;
  if (hint) input.title = hint;
  if (area) {
    const lines = value.split('\n');
    (input as HTMLTextAreaElement).rows = Math.min(8, lines.length + 1);
    (input as HTMLTextAreaElement).cols = Math.min(60, Math.max(16, ...lines.map((l) => l.length + 2)));
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const apply = () => {
    clearTimeout(timer);
    onChange(input.value);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(apply, 500);
  });
  input.addEventListener('change', apply);
  wrap.append(input);
  return wrap;
}

const PADDING: Array<[string, string]> = [['valid', 'valid'], ['same', 'same (PyTorch)'], ['tf-same', 'same (TensorFlow)'], ['full', 'full'], ['manual', 'manual']];
const paddingMode = (p: PaddingSpec): string => (p.mode === 'same' && p.rule === 'tensorflow' ? 'tf-same' : p.mode);
const splitText = (p: PaddingSpec, dims: 1 | 2): string => (p.mode === 'manual' ? p.split.flat().join(',') : dims === 1 ? '0,0' : '0,0,0,0');

/** One line that says what is set up, shown while the form is folded. */
export function setupSummary(p: AnimateParams): string {
  const sizes = sizesOf(p);
  const op = p.op === 'conv' ? 'Convolution' : p.op === 'maxpool' ? 'Max pooling' : 'Average pooling';
  const pad = p.padding.mode === 'manual' ? `manual ${p.padding.split.flat().join(',')}` : p.padding.mode === 'same' ? `same (${p.padding.rule === 'pytorch' ? 'PyTorch' : 'TensorFlow'})` : p.padding.mode;
  const channels = p.op === 'conv' ? ` · ${sizes.channels} channel${sizes.channels === 1 ? '' : 's'} → ${sizes.filters} filter${sizes.filters === 1 ? '' : 's'}` : '';
  return `${op} ${p.dims}D · input ${sizes.input.join('×')} · ${p.op === 'conv' ? 'kernel' : 'window'} ${sizes.kernel.join('×')}${channels} · stride ${p.stride.join(',')} · padding ${pad} · dilation ${p.dilation.join(',')}`;
}

/** Builds the form for `p`; `example` is the selected preset ('' for a layer or edited values). */
export function setupForm(p: AnimateParams, example: string, layerTitle: string | undefined, on: FormEvents): HTMLElement {
  const form = el('div', 'setup');
  const guard = (f: () => AnimateParams) => {
    try {
      const next = f();
      on.error('');
      on.change(next);
    } catch (e) {
      on.error(e instanceof Error ? e.message : String(e));
    }
  };
  const dims = p.dims;
  const axes = dims === 1 ? 'N' : 'N or H,W';
  const examples: Array<[string, string]> = [...(layerTitle ? [['layer', `This layer: ${layerTitle}`] as [string, string]] : []), ...EXAMPLES.map((e): [string, string] => [e.id, e.label]), ['', 'Edited values']];
  const sizes = sizesOf(p);
  const resize = (key: 'input' | 'kernel' | 'channels' | 'filters', v: string) => guard(() => {
    const n = parseInts(v, key, 1);
    return withSizes(p, { ...sizes, [key]: key === 'channels' || key === 'filters' ? n[0] : n });
  });

  const row1 = el('div', 'controls');
  row1.append(
    dropdown('Example', examples, example, (v) => {
      const ex = EXAMPLES.find((e) => e.id === v);
      if (ex) on.change(ex.params, ex.id);
      else if (v === 'layer') on.change(p, 'layer');
    }, 'example'),
    dropdown('Operation', [['conv', 'Convolution'], ['maxpool', 'Max pooling'], ['avgpool', 'Average pooling']], p.op, (v) => guard(() => withOp(p, v as SlidingOp)), 'op'),
    dropdown('Dimensions', [['1', '1D'], ['2', '2D']], String(dims), (v) => guard(() => withDims(p, Number(v) as 1 | 2)), 'dims'),
    dropdown('Padding', PADDING, paddingMode(p.padding), (v) =>
      guard(() => ({ ...p, padding: v === 'manual' ? parsePadding(splitText(p.padding, dims), dims, false) : parsePadding(v, dims, false) })), 'padding'),
  );
  if (p.padding.mode === 'manual') {
    row1.append(text('padding-split', dims === 1 ? 'Left, right' : 'Top, bottom, left, right', splitText(p.padding, dims), (v) => guard(() => ({ ...p, padding: parsePadding(v, dims, false) })), false, 'N pads every side; or one number per side'));
  }
  row1.append(
    text('stride', 'Stride', p.stride.join(','), (v) => guard(() => ({ ...p, stride: parseInts(v, 'stride', 1) })), false, axes),
    ...(p.op === 'avgpool' ? [] : [text('dilation', 'Dilation', p.dilation.join(','), (v) => guard(() => ({ ...p, dilation: parseInts(v, 'dilation', 1) })), false, axes)]),
  );
  const row2 = el('div', 'controls');
  row2.append(
    text('input-size', dims === 1 ? 'Input length' : 'Input size', sizes.input.join(','), (v) => resize('input', v), false, axes),
    text('kernel-size', p.op === 'conv' ? 'Kernel size' : 'Window', sizes.kernel.join(','), (v) => resize('kernel', v), false, axes),
    text('channels', 'Channels', String(sizes.channels), (v) => resize('channels', v)),
    ...(p.op === 'conv' ? [text('filters', 'Filters', String(sizes.filters), (v) => resize('filters', v))] : []),
  );
  if (p.op !== 'conv') {
    const ceil = el('label', 'control check');
    const box = el('input');
    box.type = 'checkbox';
    box.id = 'ceil-mode';
    box.checked = p.ceilMode;
    box.addEventListener('change', () => on.change({ ...p, ceilMode: box.checked }));
    ceil.append(box, el('span', undefined, 'ceil_mode'));
    row2.append(ceil);
  }
  const values = el('div', 'controls values');
  const syntax = `numbers by ",", rows by new lines${dims === 1 ? '' : ' or ";"'}, channels by a "|" line`;
  values.append(text('input-values', 'Input values', formatChannels(p.input), (v) => guard(() => ({ ...p, input: parseInput(v, dims) })), true, syntax));
  if (p.op === 'conv') {
    values.append(text('kernel-values', 'Kernel values', formatFilters(p.kernel), (v) => guard(() => ({ ...p, kernel: parseKernel(v, dims) })), true, `${syntax}, filters by a "/" line`));
  }
  form.append(row1, row2, values);
  return form;
}
