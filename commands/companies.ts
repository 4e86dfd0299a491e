import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions } from '../src/cli/options.js';
import { accountsClient, type AccountsDeps, type BackendFlags } from '../src/client/accounts.js';
import type { ApiCompany } from '../src/client/api-client.js';
import { defaultOutput, printList } from '../src/client/output.js';

/** Lists the companies the caller belongs to (every company for the SCH administrator). */
export async function runCompanies(opts: BackendFlags, deps: AccountsDeps = defaultOutput): Promise<void> {
  const { companies } = await accountsClient(opts, deps).companies();
  const columns = [
    { header: 'Company', cell: (c: ApiCompany) => c.id },
    { header: 'Name', cell: (c: ApiCompany) => c.name },
    { header: 'Administrators', cell: (c: ApiCompany) => c.administrators.join(', ') },
    { header: 'Users', cell: (c: ApiCompany) => c.users ?? '' },
  ];
  printList(deps, opts.json, 'companies', companies, columns, 'No companies you belong to.');
}

/** `callhome companies [list]`. */
export const companiesCommand: CommandModule<object, BackendFlags> = {
  command: 'companies [action]',
  describe: 'List the companies you belong to',
  builder: (y: Argv) =>
    withBackendOptions(y)
      .positional('action', { choices: ['list'] as const, default: 'list', describe: 'list' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document' }) as unknown as Argv<BackendFlags>,
  handler: (argv: ArgumentsCamelCase<BackendFlags>) => runCompanies(argv),
};
