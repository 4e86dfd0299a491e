import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, textTable, timeStyleFor, type OutputDeps } from '../src/client/output.js';
import type { ApiRegistration } from '../src/client/api-client.js';
import { formatTime } from '../src/console/time-style.js';

export type RegistrationsOptions = { backend?: string | undefined; token?: string | undefined; json: boolean };

/** Lists device registrations (`{"registrations": [...]}` with --json). */
export async function runRegistrations(opts: RegistrationsOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const { registrations } = await clientFor(opts, deps).registrations();
  if (opts.json) return printJson(deps, { registrations });
  const style = timeStyleFor(deps);
  deps.stdout(
    textTable<ApiRegistration>(
      [
        { header: 'Serial', cell: (r) => r.serial },
        { header: 'State', cell: (r) => r.state },
        { header: 'Contract', cell: (r) => r.contractNumber },
        { header: 'Ends', cell: (r) => (r.endsAt === null ? '' : `${formatTime(r.endsAt, style)}${r.daysLeft === null ? '' : ` (${r.daysLeft} d)`}`) },
        { header: 'Refused', cell: (r) => r.refusal?.code ?? '' },
        { header: 'Failed tokens', cell: (r) => r.failedAttempts },
        { header: 'Updated', cell: (r) => formatTime(r.updatedAt, style) },
      ],
      registrations,
      'No registrations yet.',
    ),
  );
}

/** `callhome registrations`: List device registrations. */
export const registrationsCommand: CommandModule<object, RegistrationsOptions> = {
  command: 'registrations',
  describe: 'List device registrations',
  builder: (y: Argv) => withBackendOptions(withOutputOptions(y)),
  handler: (argv: ArgumentsCamelCase<RegistrationsOptions>) => runRegistrations(argv),
};
