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
