import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions } from '../src/cli/options.js';
import { accountsClient, required, setPreferences, type AccountsDeps, type BackendFlags, type PreferenceFlags } from '../src/client/accounts.js';
import type { ApiPreferences } from '../src/client/api-client.js';
import { defaultOutput, printJson } from '../src/client/output.js';
import { terminalSafeLines } from '../src/util/terminal-text.js';

export type PreferencesOptions = BackendFlags & PreferenceFlags & { action: 'get' | 'set'; serial?: string | undefined };

function preferencesText(p: ApiPreferences): string {
  return terminalSafeLines(
    [
      `Device ${p.serial}`,
      `  notifications     ${p.notifications ? 'on' : 'off'}`,
      `  service requests  ${p.serviceRequests ? 'on' : 'off'}`,
      `  SR contact        ${p.srContact ?? '(none)'}`,
      `  extra e-mails     ${p.emails.length > 0 ? p.emails.join(', ') : '(none)'}`,
      '',
    ].join('\n'),
  );
}

/** `preferences get SERIAL` (any member) or `preferences set SERIAL …` (Administrators of the device's company). */
export async function runPreferences(opts: PreferencesOptions, deps: AccountsDeps = defaultOutput): Promise<void> {
  const api = accountsClient(opts, deps);
  const serial = required(opts.serial, 'the device serial', `callhome preferences ${opts.action} FOC1234X0AB`);
  const p = opts.action === 'set' ? await setPreferences(api, serial, opts) : await api.preferences(serial);
  return opts.json ? printJson(deps, p) : deps.stdout(preferencesText(p));
}

/** `callhome preferences get|set SERIAL`. */
export const preferencesCommand: CommandModule<object, PreferencesOptions> = {
  command: 'preferences <action> <serial>',
  describe: "Show or change a device's preferences: notifications, service requests, SR contact, extra e-mails",
  builder: (y: Argv) =>
    withBackendOptions(y)
      .positional('action', { choices: ['get', 'set'] as const, describe: 'get | set' })
      .positional('serial', { type: 'string', describe: 'Chassis serial number' })
      .option('notifications', { type: 'string', describe: 'set: on | off (notification e-mails for this device)' })
      .option('service-requests', { type: 'string', describe: 'set: on | off (automatic service requests)' })
      .option('sr-contact', { type: 'string', describe: 'set: user ID of an Administrator of the company, or none' })
      .option('emails', { type: 'string', describe: 'set: the extra notification addresses, comma-separated (none clears)' })
      .option('add-email', { type: 'string', array: true, describe: 'set: add these addresses' })
      .option('remove-email', { type: 'string', array: true, describe: 'set: remove these addresses' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document' })
      .example('$0 preferences set FOC1234X0AB --service-requests off --add-email noc@example.com', '') as unknown as Argv<PreferencesOptions>,
  handler: (argv: ArgumentsCamelCase<PreferencesOptions>) => runPreferences(argv),
};
