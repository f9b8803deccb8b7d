/**
 * The `cartography` command line: one function from arguments and an `io` to an exit
 * code, so tests run it in-process. Messages go to standard error, prefixed with
 * "cartography:"; results (stats, agreement) to standard output; files are written by `io`
 * atomically.
 *
 * Exit codes: 0 done; 1 the input cannot be read or converted (nothing was written);
 * 2 the command line is wrong (unknown command or option, missing argument).
 */
import { agreementCommand } from './commands/agreement.ts';
import { convertCommand } from './commands/convert.ts';
import { matrixCommand } from './commands/matrix.ts';
import { reportCommand } from './commands/report.ts';
import { statsCommand } from './commands/stats.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, UsageError } from './errors.ts';
import { COMMAND_USAGE, COMMANDS, GENERAL_USAGE, type CommandName } from './help.ts';
import type { CliIo } from './io.ts';
import { VERSION } from './version.ts';

export type { CliIo } from './io.ts';

const RUN: Record<Exclude<CommandName, 'help'>, (args: readonly string[], io: CliIo) => Promise<void>> = {
  stats: statsCommand,
  convert: convertCommand,
  report: reportCommand,
  matrix: matrixCommand,
  agreement: agreementCommand,
};

const isCommand = (name: string): name is CommandName => (COMMANDS as readonly string[]).includes(name);

/** --help or -h among a command's arguments (before a "--" that ends the options). */
const asksForHelp = (args: readonly string[]): boolean => {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined) {
    io.stderr(GENERAL_USAGE);
    return EXIT_USAGE;
  }
  if (command === '--help' || command === '-h') {
    io.stdout(GENERAL_USAGE);
    return EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  try {
    if (!isCommand(command)) throw new UsageError(command.startsWith('-') ? `unknown option ${command}.` : `unknown command “${command}”.`, null);
    if (command === 'help') {
      const [topic, ...rest] = args;
      if (rest.length > 0) throw new UsageError(`help: unexpected argument “${rest[0]}”.`, 'help');
      if (topic === undefined) io.stdout(GENERAL_USAGE);
      else if (isCommand(topic)) io.stdout(COMMAND_USAGE[topic]);
      else throw new UsageError(`help: unknown command “${topic}”.`, null);
      return EXIT_OK;
    }
    if (asksForHelp(args)) {
      io.stdout(COMMAND_USAGE[command]);
      return EXIT_OK;
    }
    await RUN[command](args, io);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = error.command === null ? 'Run “cartography --help” for the commands.' : `Run “cartography help ${error.command}” for its options.`;
      io.stderr(`cartography: ${error.message}\n${hint}\n`);
      return EXIT_USAGE;
    }
    // Commands write their output last, in one atomic step: when they fail, nothing was written.
    // stats and agreement only print: they have nothing to leave unwritten.
    const written = command === 'stats' || command === 'agreement' ? '' : 'Nothing was written.\n';
    if (error instanceof CliError) {
      io.stderr(`cartography: ${error.message}\n${written}`);
      return EXIT_BAD_INPUT;
    }
    // A bug, not bad input: say so plainly, with the stack for a report.
    io.stderr(`cartography: unexpected error: ${(error as Error)?.stack ?? String(error)}\n${written}`);
    return EXIT_BAD_INPUT;
  }
}
