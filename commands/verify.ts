import type { CommandModule } from 'yargs';
import { openFleetFromFlags, printRun, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/cli/fleet-command.js';
import { numberOption, SECONDS, withBackendOptions, withFleetOptions } from '../src/cli/options.js';
import type { VerifyData } from '../src/domain/fleet.js';
import { AbortError } from '../src/errors.js';
import { loadDesiredConfig } from '../src/fleet/desired.js';
import { runVerify, verifyProfile } from '../src/fleet/verify.js';
import { verifyView } from '../src/output/fleet-views.js';
import { loadSettings, resolveBackendConnection, type BackendConnection } from '../src/settings.js';

export type VerifyFlags = FleetFlags & {
  readonly config: string;
  readonly fix?: boolean | undefined;
  readonly backend?: string | undefined;
  readonly token?: string | undefined;
};

export type VerifyDeps = FleetDeps & {
  readonly connection?: BackendConnection;
  readonly onData?: (host: string, data: VerifyData) => void;
};

/** Handler of `callhome verify`: the closed loop per device. `--timeout` is the wait for each test's arrival. */
export async function runVerifyCommand(flags: VerifyFlags, deps: VerifyDeps = {}): Promise<FleetRunReport<VerifyData>> {
  const desired = await loadDesiredConfig(flags.config);
  if (verifyProfile(desired) === null) throw new AbortError(`${flags.config} has no active profile to send the test to.`, 'Add a profile with transport [http] and an http URL pointing at the back end.');
  const { url, token } = deps.connection ?? resolveBackendConnection(flags);
  if (!token) throw new AbortError(`No API token for the back end at ${url}.`, 'Pass --token or set $CALLHOME_TOKEN.');
  const settings = deps.settings ?? loadSettings();
  const fleet = openFleetFromFlags(flags, { ...deps, settings }, { commandTimeoutMs: Math.max(settings.timeout, 30) * 1000, connectTimeoutMs: (flags.connectTimeout ?? settings.connectTimeout) * 1000 });
  const events = runVerify(fleet, { desired, fix: flags.fix ?? false, connection: { url, token }, timeoutMs: (flags.timeout ?? 20) * 1000, onData: deps.onData });
  return printRun(fleet, events, flags, deps, verifyView);
}

/** `callhome verify --inventory F --config DESIRED.yaml [--fix] [--timeout S]`. */
export const verifyCommand: CommandModule<object, VerifyFlags> = {
  command: 'verify',
  describe: 'Closed-loop check per device: configured, test sent, received by the back end',
  builder: (y) =>
    withBackendOptions(withFleetOptions(y))
      .option('config', { alias: 'c', type: 'string', demandOption: true, describe: 'Desired configuration YAML' })
      .option('timeout', numberOption('--timeout', { ...SECONDS, example: 20 }, 'Seconds to wait for the back end to receive each test (default 20)'))
      .option('fix', { type: 'boolean', default: false, describe: 'Push the desired configuration where it differs' }),
  handler: async (argv) => {
    process.exitCode = (await runVerifyCommand(argv)).exitCode;
  },
};
