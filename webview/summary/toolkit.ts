// The only module that touches @vscode/webview-ui-toolkit (deprecated upstream): swapping it out
// means changing this file and the tag names its callers use.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDropdown, vsCodeOption } from '@vscode/webview-ui-toolkit';

export const TAGS = { button: 'vscode-button', dropdown: 'vscode-dropdown', option: 'vscode-option' } as const;

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption());
}

/** A labelled dropdown of [value, text] options; `id` names it for tests and focus. */
export function dropdown(label: string, options: Array<[string, string]>, value: string, onChange: (v: string) => void, id?: string): HTMLElement {
  const wrap = document.createElement('label');
  wrap.className = 'control';
  const caption = document.createElement('span');
  caption.className = 'control-label';
  caption.textContent = label;
  const dd = document.createElement(TAGS.dropdown) as HTMLElement & { value: string };
  if (id) dd.id = id;
  for (const [v, text] of options) {
    const o = document.createElement(TAGS.option) as HTMLElement & { value: string };
    o.value = v;
    o.textContent = text;
    if (v === value) o.setAttribute('selected', '');
    dd.append(o);
  }
  dd.addEventListener('change', () => onChange(dd.value));
  wrap.append(caption, dd);
  return wrap;
}
