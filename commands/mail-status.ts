import type { CommandModule } from 'yargs';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/cli/fleet-command.js';
import { withFleetOptions } from '../src/cli/options.js';
import { showTask } from '../src/fleet/show-task.js';
import { parseShowCallHomeMailServerStatus, type ShowCallHomeMailServerStatus } from '../src/ios/parsers/show-call-home-mail-server-status.js';
import { mailStatusView } from '../src/output/fleet-views.js';

/** Reads `show call-home mail-server status` from every device (data: `{servers: [{address, priority, available}]}`). */
export function runFleetMailStatus(opts: FleetFlags, deps: FleetDeps = {}): Promise<FleetRunReport<ShowCallHomeMailServerStatus>> {
  return runFleetCommand(opts, showTask('show call-home mail-server status', parseShowCallHomeMailServerStatus), deps, mailStatusView);
}

/** `callhome mail-status`. */
export const mailStatusCommand: CommandModule<object, FleetFlags> = {
  command: 'mail-status',
  describe: 'Mail server availability as every device sees it',
  builder: (y) => withFleetOptions(y),
  handler: async (argv) => {
    process.exitCode = (await runFleetMailStatus(argv)).exitCode;
  },
};
