import type { CommandModule } from 'yargs';
import { writeRetryFile, type FleetDeps } from '../src/cli/fleet-command.js';
import { withOutputOptions } from '../src/cli/options.js';
import type { FleetEvent } from '../src/domain/fleet.js';
import { mergeOutcomes } from '../src/fleet/merge-results.js';
import { OUTPUT_MODES, outputMode, printFleetRun, type FleetRunReport, type OutputMode } from '../src/output/fleet-output.js';

export type MergeResultsFlags = {
  readonly files: readonly string[];
  readonly json?: boolean | undefined;
  readonly ndjson?: boolean | undefined;
  readonly output?: OutputMode | undefined;
  readonly retryFile?: string | undefined;
};

/** Merges the outcome files of a run's shards and prints them as one run. */
export async function runMergeResults(flags: MergeResultsFlags, deps: Pick<FleetDeps, 'stdout' | 'stderr'> = {}): Promise<FleetRunReport> {
  const { results, summary } = mergeOutcomes(flags.files);
  async function* replay(): AsyncIterable<FleetEvent> {
    for (const result of results) yield { type: result.ok ? 'device-succeeded' : 'device-failed', result };
    yield { type: 'run-finished', results, summary };
  }
  const stdout = deps.stdout ?? process.stdout;
  const report = await printFleetRun(replay(), { mode: outputMode(flags, stdout), total: results.length, stdout, stderr: deps.stderr ?? process.stderr, progress: false, retryFile: flags.retryFile });
  if (flags.retryFile !== undefined) writeRetryFile(flags.retryFile, results.filter((r) => !r.ok).map((r) => r.host));
  return report;
}

/** `callhome merge-results SHARD.json…`: one document, summary and exit code for a sharded run. */
export const mergeResultsCommand: CommandModule<object, MergeResultsFlags> = {
  command: 'merge-results <files..>',
  describe: 'Merge the --json/--ndjson outcome files of a run split with --shard into one result',
  builder: (y) =>
    withOutputOptions(y)
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'Outcome files, one per shard' })
      .option('output', { alias: 'o', choices: OUTPUT_MODES, describe: 'Human output: failures, table, plain; json, ndjson' })
      .option('retry-file', { type: 'string', describe: 'Write the failed hosts here, for --limit @FILE' }),
  handler: async (argv) => {
    process.exitCode = (await runMergeResults(argv)).exitCode;
  },
};
