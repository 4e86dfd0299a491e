import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { REPORT_KINDS } from '../src/backend/api/reports.js';
import { clientFor, defaultOutput, printJson, textTable, type OutputDeps } from '../src/client/output.js';

export type ReportsOptions = { backend?: string | undefined; token?: string | undefined; json: boolean; kind: string; csv: boolean };

/** Prints one report as a table, JSON, or CSV. */
export async function runReports(opts: ReportsOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const client = clientFor(opts, deps);
  if (opts.csv) return deps.stdout(await client.reportCsv(opts.kind));
  const report = await client.report(opts.kind);
  if (opts.json) return printJson(deps, report);
  deps.stdout(textTable(report.columns.map((c) => ({ header: c, cell: (r: (typeof report.rows)[number]) => r[c] })), report.rows, 'No data was found.'));
}

/** `callhome reports`: Device, history, network and registration reports. */
export const reportsCommand: CommandModule<object, ReportsOptions> = {
  command: 'reports <kind>',
  describe: 'Device, history, network and registration reports',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .positional('kind', { choices: REPORT_KINDS, describe: 'Which report' })
      .option('csv', { type: 'boolean', default: false, describe: 'Print CSV' }) as unknown as Argv<ReportsOptions>,
  handler: (argv: ArgumentsCamelCase<ReportsOptions>) => runReports(argv),
};
