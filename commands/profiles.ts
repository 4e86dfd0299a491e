import type { CommandModule } from 'yargs';
import type { Profile } from '../src/domain/callhome.js';
import { withFleetOptions } from '../src/cli/options.js';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/fleet/fleet-command.js';
import { showTask } from '../src/fleet/show-task.js';
import { parseShowCallHomeProfile } from '../src/ios/parsers/show-call-home-profile.js';

/** Reads `show call-home profile all` from every device (data: `{profiles: Profile[]}`). */
export function runFleetProfiles(opts: FleetFlags, deps: FleetDeps = {}): Promise<FleetRunReport> {
  return runFleetCommand(opts, showTask('show call-home profile all', parseShowCallHomeProfile), deps, {
    describe: (r) =>
      (r.data as { profiles: readonly Profile[] }).profiles
        .map((p) => `${p.name}${p.active ? '' : ' (inactive)'}`)
        .join(', '),
  });
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
