/**
 * Prints a fleet run: `--json` (one `{results, summary}` document), `--ndjson` (one result per line,
 * then the summary), `failures` (the default on a terminal: live progress on stderr, then only the
 * failed devices grouped by error kind), `table` (every device) or plain lines (the default when
 * stdout is not a terminal). Each command gives its FleetView; the columns are the same for every command.
 */
import { ExitCode } from '../errors.js';
import { toContractResult, type FleetEvent, type FleetResult, type FleetSummary } from '../domain/fleet.js';
import { assertNever } from '../util/assert-never.js';
import { advanceProgress, formatProgress, startProgress } from './progress.js';
import { renderTable, type Column } from './table.js';
import { terminalSafeLines as terminalSafe } from '../util/terminal-text.js';

export const OUTPUT_MODES = ['failures', 'table', 'plain', 'json', 'ndjson'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** How one command shows its data to a person. */
export type FleetView<D> = {
  /** Description of a successful device's result (the `detail` column). */
  readonly detail?: (result: FleetResult<D>) => string;
  /** Extra human output after the per-device table (an aggregate), given all results. */
  readonly aggregate?: (results: readonly FleetResult<D>[]) => string | null;
};

/** Where and how to print. */
export type FleetOutputOptions<D> = {
  readonly mode: OutputMode;
  readonly total: number;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly view?: FleetView<D>;
  /** Draw live progress on stderr (failures and table modes); default true. */
  readonly progress?: boolean;
  /** The file the failed hosts are written to, for the `--limit @FILE` hint. */
  readonly retryFile?: string | undefined;
};

/** What a printed run returns. */
export type FleetRunReport<D = unknown> = { readonly results: readonly FleetResult<D>[]; readonly summary: FleetSummary; readonly exitCode: ExitCode };

/** Chooses the mode from the flags and the terminal. */
export function outputMode(
  flags: { readonly json?: boolean | undefined; readonly ndjson?: boolean | undefined; readonly output?: OutputMode | undefined },
  stdout: { readonly isTTY?: boolean } = process.stdout,
): OutputMode {
  if (flags.json) return 'json';
  if (flags.ndjson) return 'ndjson';
  if (flags.output !== undefined) return flags.output;
  return stdout.isTTY ? 'failures' : 'plain';
}

/** Exit code of a fleet run (docs/cli.md): 0 all ok, 2 some failed. */
export function fleetExitCode(summary: FleetSummary): ExitCode {
  return summary.failed === 0 ? ExitCode.Ok : ExitCode.PartialFailure;
}

function detailOf<D>(result: FleetResult<D>, view: FleetView<D>): string {
  return result.ok ? (view.detail?.(result) ?? '') : (result.error?.message ?? '');
}

function plainLine<D>(result: FleetResult<D>, view: FleetView<D>): string {
  if (!result.ok) return terminalSafe(`${result.host}: FAILED (${result.error?.kind ?? 'error'}) ${result.error?.message ?? ''}`);
  const detail = detailOf(result, view);
  return terminalSafe(`${result.host}: ok${result.changed ? ' (changed)' : ''}${detail ? ` ${detail}` : ''}`);
}

/** The per-device table's columns, the same for every fleet command. */
export function fleetColumns<D>(view: FleetView<D>): Column<FleetResult<D>>[] {
  return [
    { header: 'host', get: (r) => r.host },
    { header: 'status', get: (r) => (r.ok ? 'ok' : `FAILED ${r.error?.kind ?? ''}`) },
    { header: 'changed', get: (r) => (r.changed ? 'yes' : 'no') },
    { header: 'detail', get: (r) => detailOf(r, view) },
  ];
}

/** The summary line of a run. */
export function summaryLine(summary: FleetSummary): string {
  return `${summary.total} devices: ${summary.ok} ok, ${summary.failed} failed, ${summary.changed} changed`;
}

/** A ready-to-use `--limit` for the failed hosts: the retry file when there is one, else their names. */
export function retryHint(failed: readonly string[], retryFile: string | undefined): string | null {
  if (failed.length === 0) return null;
  const limit = retryFile !== undefined ? `@${retryFile}` : failed.join(',');
  return `Run again on the ${failed.length} failed: --limit ${/[\s'"$`\\]/.test(limit) ? `'${limit.replace(/'/g, `'\\''`)}'` : limit}`;
}

/** The failed devices grouped by error kind, largest group first, with each device's message. */
export function failureReport(results: readonly FleetResult[]): string {
  const byKind = new Map<string, FleetResult[]>();
  for (const r of results) {
    if (r.ok) continue;
    const kind = r.error?.kind ?? 'error';
    byKind.set(kind, [...(byKind.get(kind) ?? []), r]);
  }
  const blocks = [...byKind.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([kind, failed]) => {
      // Messages name their host first ("r3: …"); print the host only where one does not.
      const lines = failed.map((r) => {
        const message = r.error?.message ?? '';
        return `  ${message.startsWith(`${r.host}:`) ? message : `${r.host}: ${message}`}`;
      });
      return [`${kind} (${failed.length}):`, ...lines].join('\n');
    });
  return terminalSafe(blocks.join('\n'));
}

/** Consumes the run's events, prints as the mode says and returns the results and the exit code. */
export async function printFleetRun<D>(events: AsyncIterable<FleetEvent<D>>, options: FleetOutputOptions<D>): Promise<FleetRunReport<D>> {
  const { mode, stdout, stderr } = options;
  const view = options.view ?? {};
  const showProgress = (mode === 'failures' || mode === 'table') && options.progress !== false;
  let progress = startProgress(options.total);
  let lastDraw = 0;
  const draw = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    stderr.write(`\r\x1b[2K${formatProgress(progress, now)}`);
  };
  for await (const event of events) {
    switch (event.type) {
      case 'device-started':
        progress = advanceProgress(progress, 'started');
        if (showProgress) draw(false);
        break;
      case 'device-succeeded':
      case 'device-failed':
        progress = advanceProgress(progress, event.type === 'device-succeeded' ? 'succeeded' : 'failed');
        if (mode === 'ndjson') stdout.write(`${JSON.stringify(toContractResult(event.result))}\n`);
        else if (mode === 'plain') stdout.write(`${plainLine(event.result, view)}\n`);
        else if (showProgress) draw(false);
        break;
      case 'run-finished': {
        const { results, summary } = event;
        if (mode === 'json') stdout.write(`${JSON.stringify({ results: results.map(toContractResult), summary }, null, 2)}\n`);
        else if (mode === 'ndjson') stdout.write(`${JSON.stringify({ summary })}\n`);
        else {
          if (showProgress) {
            draw(true);
            stderr.write('\n');
          }
          if (mode === 'table') stdout.write(`${renderTable(fleetColumns(view), results)}\n`);
          const aggregate = view.aggregate?.(results);
          if (aggregate) stdout.write(`${aggregate}\n`);
          if (mode === 'failures' && summary.failed > 0) stdout.write(`${failureReport(results)}\n`);
          stdout.write(`${summaryLine(summary)}\n`);
          const hint = retryHint(results.filter((r) => !r.ok).map((r) => r.host), options.retryFile);
          if (hint !== null) stdout.write(`${hint}\n`);
          if (mode === 'failures' && results.length > 0) stdout.write('Every device: --output table (or --json).\n');
        }
        return { results, summary, exitCode: fleetExitCode(summary) };
      }
      default:
        assertNever(event, 'fleet event');
    }
  }
  return { results: [], summary: { total: 0, ok: 0, failed: 0, changed: 0 }, exitCode: ExitCode.Ok };
}
