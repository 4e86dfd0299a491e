import { createInterface } from 'node:readline/promises';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendUrlOption } from '../src/cli/options.js';
import { login, rolesText, type AccountsDeps, type LoginOptions } from '../src/client/accounts.js';
import { defaultOutput, printJson, timeStyleFor } from '../src/client/output.js';
import { formatTime } from '../src/console/time-style.js';
import { promptSecret } from '../src/fleet/prompt-secret.js';
import { terminalSafeLines } from '../src/util/terminal-text.js';

/** A yes/no question on the terminal (stderr, so --json output stays clean); false without a terminal. */
async function askYesNo(question: string): Promise<boolean> {
  if (process.stdin.isTTY !== true) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

const terminalDeps: AccountsDeps = { ...defaultOutput, askPassword: (q) => promptSecret(q), confirm: askYesNo };

/** Logs in and says as whom, for which companies, and where the token is (never the token). */
export async function runLogin(opts: LoginOptions, deps: AccountsDeps = terminalDeps): Promise<void> {
  const r = await login(opts, deps);
  if (opts.json) return printJson(deps, r);
  const agreement = r.legalAgreement.accepted
    ? []
    : ['', r.legalAgreement.text ?? '', '', `The legal agreement (version ${r.legalAgreement.version}) is not accepted: nothing but the agreement answers until you do.`, 'Read it above, then run `callhome login --accept-agreement` (with your user ID).'];
  deps.stdout(
    terminalSafeLines([
      `Logged in to ${r.backend} as ${r.user.id}${r.user.name ? ` (${r.user.name})` : ''}: ${rolesText(r.user)}.`,
      `Personal token stored in ${r.tokenFile} (readable by you only)${r.expiresAt ? `; it expires ${formatTime(r.expiresAt, timeStyleFor(deps))}` : ''}.`,
      'Commands to this back end use it unless --token-file, --token or $CALLHOME_TOKEN name another; `callhome logout` revokes it.',
      ...agreement,
      '',
    ].join('\n')),
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
      .option('accept-agreement', { type: 'boolean', default: false, describe: 'Accept the legal agreement if it is pending (a terminal asks instead)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document (never the token)' })
      .example('$0 login jdoe', 'Asks for the password without echo')
      .example('CALLHOME_LOGIN_PASSWORD=… $0 login jdoe --json', 'For scripts') as unknown as Argv<LoginOptions>,
  handler: (argv: ArgumentsCamelCase<LoginOptions>) => runLogin(argv),
};
