// Which stale reports are made again, and in what order, when every report goes stale (a new Python
// environment, a setting, a refresh) or the extension starts with documents open: one analysis runs at a
// time, and a timm file's first one takes seconds, so the documents the user sees go first, the other tabs
// after them, and a document in no tab (its editor closed, VS Code has not disposed it yet) not at all until
// something asks for it. Pure: no vscode.

export interface OpenDocument<T> {
  doc: T;
  /** Shown in a visible editor. */
  visible: boolean;
  /** Shown in an editor tab, visible or not. */
  tabbed: boolean;
}

/** `analyse`: in the order to analyse them, visible first; `forget`: the documents in no tab. */
export function staleOrder<T>(docs: Array<OpenDocument<T>>): { analyse: T[]; forget: T[] } {
  const shown = docs.filter((d) => d.tabbed || d.visible);
  return {
    analyse: [...shown.filter((d) => d.visible), ...shown.filter((d) => !d.visible)].map((d) => d.doc),
    forget: docs.filter((d) => !d.tabbed && !d.visible).map((d) => d.doc),
  };
}
