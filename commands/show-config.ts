import type { CommandModule } from 'yargs';
import { withFleetOptions } from '../src/cli/options.js';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/fleet/fleet-command.js';
import { showTask } from '../src/fleet/show-task.js';
import { parseShowCallHomeDetail } from '../src/ios/parsers/show-call-home.js';
import { aggregateCallHomeDetail, describeCallHomeDetail } from '../src/output/config-aggregate.js';

/** Reads `show call-home detail` from every device (data: `{settings, alertGroups, profiles}`). */
export function runFleetShowConfig(opts: FleetFlags, deps: FleetDeps = {}): Promise<FleetRunReport> {
  return runFleetCommand(opts, showTask('show call-home detail', parseShowCallHomeDetail), deps, {
    describe: describeCallHomeDetail,
    aggregate: aggregateCallHomeDetail,
  });
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
