import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, renderTable, type OutputDeps } from '../src/backend/cli/output.js';
import type { ApiRegistration } from '../src/backend/client.js';

export type RegistrationsOptions = { backend?: string | undefined; token?: string | undefined; json: boolean };

/** Lists device registrations (`{"registrations": [...]}` with --json). */
export async function runRegistrations(opts: RegistrationsOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const { registrations } = await clientFor(opts, deps).registrations();
  if (opts.json) return printJson(deps, { registrations });
  deps.stdout(
    renderTable<ApiRegistration>(
      [
        { header: 'Serial', get: (r) => r.serial },
        { header: 'State', get: (r) => (r.locked ? `${r.state} (locked)` : r.state) },
        { header: 'Contract', get: (r) => r.contractNumber },
        { header: 'Trial ends', get: (r) => r.trialEndsAt },
        { header: 'Failed tokens', get: (r) => r.failedAttempts },
        { header: 'Updated', get: (r) => r.updatedAt },
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
