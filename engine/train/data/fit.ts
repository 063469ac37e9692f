// How a dataset meets a model's input, told before training: which of channels/height/width differ
// and what can be done (resample, or zero-pad/crop), or why it cannot be trained as is.

export interface FitReport {
  /** The data can go in as it is. */
  fits: boolean;
  /** What differs, in words: `height 28 ≠ 32`. */
  differences: string[];
  /** The shape the data is brought to when it does not fit (the model's, unknown dims taken from the data). */
  target: [number, number, number];
  /** Only channels differ: resampling and padding do the same (grey ↔ RGB conversion). */
  channelsOnly: boolean;
}

/** `model` is the input shape without the batch dimension (null where unknown), `data` is (C, H, W). */
export function fitReport(model: Array<number | null>, data: [number, number, number]): FitReport {
  const names = ['channels', 'height', 'width'];
  const target = data.map((d, i) => model[i] ?? d) as [number, number, number];
  const differences = names.flatMap((n, i) => (target[i] !== data[i] ? [`${n} ${data[i]} ≠ ${target[i]}`] : []));
  return { fits: differences.length === 0, differences, target, channelsOnly: target[1] === data[1] && target[2] === data[2] };
}
