import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, renderTable, type OutputDeps } from '../src/backend/cli/output.js';
import type { ApiDevice } from '../src/backend/client.js';

export type DevicesOptions = { backend?: string | undefined; token?: string | undefined; json: boolean };

/** Lists devices known to the back end (`{"devices": [...]}` with --json). */
export async function runDevices(opts: DevicesOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const { devices } = await clientFor(opts, deps).devices();
  if (opts.json) return printJson(deps, { devices });
  deps.stdout(
    renderTable<ApiDevice>(
      [
        { header: 'Hostname', get: (d) => d.hostname },
        { header: 'Serial', get: (d) => d.serial },
        { header: 'Model', get: (d) => d.model },
        { header: 'Registration', get: (d) => d.registration },
        { header: 'Contract', get: (d) => d.contractNumber ?? (d.trialEndsAt ? `trial until ${d.trialEndsAt.slice(0, 10)}` : '') },
        { header: 'Last message', get: (d) => d.lastMessageAt },
      ],
      devices,
      'No devices have called home yet.',
    ),
  );
}

/** `callhome devices`: List devices known to the back end. */
export const devicesCommand: CommandModule<object, DevicesOptions> = {
  command: 'devices',
  describe: 'List devices known to the back end',
  builder: (y: Argv) => withBackendOptions(withOutputOptions(y)),
  handler: (argv: ArgumentsCamelCase<DevicesOptions>) => runDevices(argv),
};
