// The memory flags of `convlens summary`: --batch-size, --optimizer (or --momentum with sgd), --dtype,
// --fit SIZE; checked here, with a message that says what is accepted.
import { DEFAULT_MEMORY_OPTIONS, memoryModel, withMemory, type MemoryOptions } from '../memory/estimate';
import { isMemoryDtype, MEMORY_DTYPES } from '../memory/dtype';
import { isOptimizer, OPTIMIZERS } from '../memory/optimizers';
import { parseByteSize } from '../memory/size';
import { largestBatch } from '../memory/fit';
import type { ModelReport } from '../report/types';
import { UsageError } from './io';

export const MEMORY_FLAGS = {
  'batch-size': { type: 'string' },
  optimizer: { type: 'string' },
  momentum: { type: 'boolean' },
  dtype: { type: 'string' },
  fit: { type: 'string' },
} as const;

export interface MemoryArgs {
  options: MemoryOptions;
  /** The budget of --fit, in bytes. */
  fit?: number;
  /** True when a memory flag was given: the table then shows the memory section. */
  asked: boolean;
}

type Values = Partial<Record<'batch-size' | 'optimizer' | 'dtype' | 'fit', string>> & { momentum?: boolean };

export function memoryArgs(v: Values): MemoryArgs {
  const o = { ...DEFAULT_MEMORY_OPTIONS };
  if (v['batch-size'] !== undefined) {
    const b = Number(v['batch-size']);
    if (!Number.isInteger(b) || b < 1) throw new UsageError(`--batch-size must be a whole number ≥ 1 (got ${v['batch-size']})`);
    o.batchSize = b;
  }
  if (v.optimizer !== undefined) {
    const name = v.optimizer.toLowerCase();
    if (!isOptimizer(name)) throw new UsageError(`--optimizer must be one of ${OPTIMIZERS.join(', ')} (got ${v.optimizer})`);
    o.optimizer = name;
  }
  if (v.momentum) {
    if (v.optimizer !== undefined && o.optimizer !== 'sgd' && o.optimizer !== 'sgd-momentum') {
      throw new UsageError(`--momentum goes with --optimizer sgd (got ${v.optimizer})`);
    }
    o.optimizer = 'sgd-momentum';
  }
  if (v.dtype !== undefined) {
    if (!isMemoryDtype(v.dtype)) throw new UsageError(`--dtype must be one of ${MEMORY_DTYPES.join(', ')} (got ${v.dtype})`);
    o.dtype = v.dtype;
  }
  let fit: number | undefined;
  if (v.fit !== undefined) {
    fit = parseByteSize(v.fit);
    if (fit === undefined) throw new UsageError(`--fit must be a memory size such as 8GB, 8GiB or 512MB (got ${v.fit})`);
  }
  const asked = ['batch-size', 'optimizer', 'momentum', 'dtype', 'fit'].some((k) => v[k as keyof Values] !== undefined);
  return { options: o, fit, asked };
}

/** The model with its memory estimate (and the largest batch for --fit) attached. */
export function attachMemory(model: ModelReport, a: MemoryArgs): ModelReport {
  const mm = memoryModel(model);
  const out = withMemory(model, a.options, mm);
  if (a.fit !== undefined && out.memory) {
    out.memory = { ...out.memory, largestBatch: largestBatch(mm, a.options, a.fit), fitBytes: a.fit };
  }
  return out;
}
