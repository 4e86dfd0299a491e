import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendUrlOption } from '../src/cli/options.js';
import { login, rolesText, type AccountsDeps, type LoginOptions } from '../src/client/accounts.js';
import { defaultOutput, printJson, timeStyleFor } from '../src/client/output.js';
import { formatTime } from '../src/console/time-style.js';
import { promptSecret } from '../src/fleet/prompt-secret.js';

/** Logs in and says as whom, for which companies, and where the token is (never the token). */
export async function runLogin(opts: LoginOptions, deps: AccountsDeps = { ...defaultOutput, askPassword: (q) => promptSecret(q) }): Promise<void> {
  const r = await login(opts, deps);
  if (opts.json) return printJson(deps, r);
  deps.stdout(
    [
      `Logged in to ${r.backend} as ${r.user.id}${r.user.name ? ` (${r.user.name})` : ''}: ${rolesText(r.user)}.`,
      `Personal token stored in ${r.tokenFile} (readable by you only)${r.expiresAt ? `; it expires ${formatTime(r.expiresAt, timeStyleFor(deps))}` : ''}.`,
      'Commands to this back end use it unless --token-file, --token or $CALLHOME_TOKEN name another; `callhome logout` revokes it.',
      '',
    ].join('\n'),
  );
}

/** `callhome login [USER]`: exchange a password for a personal token. */
export const loginCommand: CommandModule<object, LoginOptions> = {
  command: 'login [user]',
  describe: 'Log in to the back end with your user ID and password; stores your personal token (0600 file)',
  builder: (y: Argv) =>
    withBackendUrlOption(y)
      .positional('user', { type: 'string', describe: 'User ID (default: $CALLHOME_USER)' })
      .option('password-file', { type: 'string', describe: 'File whose first line is the password (default: $CALLHOME_LOGIN_PASSWORD, a prompt, or standard input)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document (never the token)' })
      .example('$0 login jdoe', 'Asks for the password without echo')
      .example('CALLHOME_LOGIN_PASSWORD=… $0 login jdoe --json', 'For scripts') as unknown as Argv<LoginOptions>,
  handler: (argv: ArgumentsCamelCase<LoginOptions>) => runLogin(argv),
};
