import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, textTable, timeStyleFor, type OutputDeps } from '../src/client/output.js';
import type { ApiDevice } from '../src/client/api-client.js';
import { formatTime } from '../src/console/time-style.js';

export type DevicesOptions = { backend?: string | undefined; token?: string | undefined; json: boolean };

/** Lists devices known to the back end (`{"devices": [...]}` with --json). */
export async function runDevices(opts: DevicesOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const { devices } = await clientFor(opts, deps).devices();
  if (opts.json) return printJson(deps, { devices });
  const style = timeStyleFor(deps);
  deps.stdout(
    textTable<ApiDevice>(
      [
        { header: 'Hostname', cell: (d) => d.hostname },
        { header: 'Serial', cell: (d) => d.serial },
        { header: 'Model', cell: (d) => d.model },
        { header: 'Registration', cell: (d) => d.registration },
        { header: 'Contract', cell: (d) => d.contractNumber ?? (d.trialEndsAt ? `trial until ${d.trialEndsAt.slice(0, 10)}` : '') },
        { header: 'Last message', cell: (d) => formatTime(d.lastMessageAt, style) },
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
