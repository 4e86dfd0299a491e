/**
 * The `callhome` executable: builds yargs from commands/index.ts and maps errors to exit codes.
 * Nothing else lives here.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commandLoaders, loadCommandsFor } from '../commands/index.js';
import { completeCommandLine } from '../src/cli/completion.js';
import { describeError, ExitCode, UsageError } from '../src/errors.js';

/** True for the error of writing to a pipe whose reader has gone (`callhome events --ndjson | head -3`). */
function isClosedOutput(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

// Once, for every command: a reader that stopped early is not a failure; end quietly with status 0.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (isClosedOutput(error)) process.exit(0);
    throw error;
  });
}

let args = hideBin(process.argv);

/** A usage error (yargs' own, a flag's check, or a UsageError from a handler): what is wrong, then where usage is. */
function printUsageError(message: string): void {
  const command = args[0];
  const help = command !== undefined && Object.hasOwn(commandLoaders, command) ? `callhome ${command} --help` : 'callhome --help';
  process.stderr.write(`Error: ${message}\nRun \`${help}\` for usage; docs/cli.md has every command, flag and exit code.\n`);
}

/** yargs' errors (YError: unknown flags, missing values, coerce failures) and ours (UsageError) are usage errors. */
function isUsageError(error: unknown): error is Error {
  return error instanceof UsageError || (error instanceof Error && error.name === 'YError');
}

async function main(): Promise<void> {
  // With no arguments on a terminal, open the console (issue: `callhome` alone is the console).
  if (args.length === 0 && process.stdin.isTTY && process.stdout.isTTY) args = ['console'];
  const commands = await loadCommandsFor(args);
  const cli = yargs(args)
    .scriptName('callhome')
    .usage('$0 <command> [options]\n\nCall Home for network engineers: device lab, Smart Call Home back end, fleet operations and console.')
    .command(commands)
    .demandCommand(1, 'Name a command; `callhome --help` lists them.')
    .strict()
    .recommendCommands()
    .completion('completion', 'Print a bash or zsh completion script (subcommands, flags, inventory hosts and groups)', completeCommandLine)
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .fail((message, error, y) => {
      void y;
      if (error && !isUsageError(error)) throw error;
      printUsageError(error ? describeError(error).replace(/^Error: /, '') : message);
      process.exit(ExitCode.Error);
    });
  await cli.parseAsync();
}

main().catch((error: unknown) => {
  if (isClosedOutput(error)) process.exit(0);
  if (error instanceof UsageError) printUsageError(describeError(error).replace(/^Error: /, ''));
  else process.stderr.write(`${describeError(error)}\n`);
  process.exitCode = ExitCode.Error;
});
