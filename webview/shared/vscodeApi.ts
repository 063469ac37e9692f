// The webview side of the channel to the extension (VS Code injects acquireVsCodeApi once per page).

export interface VsCodeApi<M> {
  postMessage(message: M): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi<never>;

export const vscodeApi = <M>(): VsCodeApi<M> => acquireVsCodeApi() as VsCodeApi<M>;
