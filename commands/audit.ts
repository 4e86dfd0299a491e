import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { accountsClient, type AccountsDeps, type BackendFlags } from '../src/client/accounts.js';
import type { ApiAuditEntry } from '../src/client/api-client.js';
import { defaultOutput, printJson, textTable, timeStyleFor } from '../src/client/output.js';
import { formatTime } from '../src/console/time-style.js';
import { AbortError } from '../src/errors.js';

export type AuditOptions = BackendFlags & { since?: string | undefined; max?: string | number | undefined; ndjson?: boolean | undefined };

/** The audit log (Administrators: their companies; the SCH administrator: all), oldest first. */
export async function runAudit(opts: AuditOptions, deps: AccountsDeps = defaultOutput): Promise<void> {
  const max = opts.max === undefined ? undefined : Number(opts.max);
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 1000)) throw new AbortError(`--max ${String(opts.max)} is not a whole number from 1 to 1000.`, 'Give e.g. --max 100.');
  const { entries } = await accountsClient(opts, deps).audit({ since: opts.since, limit: max });
  if (opts.ndjson) return entries.forEach((e) => deps.stdout(`${JSON.stringify(e)}\n`));
  if (opts.json) return printJson(deps, { entries });
  const style = timeStyleFor(deps);
  const columns = [
    { header: 'When', cell: (e: ApiAuditEntry) => formatTime(e.at, style) },
    { header: 'Who', cell: (e: ApiAuditEntry) => e.actor },
    { header: 'Action', cell: (e: ApiAuditEntry) => e.action },
    { header: 'Target', cell: (e: ApiAuditEntry) => e.target ?? '' },
    { header: 'Company', cell: (e: ApiAuditEntry) => e.company ?? '' },
    { header: 'From', cell: (e: ApiAuditEntry) => e.remote ?? '' },
  ];
  deps.stdout(textTable(columns, entries, 'No audit entries.'));
}

/** `callhome audit`. */
export const auditCommand: CommandModule<object, AuditOptions> = {
  command: 'audit',
  describe: 'Read the audit log: who did what, when, from where (Administrators)',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .option('since', { type: 'string', describe: 'Only entries at or after this ISO 8601 time' })
      .option('max', { type: 'string', describe: 'At most this many entries: 1-1000' }) as unknown as Argv<AuditOptions>,
  handler: (argv: ArgumentsCamelCase<AuditOptions>) => runAudit(argv),
};
