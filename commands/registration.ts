import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, type OutputDeps } from '../src/client/output.js';
import { AbortError } from '../src/errors.js';

export type RegistrationOptions = { backend?: string | undefined; token?: string | undefined; tokenFile?: string | undefined; json: boolean; action: string; serial: string; secret?: string | undefined };

/** Where `registration confirm` reads the token when it is not on the command line. */
export type RegistrationDeps = OutputDeps & { readonly stdin?: NodeJS.ReadableStream; readonly stderr?: (t: string) => void };

/** The first line of a stream (the token pasted or piped in), without waiting for more. */
export async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n')) break;
    if (text.length > 4096) break;
  }
  return (text.split(/\r?\n/)[0] ?? '').trim();
}

/**
 * `registration confirm SERIAL [TOKEN]` or `registration delete SERIAL`. Without TOKEN the registration
 * token is read from standard input (a pipe, or typed at the prompt), so it never lands in `ps` or the
 * shell history.
 */
export async function runRegistration(opts: RegistrationOptions, deps: RegistrationDeps = defaultOutput): Promise<void> {
  const client = clientFor(opts, deps);
  if (opts.action === 'delete') {
    const r = await client.deleteRegistration(opts.serial);
    return opts.json ? printJson(deps, r) : deps.stdout(`Registration of ${opts.serial} deleted; the device's next message starts a new pending registration.\n`);
  }
  let secret = opts.secret;
  if (secret === undefined) {
    const stdin = deps.stdin ?? process.stdin;
    if ((stdin as { isTTY?: boolean }).isTTY) (deps.stderr ?? ((t: string) => process.stderr.write(t)))(`Registration token for ${opts.serial}: `);
    secret = await readFirstLine(stdin);
  }
  if (!secret) throw new AbortError(`No registration token for ${opts.serial}.`, 'Pipe it in (callhome registration confirm SERIAL < token.txt) or type it at the prompt; it is in the Pending Registration e-mail.');
  const { registration } = await client.confirmRegistration(opts.serial, secret);
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
      .positional('action', { choices: ['confirm', 'delete'] as const, describe: 'confirm SERIAL [TOKEN] | delete SERIAL' })
      .positional('serial', { type: 'string', demandOption: true, describe: 'Chassis serial number' })
      .positional('secret', { type: 'string', describe: 'Security token from the Pending Registration e-mail (default: read from standard input)' }) as unknown as Argv<RegistrationOptions>,
  handler: (argv: ArgumentsCamelCase<RegistrationOptions>) => runRegistration(argv),
};
