// The only module that touches @vscode/webview-ui-toolkit (deprecated upstream): swapping it out
// means changing this file and the tag names the panels use through TAGS.
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

export const TAGS = {
  button: 'vscode-button', dropdown: 'vscode-dropdown', option: 'vscode-option', textField: 'vscode-text-field', checkbox: 'vscode-checkbox',
} as const;

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField(), vsCodeCheckbox());
}

/** A toolkit dropdown with its options, `value` selected. */
export function dropdownElement<T extends string>(options: Array<[T, string]>, value: T, onChange: (v: T) => void): HTMLElement {
  const dd = document.createElement(TAGS.dropdown) as HTMLElement & { value: string };
  for (const [v, text] of options) {
    const o = document.createElement(TAGS.option) as HTMLElement & { value: string };
    o.value = v;
    o.textContent = text;
    if (v === value) o.setAttribute('selected', '');
    dd.append(o);
  }
  dd.addEventListener('change', () => onChange(dd.value as T));
  return dd;
}

/** A labelled dropdown of [value, text] options; `id` names it for tests and focus. */
export function labelledDropdown(label: string, options: Array<[string, string]>, value: string, onChange: (v: string) => void, id?: string): HTMLElement {
  const wrap = document.createElement('label');
  wrap.className = 'control';
  const caption = document.createElement('span');
  caption.className = 'control-label';
  caption.textContent = label;
  const dd = dropdownElement(options, value, onChange);
  if (id) dd.id = id;
  wrap.append(caption, dd);
  return wrap;
}
