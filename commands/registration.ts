import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, type OutputDeps } from '../src/client/output.js';
import { AbortError } from '../src/errors.js';
import { parseConfirmLink } from '../src/backend/processing/registration.js';
import type { ApiRegistration } from '../src/client/api-client.js';

export type RegistrationOptions = {
  backend?: string | undefined;
  token?: string | undefined;
  tokenFile?: string | undefined;
  json: boolean;
  action: string;
  serial: string;
  secret?: string | undefined;
  /** More serials for `select`. */
  more?: readonly string[] | undefined;
  /** The CCO profile to decide for (SCH Support acting for a user) and the contract to use. */
  profile?: string | undefined;
  contract?: string | undefined;
};

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

/** One line saying what a registration is now. */
function describeRegistration(r: ApiRegistration): string {
  const detail = r.state === 'trial' ? ` (trial until ${r.trialEndsAt ?? '?'})` : r.contractNumber ? ` (contract ${r.contractNumber})` : '';
  return `${r.serial} is ${r.state}${detail}.`;
}

/**
 * `registration confirm SERIAL [TOKEN]`, `select SERIAL…`, `contract SERIAL CONTRACT`, `delete SERIAL`,
 * `unlock USER`. Without TOKEN the registration token (or the confirm link from the mail, which carries
 * it) is read from standard input (a pipe, or typed at the prompt), so it never lands in `ps` or the
 * shell history.
 */
export async function runRegistration(opts: RegistrationOptions, deps: RegistrationDeps = defaultOutput): Promise<void> {
  const client = clientFor(opts, deps);
  const choice = { profile: opts.profile, contract: opts.contract };
  if (opts.action === 'delete') {
    const r = await client.deleteRegistration(opts.serial);
    return opts.json ? printJson(deps, r) : deps.stdout(`Registration of ${opts.serial} deleted; the device's next message starts a new pending registration.\n`);
  }
  if (opts.action === 'unlock') {
    const r = await client.unlock(opts.serial);
    return opts.json ? printJson(deps, r) : deps.stdout(`${opts.serial} may confirm registrations again.\n`);
  }
  if (opts.action === 'contract') {
    if (!opts.secret) throw new AbortError('Name the contract: callhome registration contract SERIAL CONTRACT.');
    const { registration } = await client.editRegistrationContract(opts.serial, opts.secret, choice);
    return opts.json ? printJson(deps, { registration }) : deps.stdout(`${describeRegistration(registration)}\n`);
  }
  if (opts.action === 'select') {
    const serials = [opts.serial, ...(opts.secret ? [opts.secret] : []), ...(opts.more ?? [])];
    const { results } = await client.confirmSelected(serials, choice);
    if (opts.json) return printJson(deps, { results });
    for (const r of results) deps.stdout(r.ok && r.registration ? `${describeRegistration(r.registration)}\n` : `${r.serial}: not registered: ${r.error ?? ''}: ${r.reason ?? ''}\n`);
    const refused = results.filter((r) => !r.ok).length;
    if (refused > 0) throw new AbortError(`${refused} of ${results.length} registrations were not completed.`);
    return;
  }
  let secret = opts.secret;
  if (secret === undefined) {
    const stdin = deps.stdin ?? process.stdin;
    if ((stdin as { isTTY?: boolean }).isTTY) (deps.stderr ?? ((t: string) => process.stderr.write(t)))(`Registration token for ${opts.serial}: `);
    secret = await readFirstLine(stdin);
  }
  if (!secret) throw new AbortError(`No registration token for ${opts.serial}.`, 'Pipe it in (callhome registration confirm SERIAL < token.txt) or type it at the prompt; it is in the Pending Registration e-mail.');
  // The mail's confirm link carries the token (S11): pasting the link is as good as pasting the token.
  const link = parseConfirmLink(secret);
  if (link && link.serial !== opts.serial) throw new AbortError(`The link is for serial ${link.serial}, not ${opts.serial}.`);
  const { registration } = await client.confirmRegistration(opts.serial, link?.token ?? secret, choice);
  if (opts.json) return printJson(deps, { registration });
  deps.stdout(`${describeRegistration(registration)}\n`);
}

/** `callhome registration`: Confirm or delete a device registration. */
export const registrationCommand: CommandModule<object, RegistrationOptions> = {
  command: 'registration <action> <serial> [secret] [more..]',
  describe: 'Confirm (with the token, or by selection), change the contract of, or delete a device registration; unlock a user',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .positional('action', { choices: ['confirm', 'select', 'contract', 'delete', 'unlock'] as const, describe: 'confirm SERIAL [TOKEN|LINK] | select SERIAL… | contract SERIAL CONTRACT | delete SERIAL | unlock USER' })
      .positional('serial', { type: 'string', demandOption: true, describe: 'Chassis serial number (unlock: the user)' })
      .positional('secret', { type: 'string', describe: 'confirm: security token or confirm link from the Pending Registration e-mail (default: read from standard input); contract: the contract number; select: another serial' })
      .positional('more', { type: 'string', array: true, describe: 'select: more serials' })
      .option('profile', { type: 'string', describe: 'The CCO profile the entitlement decision is for (SCH Support acting for a user)' })
      .option('contract', { type: 'string', describe: 'confirm, select: the contract to register under (default: the one the rules pick)' }) as unknown as Argv<RegistrationOptions>,
  handler: (argv: ArgumentsCamelCase<RegistrationOptions>) => runRegistration(argv),
};
