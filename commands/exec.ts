import type { CommandModule } from 'yargs';
import { withFleetOptions } from '../src/cli/options.js';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/cli/fleet-command.js';
import type { ExecData } from '../src/domain/fleet.js';
import { execTask } from '../src/fleet/show-task.js';
import { execView } from '../src/output/fleet-views.js';

export type ExecOptions = FleetFlags & { readonly command: string };

/** Runs one raw command on every selected device; `data.output` holds what it printed. */
export function runFleetExec(opts: ExecOptions, deps: FleetDeps = {}): Promise<FleetRunReport<ExecData>> {
  return runFleetCommand(opts, execTask(opts.command), deps, execView);
}

/** `callhome exec "<command>"`: any raw command across the fleet. */
export const execCommand: CommandModule<object, ExecOptions> = {
  command: 'exec <command>',
  describe: 'Run a raw command on every device',
  builder: (y) => withFleetOptions(y).positional('command', { type: 'string', demandOption: true, describe: 'The command, quoted' }),
  handler: async (argv) => {
    process.exitCode = (await runFleetExec(argv)).exitCode;
  },
};
