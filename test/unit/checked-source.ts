// Checks written in the analysed Python itself: the engine skips `assert` statements (as `python -O` does), so a
// test's top-level `assert X` lines become `if X: pass / else: raise`: false gives a python-error, a value the
// engine does not know an unsure-raise, and `failures` lists both.
import { analyzeSource } from '../../engine/analyze';

export const checked = (src: string): string => src.replace(/^assert (.*)$/gm,
  (_, x: string) => `if ${x}:\n    pass\nelse:\n    raise ValueError("check failed: ${x.replace(/"/g, "'")}")`);

export const failures = (src: string, file = '/ws/train.py'): string[] => analyzeSource(file, checked(src)).diagnostics
  .filter((d) => d.severity === 'error' || d.code === 'unsure-raise').map((d) => `${d.line} ${d.code}: ${d.message}`);
