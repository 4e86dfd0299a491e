import type { CommandModule } from 'yargs';
import { withFleetOptions } from '../src/cli/options.js';
import { loadDesiredConfig } from '../src/fleet/desired.js';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/fleet/fleet-command.js';
import { pushPlanner } from '../src/fleet/push-planner.js';
import { pushTask, type PushData } from '../src/fleet/push.js';

export type PushOptions = FleetFlags & {
  /** The desired configuration YAML (docs/cli.md). */
  readonly config: string;
  readonly dryRun?: boolean | undefined;
  readonly save?: boolean | undefined;
  readonly prune?: boolean | undefined;
};


function describePush(dryRun: boolean) {
  return (result: { readonly changed: boolean; readonly commands: readonly string[]; readonly data: unknown }): string => {
    const data = result.data as PushData;
    if (!result.changed) return 'already as desired';
    if (dryRun) return `would change:\n  ${(data.diff ?? []).join('\n  ')}\ncommands:\n  ${result.commands.join('\n  ')}`;
    return `${result.commands.length} command(s) applied and verified${data.saved ? ', saved' : ''}`;
  };
}

/** Pushes the desired Call Home configuration to every selected device. */
export async function runFleetPush(opts: PushOptions, deps: FleetDeps = {}): Promise<FleetRunReport> {
  // Read and validated before any device is touched.
  const desired = await loadDesiredConfig(opts.config);
  const task = pushTask(desired, pushPlanner, { dryRun: opts.dryRun ?? false, save: opts.save ?? false, prune: opts.prune ?? false });
  return runFleetCommand(opts, task, deps, { describe: describePush(opts.dryRun ?? false) });
}

/** `callhome push --inventory F --config DESIRED.yaml [--dry-run] [--save] [--prune]`. */
export const pushCommand: CommandModule<object, PushOptions> = {
  command: 'push',
  describe: 'Push the desired Call Home configuration to a fleet',
  builder: (y) =>
    withFleetOptions(y)
      .option('config', { alias: 'c', type: 'string', demandOption: true, describe: 'Desired configuration YAML' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print each device’s changes and commands; change nothing' })
      .option('save', { type: 'boolean', default: false, describe: 'write memory after a verified push' })
      .option('prune', { type: 'boolean', default: false, describe: 'Remove profiles and mail servers the file does not list' }),
  handler: async (argv) => {
    process.exitCode = (await runFleetPush(argv)).exitCode;
  },
};
