// The only module that touches @vscode/webview-ui-toolkit (deprecated upstream): swapping it out
// means changing this file and the tag names in index.ts.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDropdown, vsCodeOption } from '@vscode/webview-ui-toolkit';

export const TAGS = { button: 'vscode-button', dropdown: 'vscode-dropdown', option: 'vscode-option' } as const;

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption());
}
