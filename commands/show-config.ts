import type { CommandModule } from 'yargs';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/cli/fleet-command.js';
import { withFleetOptions } from '../src/cli/options.js';
import { showTask } from '../src/fleet/show-task.js';
import { parseShowCallHomeDetail, type ShowCallHomeDetail } from '../src/ios/parsers/show-call-home.js';
import { showConfigView } from '../src/output/fleet-views.js';

/** Reads `show call-home detail` from every device (data: `{settings, alertGroups, profiles}`). */
export function runFleetShowConfig(opts: FleetFlags, deps: FleetDeps = {}): Promise<FleetRunReport<ShowCallHomeDetail>> {
  return runFleetCommand(opts, showTask('show call-home detail', parseShowCallHomeDetail), deps, showConfigView);
}

/** `callhome show-config`. */
export const showConfigCommand: CommandModule<object, FleetFlags> = {
  command: 'show-config',
  describe: 'Call Home configuration of every device, with drift across the fleet',
  builder: (y) => withFleetOptions(y),
  handler: async (argv) => {
    process.exitCode = (await runFleetShowConfig(argv)).exitCode;
  },
};
