import type { CommandModule } from 'yargs';
import { withBackendOptions, withFleetOptions } from '../src/cli/options.js';
import type { FleetRunReport } from '../src/fleet/fleet-command.js';
import { runVerify, type VerifyDeps, type VerifyFlags } from '../src/verify/run.js';

/** Handler of `callhome verify`: the closed loop per device. */
export function runVerifyCommand(opts: VerifyFlags, deps: VerifyDeps = {}): Promise<FleetRunReport> {
  return runVerify(opts, deps);
}

/** `callhome verify --inventory F --config DESIRED.yaml [--fix] [--timeout S]`. */
export const verifyCommand: CommandModule<object, VerifyFlags> = {
  command: 'verify',
  describe: 'Closed-loop check per device: configured, test sent, received by the back end',
  builder: (y) =>
    withBackendOptions(withFleetOptions(y))
      .option('config', { alias: 'c', type: 'string', demandOption: true, describe: 'Desired configuration YAML' })
      .option('timeout', { type: 'number', describe: 'Seconds to wait for the back end to receive each test (default 20)' })
      .option('fix', { type: 'boolean', default: false, describe: 'Push the desired configuration where it differs' }),
  handler: async (argv) => {
    process.exitCode = (await runVerifyCommand(argv)).exitCode;
  },
};
