import { extname } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { DEVICE_SEARCH_FLAGS, withBackendOptions, withDeviceSearchOptions, withOutputOptions, type DeviceSearchFlags } from '../src/cli/options.js';
import { REPORT_CRITERIA, REPORT_KINDS, type ReportKind } from '../src/backend/api/reports.js';
import { ADVISORY_TYPES } from '../src/backend/reports/advisories.js';
import { EXPORT_FORMATS, type ExportFormat } from '../src/backend/reports/export.js';
import type { ApiDeviceDetails, ReportQuery } from '../src/client/api-client.js';
import { clientFor, defaultOutput, printJson, textTable, type OutputDeps } from '../src/client/output.js';
import { parseMessageType, parseTimeFlag } from '../src/client/query-flags.js';
import { AbortError } from '../src/errors.js';

export type ReportsOptions = {
  backend?: string | undefined;
  token?: string | undefined;
  tokenFile?: string | undefined;
  json: boolean;
  kind: string;
  /** `reports device SERIAL`: that device's details (S70). */
  deviceSerial?: string | undefined;
  csv: boolean;
  format?: string | undefined;
  output?: string | undefined;
  type?: string | undefined;
  device?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  cursor?: string | undefined;
} & DeviceSearchFlags;

/** Flag names as typed, for the usage errors. */
const FLAG: Readonly<Record<keyof ReportQuery, string>> = {
  ...DEVICE_SEARCH_FLAGS,
  type: '--type',
  device: '--device',
  since: '--since',
  until: '--until',
  cursor: '--cursor',
};

/** The report's criteria from the flags, checked before the back end is asked (a flag this report does not take is a usage error). */
function criteriaFrom(kind: ReportKind, o: ReportsOptions): ReportQuery {
  const q: ReportQuery = {};
  const allowed: readonly string[] = REPORT_CRITERIA[kind];
  for (const key of Object.keys(FLAG) as (keyof ReportQuery)[]) {
    const value = o[key];
    if (value === undefined) continue;
    if (!allowed.includes(key)) throw new AbortError(`The ${kind} report does not take ${FLAG[key]}.`, `It takes ${REPORT_CRITERIA[kind].map((k) => FLAG[k]).join(', ') || 'no criteria'}.`);
    q[key] = value;
  }
  if (q.since !== undefined) q.since = parseTimeFlag(q.since, '--since');
  if (q.until !== undefined) q.until = parseTimeFlag(q.until, '--until');
  if (q.type !== undefined && kind === 'history') q.type = parseMessageType(q.type);
  if (q.type !== undefined && kind === 'alerts') {
    const t = q.type.trim().toLowerCase();
    if (!(ADVISORY_TYPES as readonly string[]).includes(t)) throw new AbortError(`--type ${JSON.stringify(q.type)} is not an advisory type.`, `Give one of ${ADVISORY_TYPES.join(', ')}.`);
    q.type = t;
  }
  return q;
}

/** The format: --format, else --csv / --json, else the --output file's extension, else a table (null). */
function formatFrom(o: ReportsOptions): ExportFormat | null {
  if (o.format !== undefined) {
    const f = o.format.trim().toLowerCase();
    if (!(EXPORT_FORMATS as readonly string[]).includes(f)) throw new AbortError(`--format ${JSON.stringify(o.format)} is not a report format.`, `Give one of ${EXPORT_FORMATS.join(', ')}.`);
    return f as ExportFormat;
  }
  if (o.csv) return 'csv';
  if (o.json) return 'json';
  if (o.output !== undefined) {
    const ext = extname(o.output).slice(1).toLowerCase();
    if ((EXPORT_FORMATS as readonly string[]).includes(ext)) return ext as ExportFormat;
    throw new AbortError(`Cannot tell the format of ${o.output} from its name.`, `Give --format ${EXPORT_FORMATS.join('|')}.`);
  }
  return null;
}

/**
 * Prints a report as a table, JSON or CSV, or saves it in any format (CSV, JSON, Excel, PDF) with
 * --output; `reports device SERIAL` does the same for one device's details.
 */
export async function runReports(opts: ReportsOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  if (!(REPORT_KINDS as readonly string[]).includes(opts.kind)) throw new AbortError(`There is no ${opts.kind} report.`, `Name one of ${REPORT_KINDS.join(', ')}.`);
  const kind = opts.kind as ReportKind;
  if (opts.deviceSerial !== undefined && kind !== 'device') throw new AbortError(`Only the device report takes a serial number (${opts.kind} ${opts.deviceSerial}).`, 'Use --serial to search the report.');
  const format = formatFrom(opts);
  const query = opts.deviceSerial === undefined ? criteriaFrom(kind, opts) : {};
  if ((format === 'xlsx' || format === 'pdf') && opts.output === undefined) throw new AbortError(`--format ${format} writes a file.`, `Give --output FILE (e.g. --output report.${format}).`);
  const client = clientFor(opts, deps);
  const serial = opts.deviceSerial;
  if (opts.output !== undefined && format !== null) {
    const bytes = serial === undefined ? await client.saveReport(kind, format, opts.output, query) : await client.saveDeviceDetails(serial, format, opts.output);
    (deps.stderr ?? ((t: string) => process.stderr.write(t)))(`Wrote ${opts.output} (${format}, ${bytes} bytes).\n`);
    return;
  }
  if (serial !== undefined) {
    if (format === 'csv') return deps.stdout(await client.deviceDetailsCsv(serial));
    const details = await client.deviceDetails(serial);
    if (format === 'json') return printJson(deps, details);
    return deps.stdout(detailsText(details));
  }
  if (format === 'csv') return deps.stdout(await client.reportCsv(kind, query));
  const report = await client.report(kind, query);
  if (format === 'json') return printJson(deps, report);
  const headers = report.headers ?? report.columns;
  deps.stdout(textTable(report.columns.map((c, i) => ({ header: headers[i] ?? c, cell: (r: (typeof report.rows)[number]) => r[c] })), report.rows, report.empty ?? 'No data was found.'));
  if (report.next) deps.stdout(`More: --cursor ${report.next}\n`);
}

/** Device Details as a person reads them: one block per category. */
function detailsText(d: ApiDeviceDetails): string {
  const block = (title: string, o: Record<string, string | null>): string => `${title}\n${Object.entries(o).map(([k, v]) => `  ${k}: ${v ?? ''}`).join('\n')}\n`;
  const table = (title: string, rows: Record<string, string>[], empty: string): string => `${title}\n${rows.length === 0 ? `  ${empty}\n` : textTable(Object.keys(rows[0] ?? {}).map((k) => ({ header: k, cell: (r: Record<string, string>) => r[k] })), rows, empty)}`;
  const c = d.configuration;
  return [
    block(`Device ${d.serial}`, { ...d.device, ...d.dates }),
    block('Contact', d.contact),
    table('Hardware modules', d.modules, 'No modules in the inventory.'),
    ...(d.submodules.length ? [table('Submodules', d.submodules, '')] : []),
    table('Power supplies', d.powerSupplies, 'No power supply data in the inventory.'),
    block('Software', d.software),
    c.available ? block('Configuration', { date: c.date, runningConfig: c.runningConfig, startupConfig: c.startupConfig ?? 'not available', technologies: c.technologies.join(', ') }) : `Configuration\n  ${c.message ?? ''}\n`,
  ].join('\n');
}

/** Which report takes which criteria, from REPORT_CRITERIA (the help's epilog). */
const CRITERIA_HELP = `Criteria each report takes: ${REPORT_KINDS.map((k) => `${k}: ${REPORT_CRITERIA[k].map((c) => FLAG[c]).join(', ') || 'none'}`).join('; ')}.`;

/** `callhome reports`: the portal reports, searched, printed or saved as CSV, JSON, Excel or PDF. */
export const reportsCommand: CommandModule<object, ReportsOptions> = {
  command: 'reports <kind> [device-serial]',
  describe: 'Device, history, network, registration and product-alert reports (CSV, JSON, Excel, PDF)',
  builder: (y: Argv) =>
    withDeviceSearchOptions(withBackendOptions(withOutputOptions(y)))
      .epilog(CRITERIA_HELP)
      .positional('kind', { choices: REPORT_KINDS, describe: 'Which report' })
      .positional('device-serial', { type: 'string', describe: 'device: the details of this device (serial number)' })
      .option('csv', { type: 'boolean', default: false, describe: 'Print CSV (same as --format csv)' })
      .option('format', { type: 'string', describe: `${EXPORT_FORMATS.join(', ')} (default: a table; from the --output extension)` })
      .option('output', { type: 'string', describe: 'Save to this file (required for xlsx and pdf)' })
      .option('type', { type: 'string', describe: `history: message type; alerts: ${ADVISORY_TYPES.join(', ')}` })
      .option('device', { type: 'string', describe: 'alerts: part of the host name or serial' })
      .option('since', { type: 'string', describe: 'history: received at or after; alerts: published on or after (ISO date or age: 7d)' })
      .option('until', { type: 'string', describe: 'history: received before; alerts: published before' })
      .option('cursor', { type: 'string', describe: 'history: continue from the `next` of a capped answer' }) as unknown as Argv<ReportsOptions>,
  handler: (argv: ArgumentsCamelCase<ReportsOptions>) => runReports(argv),
};
