// The model report: the one data structure that every view (hover, inlay hints, CodeLens,
// diagnostics, the summary panel, the training panel) and the CLI are made from.
import type { Dim, Shape } from '../shapes/dim';

export type { Dim, Shape };

export type Framework = 'pytorch' | 'keras';
export type Severity = 'error' | 'warning' | 'info';
export type InputShapeSource = 'argument' | 'comment' | 'call' | 'setting' | 'inferred' | 'symbolic';

/** A place in the source: 1-based lines, 0-based columns (end exclusive). */
export interface SourceRange {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  /** Notebooks: the 1-based cell (among all cells, as Jupyter numbers them) that the lines count in. */
  cell?: number;
  /** The file, when it is not the analysed one (a module imported from the workspace). */
  file?: string;
}

/** A text edit that fixes a diagnostic; the editor turns it into a quick fix. */
export interface Fix {
  title: string;
  range: SourceRange;
  newText: string;
}

export interface Diagnostic {
  line: number;
  /** Notebooks: the 1-based cell (among all cells, as Jupyter numbers them) that `line` counts in. */
  cell?: number;
  severity: Severity;
  /** Stable identifier, e.g. `linear-in-features`, `channel-mismatch`. */
  code: string;
  message: string;
  range?: SourceRange;
  fixes?: Fix[];
  /** Worth knowing but not worth a squiggle (the editor shows it as a hint): e.g. only padding is left unread. */
  quiet?: boolean;
  /** Places in other files it comes from (an imported module, the bundled torchvision); `line` is then the
   * analysed file's line that led there. The editor shows them as related information. */
  related?: RelatedPlace[];
}

/** A place in a file other than the analysed one: `file` as the engine read it, `label` as the user knows it. */
export interface RelatedPlace {
  file: string;
  line: number;
  /** `torchvision/models/_utils.py (torchvision 0.14.1a0, bundled with ConvLens)`. */
  label: string;
  message: string;
  /** Raised in an installed library's code: ConvLens may be unable to follow it there (see libraryRaise). */
  installedLibrary?: true;
}

/** A formula shown with its numbers substituted, e.g. ⌊(224 + 2·3 − 1·(7−1) − 1)/2⌋ + 1 = 112. */
export interface Formula {
  /** What it computes: `H_out`, `params`, `MACs`, … */
  label: string;
  /** The general formula, in symbols. */
  general: string;
  /** The same with this layer's numbers, ending in `= value`. */
  substituted: string;
}

/** One call of a leaf module (or of a Keras layer), in execution order. */
export interface LayerRow {
  /** named_modules() name for PyTorch (`layer1.0.conv1`), the layer name for Keras. */
  path: string;
  type: string;
  /** Where the layer was constructed (1-based line). */
  line: number;
  /** Notebooks: the 1-based cell (among all cells, as Jupyter numbers them) that `line` counts in. */
  cell?: number;
  range?: SourceRange;
  /** Where it was called in forward()/call(), when that is a different place. */
  callRange?: SourceRange;
  inputShapes: Shape[];
  outputShape: Shape | null;
  /** Keras: every output of a layer with several (an LSTM with `return_state=True`), in order; `outputShape` is the first. */
  outputShapes?: Array<Shape | null>;
  /** Keras functional models: the tensors the layer is called on, as model.summary()'s "Connected to" column lists
   * them (`conv2d[0][0]`: the producing layer, its call (node) and output (tensor) index); [] for an InputLayer. */
  inputs?: LayerInput[];
  /** Parameters of this module itself (as a forward hook sees them: the same on every call; totals count a module once).
   * When `paramsKnown` is false this is only what is known: a lower bound, never shown as exact. */
  params: number;
  trainableParams: number;
  /** False when some of this layer's parameters could not be counted (unknown class, unknown sizes). */
  paramsKnown: boolean;
  /** MACs of this call; a lower bound when `macsKnown` is false. */
  macs: number;
  /** False when the engine cannot count this call's MACs (unknown op or layer, unknown sizes). */
  macsKnown: boolean;
  /** The layer's arguments after binding to its signature (kernel_size, stride, padding, …). */
  config: Record<string, unknown>;
  formulas: Formula[];
  /** Receptive field of one output element in input pixels, and the cumulative stride, when known. */
  receptiveField?: { size: number[]; jump: number[] };
  /** Padding read as valid/same/full/manual with its split per spatial dimension. */
  padding?: PaddingInfo;
  /** Bytes of activations this call keeps for the backward pass that no earlier op kept, at the memory estimate's
   * batch size and dtype (`engine/memory/`); absent until a memory estimate is attached. */
  savedBytes?: number;
}

/** One tensor a Keras layer is called on: `layer[node][tensor]` in model.summary()'s "Connected to" column. */
export interface LayerInput {
  layer: string;
  node: number;
  tensor: number;
}

export interface PaddingInfo {
  kind: 'valid' | 'same' | 'full' | 'manual';
  /** Per spatial dimension: [before, after]. */
  split: Array<[number, number]>;
}

/** A node of the module tree (containers and leaves), for the summary panel. */
export interface ModuleNode {
  path: string;
  type: string;
  depth: number;
  line: number;
  /** Notebooks: the 1-based cell (among all cells, as Jupyter numbers them) that `line` counts in. */
  cell?: number;
  /** Parameters of the subtree (a lower bound when `paramsKnown` is false). */
  params: number;
  trainableParams: number;
  paramsKnown: boolean;
  /** MACs of every call inside the subtree (a lower bound when `macsKnown` is false). */
  macs: number;
  macsKnown: boolean;
  outputShape: Shape | null;
  isLeaf: boolean;
}

/** One node of the traced dataflow graph: what the training engine builds its network from. */
export interface GraphNode {
  id: number;
  /** `module` = a call of a leaf module; `op` = a functional op (add, cat, flatten, relu, …); `input` = the model input. */
  kind: 'input' | 'module' | 'op';
  /** Module type (`Conv2d`) or op name (`add`, `cat`, `flatten`, `view`, `relu`, `max_pool2d`, `mean`, …). */
  type: string;
  /** Module path for `module` nodes. */
  path?: string;
  /** Bound arguments: the module's config, or the op's non-tensor arguments. */
  config: Record<string, unknown>;
  inputs: number[];
  outputShape: Shape | null;
  line: number;
  /** Notebooks: the 1-based cell (among all cells, as Jupyter numbers them) that `line` counts in. */
  cell?: number;
  /** PyTorch `op` nodes: the path of the module whose forward() ran the op ('' for the model's own). */
  scope?: string;
}

/** Something in a model the engine could not model: it stays visible (the honesty rule). */
export interface Unmodelled {
  /** What it is, as the user wrote it: `Mystery`, `torch.special.foo`, `tensor.stft`. */
  name: string;
  /** Module path when it is a module (`features.3`). */
  path?: string;
  line: number;
  /** Notebooks: the 1-based cell (among all cells, as Jupyter numbers them) that `line` counts in. */
  cell?: number;
  range?: SourceRange;
  /** Why it is unknown, in words. */
  reason: string;
  /** What is now unknown because of it. */
  missing: Array<'params' | 'macs' | 'shape'>;
}

/** A module or op that a statement calls itself (what runs inside a module it calls belongs to that module). */
export interface StatementCall {
  /** `module`: a module call, named by its path; `op`: a functional op or tensor method (`max_pool2d`, `flatten`, `add`). */
  kind: 'module' | 'op';
  name: string;
  /** The module's class, or the op again. */
  type: string;
  outputShape: Shape | null;
  /** Module calls only: parameters of the module (its subtree) and MACs of this call, lower bounds when not known. */
  params?: number;
  paramsKnown?: boolean;
  macs?: number;
  macsKnown?: boolean;
}

/** What a statement binds: one entry per assigned name (each name of a tuple target), or its value. */
export interface StatementTarget {
  /** `x`, `self.feat`, `return` for a returned value, `` for an expression statement's value. */
  name: string;
  /** The tensor's shape; for a tuple, list or dict, one per tensor item; `null` where the value is unknown. */
  shapes: Array<Shape | null>;
  /** For a dict (`return {'out': x, 'aux': y}`): the key of each of `shapes`, as Python's str() writes it. */
  keys?: string[];
  /** When the statement ran more than once: the shapes at its first run, if they differ from the last (`shapes`). */
  firstShapes?: Array<Shape | null>;
}

/**
 * One simple statement of the analysed file (assignment, return, expression) that ran during the
 * trace and produced a tensor (or a value the engine could not know): what the editor's hint on
 * that line shows. Statements that only compute numbers (`b, c, h, w = x.size()`) are not listed.
 */
export interface StatementRecord {
  range: SourceRange;
  targets: StatementTarget[];
  /** Module and op calls made by the statement itself, in order, over all its runs (at most 64). */
  calls: StatementCall[];
  /** How many times it ran: once per loop iteration, once per call of the function it is in. */
  iterations: number;
  /** True when it sits inside a for/while loop of its own function (then `iterations` counts loop turns). */
  inLoop: boolean;
  /**
   * Set when the statement ran (or finished) after the forward pass met an error (a channel mismatch):
   * PyTorch stops there, so its shapes are only what the engine carried on with. The error's line.
   */
  afterError?: { line: number; cell?: number };
}

export interface ModelReport {
  /** The variable, the class, or the model's own `name=` (Keras). */
  name: string;
  /** Keras: the name `model.summary()` prints (`name=`, or Keras 3's `functional`, `sequential_1`, …). */
  summaryName?: string;
  framework: Framework;
  line: number;
  /** Notebooks: the 1-based cell (among all cells, as Jupyter numbers them) that `line` counts in. */
  cell?: number;
  range?: SourceRange;
  /** The line of the model's class (1-based) when the model is built elsewhere in the file (`model = Net()`). */
  definitionLine?: number;
  /** Notebooks: the cell that `definitionLine` counts in. */
  definitionCell?: number;
  inputShape: Shape;
  /** A forward() of several inputs (`forward(x1, x2)`) given every shape: all of them, `inputShape` first. */
  inputShapes?: Shape[];
  inputShapeSource: InputShapeSource;
  /** Where the input shape came from, in words (for hovers and CodeLens). */
  inputShapeOrigin: string;
  outputShape: Shape | null;
  /** Every output of a model with several (Keras `Model(inputs, [a, b])`, a PyTorch forward() returning a tuple), in order; `outputShape` is the first. */
  outputShapes?: Array<Shape | null>;
  /** Totals: exact when the matching `*Complete` flag is true, otherwise lower bounds (shown with `≥`). */
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  flops: number;
  /** True only when every total is exact and the output shape is known. */
  complete: boolean;
  paramsComplete: boolean;
  macsComplete: boolean;
  /** Every thing the engine could not model, each also a `warning` diagnostic. */
  unmodelled: Unmodelled[];
  /** PyTorch: forward() read `self.training`, which is False in the trace (eval mode): code that runs only in
   * training (auxiliary heads) may be missing from the rows and the graph. */
  readsTraining?: true;
  /** PyTorch: the buffers the code registers itself (`register_buffer`), with their shapes (`null`: unknown). */
  buffers?: Array<{ name: string; shape: Shape | null }>;
  /** Memory for one training step and for inference (`engine/memory/`); absent until one is attached. */
  memory?: MemoryReport;
  layers: LayerRow[];
  modules: ModuleNode[];
  graph: GraphNode[];
  /** PyTorch: the graph node of the tensor forward() returned (the first, depth-first, of a tuple, list or dict, as
   * `outputShape`): what training trains. Absent when it is not a node of `graph`; the last node no other reads then. */
  graphOutput?: number;
  /** What each statement of forward()/call() produced during the trace, in source order. */
  statements: StatementRecord[];
  /** State-dict entries (PyTorch names) with their shapes: what training saves. */
  parameters: ParameterEntry[];
  diagnostics: Diagnostic[];
}

/**
 * Memory for a batch size, dtype and optimiser, in bytes (README "Memory"): lower bounds when `memoryComplete`
 * is false (`warnings` say why).
 */
export interface MemoryReport {
  batchSize: number;
  dtype: 'float32' | 'float16' | 'bfloat16';
  optimizer: 'sgd' | 'sgd-momentum' | 'adam' | 'adamw' | 'rmsprop';
  paramsBytes: number;
  /** Trainable parameters only. */
  gradientsBytes: number;
  optimizerStateBytes: number;
  /** PyTorch buffers (BatchNorm's running statistics); Keras counts them as non-trainable weights, in `paramsBytes`. */
  buffersBytes: number;
  /** Activations autograd keeps for the backward pass, each storage once. */
  savedActivationsBytes: number;
  /**
   * What functional ops kept that no layer row holds: by the path of the container module whose forward()
   * ran them ('' for the model's own forward). Ops inside a layer's forward count in that layer's `savedBytes`.
   */
  savedByModule?: Record<string, number>;
  /** The largest set of activations alive at once in a forward pass without gradients. */
  inferencePeakBytes: number;
  /** The largest transient of a training step (activations not kept, or gradients flowing through one op). */
  largestTransientBytes: number;
  /** params + gradients + optimiser state + buffers + saved activations + largest transient. */
  trainingPeakBytes: number;
  /** With a memory budget: the largest batch size whose training peak fits it (0: not even one sample). */
  largestBatch?: number;
  /** The budget `largestBatch` answers, in bytes. */
  fitBytes?: number;
  /** False when something could not be counted: the byte counts are then lower bounds (and `largestBatch` an upper bound). */
  memoryComplete: boolean;
  warnings: string[];
}

/**
 * One parameter tensor (Keras: one weight) under its framework name, with its own flag: `trainable` false
 * means known frozen (`requires_grad=False`, Keras `trainable=False` and its moving statistics). The
 * training engine reads these flags per tensor, so a layer with only its bias frozen trains its weight.
 */
export interface ParameterEntry {
  name: string;
  shape: number[];
  trainable: boolean;
  /** Present (false) when requires_grad was set to a value ConvLens cannot know; `trainable` is then true. */
  trainableKnown?: false;
}

export interface FileReport {
  file: string;
  models: ModelReport[];
  /** Diagnostics not tied to one model (syntax errors, unresolved imports). */
  diagnostics: Diagnostic[];
  /** Where each imported top-level package was read from (the standard library left out), in import order. */
  packages?: PackageOrigin[];
  /** The Python environment whose packages the imports could read (discovered, selected or given), if any. */
  environment?: EnvironmentInfo;
}

/** Where an imported package came from: the `torchvision: …/site-packages (venv)` lines of the summary. */
export interface PackageOrigin {
  /** The top-level import name (`torchvision`). */
  name: string;
  /**
   * `workspace`: under the analysis roots; `installed`: a folder of the Python environment's search path;
   * `bundled`: the copy shipped with ConvLens (no installed one found); `modelled`: the engine's own
   * model of it (torch, keras), no source read; `missing`: found nowhere.
   */
  origin: 'workspace' | 'installed' | 'bundled' | 'modelled' | 'missing';
  /** The folder it was found in. */
  path?: string;
  /** bundled: the installed copy ConvLens reads its own stand-in for instead (Lightning). */
  shadows?: string;
  /** installed: why that folder is searched (`venv`, `conda`, `poetry`, `pipenv`, `pth`, `setting`, `flag`, …). */
  source?: string;
  /** installed: the environment's root folder. */
  env?: string;
  /** bundled: the version shipped. */
  version?: string;
}

export interface EnvironmentInfo {
  root: string;
  kind: 'venv' | 'conda' | 'system';
  /** How it was found: `python-extension`, `defaultInterpreterPath`, `venv` (a workspace folder), `VIRTUAL_ENV`, `conda`, `poetry`, `pipenv`. */
  source: string;
  version?: string;
}
