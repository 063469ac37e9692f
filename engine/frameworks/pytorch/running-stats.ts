// Which normalisation layers keep running statistics, which PyTorch holds as buffers: the memory estimate counts
// them and named_buffers() cannot list them (the catalogue does not make them as tensors).

/** The lazy variants too: a LazyBatchNorm2d never called keeps its own type. */
const TRACKING = /^(Lazy)?(BatchNorm[123]d|SyncBatchNorm|InstanceNorm[123]d)$/;

/**
 * Whether a layer keeps running statistics: BatchNorm by default, InstanceNorm only with track_running_stats=True;
 * null when the flag is neither True nor False (the analyser could not read it). `flag` undefined: the default.
 */
export function tracksRunningStats(type: string, flag: unknown): boolean | null {
  if (!TRACKING.test(type)) return false;
  if (flag === undefined) return !type.includes('InstanceNorm');
  return typeof flag === 'boolean' ? flag : null;
}
