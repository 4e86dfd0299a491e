import type { CommandModule } from 'yargs';
import { withFleetOptions } from '../src/cli/options.js';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/fleet/fleet-command.js';
import { showTask } from '../src/fleet/show-task.js';
import { parseShowCallHomeMailServerStatus, type ShowCallHomeMailServerStatus } from '../src/ios/parsers/show-call-home-mail-server-status.js';

/** Reads `show call-home mail-server status` from every device (data: `{servers: [{address, priority, available}]}`). */
export function runFleetMailStatus(opts: FleetFlags, deps: FleetDeps = {}): Promise<FleetRunReport> {
  return runFleetCommand(opts, showTask('show call-home mail-server status', parseShowCallHomeMailServerStatus), deps, {
    describe: (r) => {
      const { servers } = r.data as ShowCallHomeMailServerStatus;
      if (servers.length === 0) return 'no mail server';
      return servers.map((s) => `${s.address} [${s.priority}] ${s.available ? 'available' : 'UNAVAILABLE'}`).join(', ');
    },
  });
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
