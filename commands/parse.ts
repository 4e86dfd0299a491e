import { readFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { AbortError, ExitCode } from '../src/errors.js';
import { describeParseError, findShowParser, parseRunningConfigOutput, PARSEABLE_COMMANDS } from '../src/ios/parsers/index.js';

/** Flags of `callhome parse`. */
export type ParseFlags = { readonly command: string; readonly file?: string; readonly json?: boolean; readonly serial?: string };

/** What `callhome parse` talks to, so tests can run it in-process. */
export type ParseDeps = {
  readonly readStdin?: () => Promise<string>;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
};

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses saved show output (file or standard input) and prints its data; returns the exit code. */
export async function runParse(opts: ParseFlags, deps: ParseDeps = {}): Promise<ExitCode> {
  const stdout = deps.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = deps.stderr ?? ((t: string) => void process.stderr.write(t));
  const parser = findShowParser(opts.command);
  if (!parser) {
    throw new AbortError(
      `No parser for "${opts.command}".`,
      `Name one of: ${PARSEABLE_COMMANDS.join(', ')} (IOS abbreviations such as "sh call stat" work).`,
    );
  }
  let text: string;
  if (opts.file !== undefined) {
    try {
      text = await readFile(opts.file, 'utf8');
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
      throw new AbortError(`Cannot read ${opts.file} (${code}).`, 'Check the --file path, or pipe the output on standard input.');
    }
  } else {
    text = await (deps.readStdin ?? (() => readAll(process.stdin)))();
  }
  const parse =
    parser.command === 'show running-config' && opts.serial !== undefined
      ? (o: string) => parseRunningConfigOutput(o, { serial: opts.serial })
      : parser.parse;
  const result = parse(text);
  if (!result.ok) {
    stderr(`${describeParseError(result.error)}\n`);
    return ExitCode.Error;
  }
  stdout(opts.json ? `${JSON.stringify(result.value)}\n` : `${JSON.stringify(result.value, null, 2)}\n`);
  return ExitCode.Ok;
}

/** `callhome parse "<show command>" [--file FILE] [--json]` (docs/cli.md, Parsing saved output). */
export const parseCommand: CommandModule<object, ParseFlags> = {
  command: 'parse <command>',
  describe: 'Parse saved show output',
  builder: (y) =>
    y
      .positional('command', { type: 'string', demandOption: true, describe: `The show command the output came from: ${PARSEABLE_COMMANDS.join(', ')}` })
      .option('file', { alias: 'f', type: 'string', describe: 'File holding the output (default: standard input)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document on stdout' })
      .option('serial', { type: 'string', describe: "Device serial, for CiscoTAC-1's default periodic times in running-config" }),
  handler: async (argv) => {
    process.exitCode = await runParse(argv);
  },
};
