import type { CommandModule } from 'yargs';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/cli/fleet-command.js';
import { withFleetOptions } from '../src/cli/options.js';
import type { CallHomeStatistics } from '../src/domain/statistics.js';
import { showTask } from '../src/fleet/show-task.js';
import { parseShowCallHomeStatistics } from '../src/ios/parsers/show-call-home-statistics.js';
import { statsView } from '../src/output/fleet-views.js';

/** Reads `show call-home statistics` from every device (data per docs/cli.md `stats`). */
export function runFleetStats(opts: FleetFlags, deps: FleetDeps = {}): Promise<FleetRunReport<CallHomeStatistics>> {
  return runFleetCommand(opts, showTask('show call-home statistics', parseShowCallHomeStatistics), deps, statsView);
}

/** `callhome stats`. */
export const statsCommand: CommandModule<object, FleetFlags> = {
  command: 'stats',
  describe: 'Call Home message statistics of every device',
  builder: (y) => withFleetOptions(y),
  handler: async (argv) => {
    process.exitCode = (await runFleetStats(argv)).exitCode;
  },
};
