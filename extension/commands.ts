// The ConvLens command ids, what they take, and the command URIs for Markdown links. Pure (no
// vscode import), so the hover text that uses them is unit-tested.

export const COMMANDS = {
  showSummary: 'convlens.showSummary',
  setInputShape: 'convlens.setInputShape',
  train: 'convlens.train',
  animate: 'convlens.animate',
  animateLayer: 'convlens.animateLayer',
  refresh: 'convlens.refresh',
} as const;

/** A model (by its line) or a layer (by its path) of a document. */
export interface Target {
  uri: string;
  /** 1-based line of the model. */
  modelLine?: number;
  /** Layer path, for "Animate this layer". */
  layer?: string;
}

/**
 * `command:id?args` with every character that could end a Markdown link destination escaped too:
 * encodeURIComponent leaves ( ) ' ! * as they are, and a path or file name may hold them.
 */
export function commandUri(command: string, target: Target): string {
  const args = encodeURIComponent(JSON.stringify([target])).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `command:${command}?${args}`;
}
