// `convlens`: the command-line face of the engine. Usage errors exit 2 with one line; nothing
// prints a stack trace to a user.
import { runCheck, runSummary } from './summary';
import { runExplain } from './explain';
import { TRAIN_USAGE, runTrain } from './train';
import { UsageError, type Io } from './io';

const USAGE = `usage:
  convlens summary FILE [--entry EXPR] [--input 1,3,224,224] [--root DIR] [--python-path DIR]… [--depth N] [--keras-naming keras3|tf2] [--json] [--no-snapshot-cache] [--no-parse-cache]
  convlens check FILE [--entry EXPR] [--input …] [--root DIR] [--python-path DIR]… [--json] [--no-snapshot-cache] [--no-parse-cache]
  ${TRAIN_USAGE.replace(/^usage: /, '').replace(/\n/g, '\n  ')}
  convlens explain conv1d|conv2d|maxpool1d|maxpool2d|avgpool1d|avgpool2d|img2col|backward --input … --kernel … [--stride S] [--padding …] [--json]`;

type Command = (args: string[], io: Io) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  summary: runSummary,
  check: runCheck,
  explain: (args, io) => runExplain(args, io.out),
  // Training writes a progress bar (carriage returns) to stderr, so it gets the raw streams.
  train: (args) => runTrain(args, { stdout: process.stdout, stderr: process.stderr }),
};

export async function main(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(USAGE);
    return cmd ? 0 : 2;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    io.err(`convlens: unknown command '${cmd}'\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`convlens ${cmd}: ${(e as Error).message}`);
      return 2;
    }
    io.err(`convlens ${cmd}: internal error: ${(e as Error).message} (please report this with the file)`);
    return 3;
  }
}

// `convlens summary … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); });
const io: Io = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };
main(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
