// The element types a memory estimate counts in: the dtype the user picks for parameters and
// activations, and the int64 of index tensors (max pooling's indices, embedding lookups).

export const MEMORY_DTYPES = ['float32', 'float16', 'bfloat16'] as const;
export type MemoryDtype = (typeof MEMORY_DTYPES)[number];

export const DTYPE_BYTES: Record<MemoryDtype, number> = { float32: 4, float16: 2, bfloat16: 2 };

/** int64: max pooling's indices, token indices, BatchNorm's num_batches_tracked. */
export const INDEX_BYTES = 8;

export const isMemoryDtype = (s: string): s is MemoryDtype => (MEMORY_DTYPES as readonly string[]).includes(s);
