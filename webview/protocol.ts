// The typed messages between the extension and the summary webview, both ways, and their
// validators: whatever arrives is checked before it is used; a bad message is dropped and logged.

/** One module of the tree (containers and leaves), numbers as in the report, shapes already printed. */
export interface SummaryRow {
  path: string;
  type: string;
  depth: number;
  /** 1-based line where the module is constructed (0 when unknown). */
  line: number;
  params: number;
  macs: number;
  /** False when params / macs are lower bounds (shown with ≥, or ? when nothing is known). */
  paramsKnown: boolean;
  macsKnown: boolean;
  output: string;
  isLeaf: boolean;
  /** All of its parameters frozen (requires_grad False), or some; absent when none are. */
  frozen?: 'frozen' | 'partly frozen';
  /** Bytes its calls (its subtree's) keep for backward at the panel's batch size and dtype. */
  savedBytes?: number;
}

/** The memory estimate at the panel's batch size, optimiser and dtype (bytes; lower bounds when not complete). */
export interface SummaryMemory {
  batchSize: number;
  optimizer: 'sgd' | 'sgd-momentum' | 'adam' | 'adamw' | 'rmsprop';
  dtype: 'float32' | 'float16' | 'bfloat16';
  paramsBytes: number;
  gradientsBytes: number;
  optimizerStateBytes: number;
  savedActivationsBytes: number;
  trainingPeakBytes: number;
  inferencePeakBytes: number;
  complete: boolean;
  warnings: string[];
}

export interface SummaryModel {
  name: string;
  framework: 'pytorch' | 'keras';
  line: number;
  input: string;
  inputOrigin: string;
  output: string;
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  /** False when the totals are lower bounds; `bound` then says why (`≥: 1 thing not modelled: Mystery (line 8)`). */
  paramsComplete: boolean;
  macsComplete: boolean;
  bound: string;
  rows: SummaryRow[];
  memory?: SummaryMemory;
}

export type ToWebview =
  /** `imports`: where each imported package was found (`torchvision: …/site-packages (venv …)`). */
  | { type: 'summary'; file: string; models: SummaryModel[]; selected: number; computeUnit: 'MACs' | 'FLOPs'; imports: string[] }
  | { type: 'empty'; message: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'copy'; text: string }
  | { type: 'reveal'; line: number }
  /** The memory controls changed: the extension sends the summary again at these. */
  | { type: 'memory'; batchSize: number; optimizer: SummaryMemory['optimizer']; dtype: SummaryMemory['dtype'] };

// The checks are exported for the other panels' protocols (train, animate).
export type Check = (v: unknown) => boolean;
export const str: Check = (v) => typeof v === 'string';
export const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
export const bool: Check = (v) => typeof v === 'boolean';
export const oneOf = (...xs: string[]): Check => (v) => typeof v === 'string' && xs.includes(v);
export const arrayOf = (c: Check): Check => (v) => Array.isArray(v) && v.every(c);
export const shape = (fields: Record<string, Check>): Check => (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.entries(fields).every(([k, c]) => c((v as Record<string, unknown>)[k]));

const optional = (c: Check): Check => (v) => v === undefined || c(v);
const row = shape({
  path: str, type: str, depth: num, line: num, params: num, macs: num, paramsKnown: bool, macsKnown: bool, output: str, isLeaf: bool,
  frozen: optional(oneOf('frozen', 'partly frozen')), savedBytes: optional(num),
});
const OPTIMIZER_NAMES = ['sgd', 'sgd-momentum', 'adam', 'adamw', 'rmsprop'];
const DTYPE_NAMES = ['float32', 'float16', 'bfloat16'];
const batchSize: Check = (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1_000_000;
const memory = shape({
  batchSize, optimizer: oneOf(...OPTIMIZER_NAMES), dtype: oneOf(...DTYPE_NAMES), paramsBytes: num, gradientsBytes: num,
  optimizerStateBytes: num, savedActivationsBytes: num, trainingPeakBytes: num, inferencePeakBytes: num, complete: bool, warnings: arrayOf(str),
});
const model = shape({
  name: str, framework: oneOf('pytorch', 'keras'), line: num, input: str, inputOrigin: str, output: str,
  totalParams: num, trainableParams: num, nonTrainableParams: num, macs: num,
  paramsComplete: bool, macsComplete: bool, bound: str, rows: arrayOf(row), memory: optional(memory),
});

const toWebview: Record<ToWebview['type'], Check> = {
  summary: shape({ file: str, models: arrayOf(model), selected: num, computeUnit: oneOf('MACs', 'FLOPs'), imports: arrayOf(str) }),
  empty: shape({ message: str }),
};

const fromWebview: Record<FromWebview['type'], Check> = {
  ready: () => true,
  copy: shape({ text: (v) => typeof v === 'string' && v.length <= 1_000_000 }),
  reveal: shape({ line: (v) => Number.isInteger(v) && (v as number) >= 1 }),
  memory: shape({ batchSize, optimizer: oneOf(...OPTIMIZER_NAMES), dtype: oneOf(...DTYPE_NAMES) }),
};

export function validate<T extends { type: string }>(table: Record<string, Check>, v: unknown): T | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const type = (v as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) return undefined;
  return table[type](v) ? (v as T) : undefined;
}

/** The message if it is a well-formed message to the webview, else undefined. */
export const parseToWebview = (v: unknown): ToWebview | undefined => validate<ToWebview>(toWebview, v);
/** The message if it is a well-formed message from the webview, else undefined. */
export const parseFromWebview = (v: unknown): FromWebview | undefined => validate<FromWebview>(fromWebview, v);
