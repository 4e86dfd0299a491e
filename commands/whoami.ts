import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions } from '../src/cli/options.js';
import { rolesText, whoami, type AccountsDeps, type BackendFlags } from '../src/client/accounts.js';
import { defaultOutput, printJson } from '../src/client/output.js';

const SOURCES: Record<string, string> = { session: 'your stored login', env: '$CALLHOME_TOKEN', file: '--token-file', flag: '--token' };

/** Says who the back end takes the caller for. */
export async function runWhoami(opts: BackendFlags, deps: AccountsDeps = defaultOutput): Promise<void> {
  const r = await whoami(opts, deps);
  if (opts.json) return printJson(deps, r);
  const pending = r.me.status === 'pending-legal-agreement' ? ' The legal agreement is not accepted yet: `callhome login --accept-agreement`.' : '';
  deps.stdout(`${r.me.user}${r.me.name ? ` (${r.me.name})` : ''} at ${r.backend}: ${rolesText(r.me)} (token from ${SOURCES[r.tokenSource ?? ''] ?? 'the caller'}).${pending}\n`);
}

/** `callhome whoami`. */
export const whoamiCommand: CommandModule<object, BackendFlags> = {
  command: 'whoami',
  describe: 'Show who the back end takes you for, with your roles per company',
  builder: (y: Argv) => withBackendOptions(y).option('json', { type: 'boolean', default: false, describe: 'Print one JSON document' }) as unknown as Argv<BackendFlags>,
  handler: (argv: ArgumentsCamelCase<BackendFlags>) => runWhoami(argv),
};
