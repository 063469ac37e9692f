// The training panel's building blocks: labelled fields and titled sections.
import { el } from '../shared/dom';

export { el };

/** A control with its label above it (the label names the control for screen readers). */
export function field(label: string, control: HTMLElement): HTMLElement {
  const wrap = el('label', 'field');
  wrap.append(el('span', 'field-label', label), control);
  if (control.id) wrap.htmlFor = control.id;
  control.setAttribute('aria-label', label.trim() || control.textContent || '');
  return wrap;
}

export function section(id: string, title: string): { root: HTMLElement; body: HTMLElement } {
  const root = el('section', 'section');
  root.id = id;
  const h = el('h2', undefined, title);
  h.id = `${id}-title`;
  root.setAttribute('aria-labelledby', h.id);
  const body = el('div', 'section-body');
  root.append(h, body);
  return { root, body };
}
