// What the status bar says about a running training session. Pure (no vscode import), so it is
// unit-tested; trainStatusItem.ts puts it on screen.

export interface RunProgress {
  state: string;
  epoch: number;
  totalEpochs: number;
  batch: number;
  batchesPerEpoch: number;
}

/** `$(beaker) Training LeNet: epoch 1/2, batch 12/43 · 14 %`, or `… paused` (codicons, a static icon). */
export function trainProgressText(model: string, s: RunProgress): string {
  const head = `$(beaker) Training ${model}`;
  if (s.state === 'paused') return `${head}: paused`;
  if (s.state === 'stopping') return `${head}: stopping`;
  if (!s.batchesPerEpoch) return `${head}: loading`;
  const total = s.totalEpochs * s.batchesPerEpoch;
  const done = Math.max(0, Math.min(total, (s.epoch - 1) * s.batchesPerEpoch + s.batch));
  return `${head}: epoch ${s.epoch}/${s.totalEpochs}, batch ${s.batch}/${s.batchesPerEpoch} · ${Math.floor((100 * done) / total)} %`;
}
