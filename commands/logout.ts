import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendUrlOption } from '../src/cli/options.js';
import { logout, type AccountsDeps, type LogoutOptions } from '../src/client/accounts.js';
import { defaultOutput, printJson } from '../src/client/output.js';

export type LogoutCommandOptions = LogoutOptions & { json: boolean };

/** Revokes the stored login token and removes its file. */
export async function runLogout(opts: LogoutCommandOptions, deps: AccountsDeps = defaultOutput): Promise<void> {
  const r = await logout(opts, deps);
  if (opts.json) return printJson(deps, r);
  deps.stdout(r.loggedOut ? `Logged out ${r.user ?? ''} from ${r.backend}: the token is revoked and its file removed.\n` : `Not logged in to ${r.backend}; nothing to do.\n`);
}

/** `callhome logout`. */
export const logoutCommand: CommandModule<object, LogoutCommandOptions> = {
  command: 'logout',
  describe: 'Revoke your stored login token at the back end and remove it',
  builder: (y: Argv) => withBackendUrlOption(y).option('json', { type: 'boolean', default: false, describe: 'Print one JSON document' }) as unknown as Argv<LogoutCommandOptions>,
  handler: (argv: ArgumentsCamelCase<LogoutCommandOptions>) => runLogout(argv),
};
