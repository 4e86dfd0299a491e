import type { CommandModule } from 'yargs';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/cli/fleet-command.js';
import { withFleetOptions } from '../src/cli/options.js';
import type { Profile } from '../src/domain/callhome.js';
import { showTask } from '../src/fleet/show-task.js';
import { parseShowCallHomeProfile } from '../src/ios/parsers/show-call-home-profile.js';
import { profilesView } from '../src/output/fleet-views.js';

/** Reads `show call-home profile all` from every device (data: `{profiles: Profile[], unparsed?}`). */
export function runFleetProfiles(opts: FleetFlags, deps: FleetDeps = {}): Promise<FleetRunReport<{ readonly profiles: readonly Profile[] }>> {
  return runFleetCommand(opts, showTask('show call-home profile all', parseShowCallHomeProfile), deps, profilesView);
}

/** `callhome profiles`. */
export const profilesCommand: CommandModule<object, FleetFlags> = {
  command: 'profiles',
  describe: 'Call Home destination profiles of every device',
  builder: (y) => withFleetOptions(y),
  handler: async (argv) => {
    process.exitCode = (await runFleetProfiles(argv)).exitCode;
  },
};
