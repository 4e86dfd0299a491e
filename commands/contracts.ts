import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, textTable, type OutputDeps } from '../src/client/output.js';
import { readContractsFile } from '../src/backend/contracts-file.js';

export type ContractsOptions = { backend?: string | undefined; token?: string | undefined; json: boolean; action: string; file?: string | undefined };

/**
 * `contracts import FILE` sends the file's rows to the running back end through the API (so the
 * server re-runs entitlement and publishes the registration changes); `contracts list` shows them.
 */
export async function runContracts(opts: ContractsOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const client = clientFor(opts, deps);
  if (opts.action === 'import') {
    const file = readContractsFile(opts.file ?? '');
    const r = file.kind === 'rows' ? await client.importContracts(file.rows) : await client.importBackOffice(file.backOffice);
    return opts.json ? printJson(deps, r) : deps.stdout(`Imported ${r.imported} ${file.kind === 'rows' ? 'contract rows' : 'back-office records'}; ${r.changed} registrations changed state.\n`);
  }
  const { contracts } = await client.contracts();
  if (opts.json) return printJson(deps, { contracts });
  deps.stdout(
    textTable(
      [
        { header: 'Serial', cell: (c: (typeof contracts)[number]) => c.serial },
        { header: 'Contract', cell: (c) => c.contractNumber || '(installed base, not covered)' },
        { header: 'Type', cell: (c) => c.contractType },
        { header: 'Company', cell: (c) => c.company },
        { header: 'Expires', cell: (c) => c.expiresAt },
      ],
      contracts,
      'No contracts imported.',
    ),
  );
}

/** `callhome contracts`: Import or list the contracts (entitlement) table. */
export const contractsCommand: CommandModule<object, ContractsOptions> = {
  command: 'contracts <action> [file]',
  describe: 'Import (YAML or CSV) or list the contracts table used for entitlement',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .positional('action', { choices: ['import', 'list'] as const })
      .positional('file', { type: 'string', describe: 'Contracts file: YAML or .csv with serial, contract, type, company, expires' })
      .check((a) => a['action'] !== 'import' || typeof a['file'] === 'string' || 'Give the file: callhome contracts import FILE') as unknown as Argv<ContractsOptions>,
  handler: (argv: ArgumentsCamelCase<ContractsOptions>) => runContracts(argv),
};
