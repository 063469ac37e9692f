// `convlens explain …`: the convolution step model in the terminal. Prints every step's
// arithmetic, the output and the size formula, or with --json one object
// {output, outputShape, formula, steps, …}. Usage errors exit 2 with one line.
import { parseArgs } from 'node:util';
import { explain, explainBackward, explainImg2col, ExplainError, LECTURE_1D, LECTURE_2D } from '../explain/index';
import type { BackwardRequest, Grid, SlidingOp } from '../explain/types';
import { checkArgs } from './args';
import { backwardText, img2colText, slidingText } from './explain-text';
import { parseChannels, parseFilters, parseInts, parseMaps, parsePadding, UsageError } from './explain-values';

export const EXPLAIN_USAGE = `usage: convlens explain OP [options]
  OP: conv1d conv2d maxpool1d maxpool2d avgpool1d avgpool2d img2col backward
  --input V        numbers "1,0,2,2,3,1"; 2D rows split by ";" ("1,2;3,4"); channels by "|"
                   (default: the lecture's example)
  --kernel V       convolution kernel, same syntax; several filters split by "/"
  --kernel-size K  pooling window: K or KH,KW
  --stride S       S or SH,SW (default 1; pooling: the kernel size, as PyTorch)
  --padding P      valid | same | tf-same | full | N (every side) | L,R (1D) | T,B,L,R (2D)
  --tf-same        "same" follows TensorFlow (o = ⌈l/s⌉) instead of PyTorch (total d(k−1))
  --dilation D     D or DH,DW (default 1)
  --ceil-mode      pooling: PyTorch's ceil_mode
  --dy V           backward: dL/dY shaped like the output, one map per filter split by "/"
                   (default all ones)
  --json           print one JSON object
  img2col and backward are 2D when --input or --kernel has rows (";"), else 1D.`;

const OPS: Record<string, { op: SlidingOp | 'img2col' | 'backward'; dims?: 1 | 2 }> = {
  conv1d: { op: 'conv', dims: 1 },
  conv2d: { op: 'conv', dims: 2 },
  maxpool1d: { op: 'maxpool', dims: 1 },
  maxpool2d: { op: 'maxpool', dims: 2 },
  avgpool1d: { op: 'avgpool', dims: 1 },
  avgpool2d: { op: 'avgpool', dims: 2 },
  img2col: { op: 'img2col' },
  backward: { op: 'backward' },
};

const OPTIONS = {
  input: { type: 'string' },
  kernel: { type: 'string' },
  'kernel-size': { type: 'string' },
  stride: { type: 'string' },
  padding: { type: 'string' },
  'tf-same': { type: 'boolean' },
  dilation: { type: 'string' },
  'ceil-mode': { type: 'boolean' },
  dy: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(args: string[]) {
  try {
    return parseArgs({
      args: checkArgs(args, OPTIONS),
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

function run(args: string[], out: (s: string) => void): void {
  const { values: v, positionals } = parse(args);
  if (v.help) {
    out(EXPLAIN_USAGE);
    return;
  }
  if (positionals.length !== 1) throw new UsageError(`give one operation (${Object.keys(OPS).join(', ')})`);
  const spec = OPS[positionals[0]];
  if (!spec) throw new UsageError(`unknown operation "${positionals[0]}" (${Object.keys(OPS).join(', ')})`);
  const pool = spec.op === 'maxpool' || spec.op === 'avgpool';
  const dims = spec.dims ?? ([v.input, v.kernel].some((t) => t?.includes(';')) ? 2 : 1);
  if (pool && v.kernel !== undefined) throw new UsageError('pooling has no kernel values: give --kernel-size');
  if (!pool && v['kernel-size'] !== undefined) throw new UsageError('--kernel-size is for pooling; a convolution takes --kernel values');
  if (pool && v['kernel-size'] === undefined) throw new UsageError(`${positionals[0]} needs --kernel-size`);
  if (!pool && (v.input === undefined) !== (v.kernel === undefined)) throw new UsageError('give both --input and --kernel, or neither for the lecture example');
  if (spec.op !== 'backward' && v.dy !== undefined) throw new UsageError('--dy is for backward');
  if (spec.op === 'avgpool' && v.dilation !== undefined) throw new UsageError('average pooling has no dilation (in PyTorch)');
  if (!pool && v['ceil-mode']) throw new UsageError('--ceil-mode is for pooling');

  const lecture = dims === 1 ? { input: [LECTURE_1D.input], kernel: [[LECTURE_1D.kernel]] } : { input: [LECTURE_2D.input], kernel: [[LECTURE_2D.kernel]] };
  const input: Grid[] = v.input !== undefined ? parseChannels(v.input, dims, '--input') : lecture.input;
  const request: BackwardRequest = {
    op: pool ? (spec.op as SlidingOp) : 'conv',
    dims,
    input,
    ...(pool ? { kernelSize: parseInts(v['kernel-size'] as string, '--kernel-size', 1) } : { kernel: v.kernel !== undefined ? parseFilters(v.kernel, dims) : lecture.kernel }),
    ...(v.stride !== undefined ? { stride: parseInts(v.stride, '--stride', 1) } : {}),
    ...(v.dilation !== undefined ? { dilation: parseInts(v.dilation, '--dilation', 1) } : {}),
    ...(v.padding !== undefined ? { padding: parsePadding(v.padding, dims, !!v['tf-same']) } : {}),
    ...(v['ceil-mode'] ? { ceilMode: true } : {}),
    ...(v.dy !== undefined ? { dY: parseMaps(v.dy, dims, '--dy') } : {}),
  };
  if (v['tf-same'] && v.padding?.trim().toLowerCase() !== 'same') throw new UsageError('--tf-same goes with --padding same');

  if (spec.op === 'img2col') {
    const e = explainImg2col(request);
    out(v.json ? JSON.stringify({ ...summary(e.conv), xHat: e.xHat, w: e.w, y: e.y, rowLabels: e.rowLabels, columns: e.steps }) : img2colText(e).join('\n'));
  } else if (spec.op === 'backward') {
    const e = explainBackward(request);
    out(
      v.json
        ? JSON.stringify({ ...summary(e.img2col.conv), xHat: e.img2col.xHat, w: e.img2col.w, dY: e.dY, dW: e.dW, dKernel: e.dKernel, dXHat: e.dXHat, dX: e.dX, sharedCells: e.sharedCells, scatter: e.steps })
        : backwardText(e).join('\n'),
    );
  } else {
    const e = explain(request);
    out(v.json ? JSON.stringify(e) : slidingText(positionals[0], e, request.kernel).join('\n'));
  }
}

/** The keys every --json answer has. */
function summary(e: ReturnType<typeof explain>) {
  return { output: e.output, outputShape: e.outputShape, formula: e.formula, steps: e.steps, padding: e.padding, axes: e.axes, notes: e.notes };
}

/** Runs `convlens explain` with the arguments after `explain`; returns the exit code. */
export function runExplain(args: string[], out: (s: string) => void): number {
  try {
    run(args, out);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ExplainError) {
      out(`convlens explain: ${e.message}`);
      return 2;
    }
    out(`convlens explain: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
