import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions } from '../src/cli/options.js';
import { accountsClient, required, type AccountsDeps, type BackendFlags } from '../src/client/accounts.js';
import type { ApiTokenInfo } from '../src/client/api-client.js';
import { defaultOutput, printJson, printList, timeStyleFor } from '../src/client/output.js';
import { formatTime } from '../src/console/time-style.js';

export type TokensOptions = BackendFlags & { action: 'list' | 'revoke'; id?: string | undefined; user?: string | undefined };

/** `tokens list | revoke ID`: your personal tokens (the SCH administrator: anyone's, `--user` to narrow). */
export async function runTokens(opts: TokensOptions, deps: AccountsDeps = defaultOutput): Promise<void> {
  const api = accountsClient(opts, deps);
  if (opts.action === 'revoke') {
    const id = required(opts.id, 'the token ID', 'callhome tokens revoke ID (IDs from `callhome tokens`)');
    const r = await api.revokeToken(id);
    return opts.json ? printJson(deps, r) : deps.stdout(`Token ${id} revoked: requests and open streams using it are refused from now on.\n`);
  }
  const { tokens } = await api.tokens(opts.user);
  const style = timeStyleFor(deps);
  const columns = [
    { header: 'Token', cell: (t: ApiTokenInfo) => t.id },
    { header: 'User', cell: (t: ApiTokenInfo) => t.user },
    { header: 'Label', cell: (t: ApiTokenInfo) => t.label },
    { header: 'State', cell: (t: ApiTokenInfo) => t.state },
    { header: 'Created', cell: (t: ApiTokenInfo) => formatTime(t.createdAt, style) },
    { header: 'Expires', cell: (t: ApiTokenInfo) => formatTime(t.expiresAt, style) },
    { header: 'Last used', cell: (t: ApiTokenInfo) => formatTime(t.lastUsedAt, style) },
    { header: 'From', cell: (t: ApiTokenInfo) => t.createdFrom ?? '' },
  ];
  printList(deps, opts.json, 'tokens', tokens, columns, 'No tokens.');
}

/** `callhome tokens`. */
export const tokensCommand: CommandModule<object, TokensOptions> = {
  command: 'tokens [action] [id]',
  describe: 'List personal API tokens (never their secrets) or revoke one',
  builder: (y: Argv) =>
    withBackendOptions(y)
      .positional('action', { choices: ['list', 'revoke'] as const, default: 'list', describe: 'list | revoke ID' })
      .positional('id', { type: 'string', describe: 'Token ID (from the list)' })
      .option('user', { type: 'string', describe: "list: another user's tokens (SCH administrator)" })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document' }) as unknown as Argv<TokensOptions>,
  handler: (argv: ArgumentsCamelCase<TokensOptions>) => runTokens(argv),
};
