import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, type OutputDeps } from '../src/client/output.js';

export type RegistrationOptions = { backend?: string | undefined; token?: string | undefined; json: boolean; action: string; serial: string; secret?: string | undefined };

/** `registration confirm SERIAL TOKEN` or `registration delete SERIAL`. */
export async function runRegistration(opts: RegistrationOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const client = clientFor(opts, deps);
  if (opts.action === 'delete') {
    const r = await client.deleteRegistration(opts.serial);
    return opts.json ? printJson(deps, r) : deps.stdout(`Registration of ${opts.serial} deleted; the device's next message starts a new pending registration.\n`);
  }
  const { registration } = await client.confirmRegistration(opts.serial, opts.secret ?? '');
  if (opts.json) return printJson(deps, { registration });
  const detail = registration.state === 'trial' ? ` (trial until ${registration.trialEndsAt ?? '?'})` : registration.contractNumber ? ` (contract ${registration.contractNumber})` : '';
  deps.stdout(`${opts.serial} is ${registration.state}${detail}.\n`);
}

/** `callhome registration`: Confirm or delete a device registration. */
export const registrationCommand: CommandModule<object, RegistrationOptions> = {
  command: 'registration <action> <serial> [secret]',
  describe: 'Confirm (with the token) or delete a device registration',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .positional('action', { choices: ['confirm', 'delete'] as const, describe: 'confirm SERIAL TOKEN | delete SERIAL' })
      .positional('serial', { type: 'string', demandOption: true, describe: 'Chassis serial number' })
      .positional('secret', { type: 'string', describe: 'Security token from the Pending Registration e-mail' })
      .check((a) => a['action'] !== 'confirm' || typeof a['secret'] === 'string' || 'Give the token: callhome registration confirm SERIAL TOKEN') as unknown as Argv<RegistrationOptions>,
  handler: (argv: ArgumentsCamelCase<RegistrationOptions>) => runRegistration(argv),
};
