// A new analysis worker that no request waits for warms V8 up on a model of the bundled torchvision. About half of
// a first-ever analysis (timm's: ~1 s of CPU) is V8 running lezer, the converter and the interpreter unoptimised
// until it has tiered them up, which each thread pays once, whatever it analyses; the bundled torchvision's parses
// and scans it leaves in the process are read again by any file that imports torchvision (timm's layers do).
// It reads no workspace file, takes no import snapshot and stores nothing, and it gives up at once when a request
// is posted: its report is dropped either way.
import { analyzeDocument } from '../engine/notebook/analyze-notebook';
import type { FileReport } from '../engine/report/types';

/** Imports, a model built and traced: the paths every analysis of a model takes. */
const WARM_UP_TEXT = [
  'import torch', 'import torchvision', '',
  'model = torchvision.models.resnet18(num_classes=10)',
  'y = model(torch.randn(1, 3, 224, 224))', '',
].join('\n');

/** Analyses the warm-up text unless `giveWay` says a request came; its report when it ran to its end. */
export function warmUpEngine(giveWay: () => boolean): FileReport | undefined {
  try {
    return analyzeDocument('/convlens-warm-up/warm_up.py', WARM_UP_TEXT, { interrupt: giveWay });
  } catch {
    // interrupted (or failing): the request's analysis is what matters
    return undefined;
  }
}
