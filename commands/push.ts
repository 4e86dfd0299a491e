import type { CommandModule } from 'yargs';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/cli/fleet-command.js';
import { withFleetOptions } from '../src/cli/options.js';
import type { PushData } from '../src/domain/fleet.js';
import { loadDesiredConfig } from '../src/fleet/desired.js';
import { pushPlanner } from '../src/fleet/push-planner.js';
import { pushTask } from '../src/fleet/push.js';
import { pushView } from '../src/output/fleet-views.js';

/** The flags of `callhome push`. */
export type PushFlags = FleetFlags & {
  /** The desired configuration YAML (docs/cli.md). */
  readonly config: string;
  readonly dryRun?: boolean | undefined;
  readonly save?: boolean | undefined;
  readonly prune?: boolean | undefined;
};

/** Pushes the desired Call Home configuration to every selected device. */
export async function runFleetPush(opts: PushFlags, deps: FleetDeps = {}): Promise<FleetRunReport<PushData>> {
  // Read and validated before any device is touched.
  const desired = await loadDesiredConfig(opts.config);
  const dryRun = opts.dryRun ?? false;
  const task = pushTask(desired, pushPlanner, { dryRun, save: opts.save ?? false, prune: opts.prune ?? false });
  return runFleetCommand(opts, task, deps, pushView(dryRun));
}

/** `callhome push --inventory F --config DESIRED.yaml [--dry-run] [--save] [--prune]`. */
export const pushCommand: CommandModule<object, PushFlags> = {
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
