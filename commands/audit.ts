import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { numberFlag, withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { accountsClient, type AccountsDeps, type BackendFlags } from '../src/client/accounts.js';
import type { ApiAuditEntry } from '../src/client/api-client.js';
import { defaultOutput, printList, timeStyleFor } from '../src/client/output.js';
import { formatTime } from '../src/console/time-style.js';

export type AuditOptions = BackendFlags & { before?: string | number | undefined; max?: string | number | undefined; ndjson?: boolean | undefined };

/** The audit log (Administrators: their companies; the SCH administrator: all), newest first. */
export async function runAudit(opts: AuditOptions, deps: AccountsDeps = defaultOutput): Promise<void> {
  // String flags, checked here so that callers of runAudit get the same refusal as the command line.
  const max = opts.max === undefined ? undefined : numberFlag('--max', opts.max, { whole: true, min: 1, max: 1000, example: 100 });
  const before = opts.before === undefined ? undefined : numberFlag('--before', opts.before, { whole: true, min: 1, noun: 'an audit entry ID', hint: 'the ID of the oldest entry you have, to read older ones' });
  const { entries } = await accountsClient(opts, deps).audit({ before, limit: max });
  if (opts.ndjson) return entries.forEach((e) => deps.stdout(`${JSON.stringify(e)}\n`));
  const style = timeStyleFor(deps);
  const columns = [
    { header: 'Id', cell: (e: ApiAuditEntry) => e.id },
    { header: 'When', cell: (e: ApiAuditEntry) => formatTime(e.at, style) },
    { header: 'Who', cell: (e: ApiAuditEntry) => e.actor },
    { header: 'Action', cell: (e: ApiAuditEntry) => e.action },
    { header: 'Target', cell: (e: ApiAuditEntry) => e.target },
    { header: 'Company', cell: (e: ApiAuditEntry) => e.company ?? '' },
    { header: 'From', cell: (e: ApiAuditEntry) => e.remote ?? '' },
  ];
  printList(deps, opts.json, 'entries', entries, columns, 'No audit entries.');
}

/** `callhome audit`. */
export const auditCommand: CommandModule<object, AuditOptions> = {
  command: 'audit',
  describe: 'Read the audit log: who did what, when, from where (Administrators)',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .option('before', { type: 'string', describe: 'Only entries older than this entry ID (to page back)' })
      .option('max', { type: 'string', describe: 'At most this many entries, newest first: 1-1000 (default 200)' }) as unknown as Argv<AuditOptions>,
  handler: (argv: ArgumentsCamelCase<AuditOptions>) => runAudit(argv),
};
