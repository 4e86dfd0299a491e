/**
 * Prints a fleet run: `--json` (one `{results, summary}` document), `--ndjson` (one result per line,
 * then the summary), a TTY (live progress on stderr, a table at the end) or plain lines. Each command
 * gives its FleetView; the columns are the same for every command.
 */
import { ExitCode } from '../errors.js';
import { toContractResult, type FleetEvent, type FleetResult, type FleetSummary } from '../domain/fleet.js';
import { assertNever } from '../util/assert-never.js';
import { advanceProgress, formatProgress, startProgress } from './progress.js';
import { renderTable, type Column } from './table.js';
import { terminalSafeLines as terminalSafe } from '../util/terminal-text.js';

export type OutputMode = 'json' | 'ndjson' | 'tty' | 'plain';

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
};

/** What a printed run returns. */
export type FleetRunReport<D = unknown> = { readonly results: readonly FleetResult<D>[]; readonly summary: FleetSummary; readonly exitCode: ExitCode };

/** Chooses the mode from the flags and the terminal. */
export function outputMode(flags: { readonly json?: boolean | undefined; readonly ndjson?: boolean | undefined }, stdout: { readonly isTTY?: boolean } = process.stdout): OutputMode {
  if (flags.json) return 'json';
  if (flags.ndjson) return 'ndjson';
  return stdout.isTTY ? 'tty' : 'plain';
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

/** Consumes the run's events, prints as the mode says and returns the results and the exit code. */
export async function printFleetRun<D>(events: AsyncIterable<FleetEvent<D>>, options: FleetOutputOptions<D>): Promise<FleetRunReport<D>> {
  const { mode, stdout, stderr } = options;
  const view = options.view ?? {};
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
        if (mode === 'tty') draw(false);
        break;
      case 'device-succeeded':
      case 'device-failed':
        progress = advanceProgress(progress, event.type === 'device-succeeded' ? 'succeeded' : 'failed');
        if (mode === 'ndjson') stdout.write(`${JSON.stringify(toContractResult(event.result))}\n`);
        else if (mode === 'plain') stdout.write(`${plainLine(event.result, view)}\n`);
        else if (mode === 'tty') draw(false);
        break;
      case 'run-finished': {
        const { results, summary } = event;
        if (mode === 'json') stdout.write(`${JSON.stringify({ results: results.map(toContractResult), summary }, null, 2)}\n`);
        else if (mode === 'ndjson') stdout.write(`${JSON.stringify({ summary })}\n`);
        else {
          if (mode === 'tty') {
            draw(true);
            stderr.write('\n');
            stdout.write(`${renderTable(fleetColumns(view), results)}\n`);
          }
          const aggregate = view.aggregate?.(results);
          if (aggregate) stdout.write(`${aggregate}\n`);
          stdout.write(`${summaryLine(summary)}\n`);
        }
        return { results, summary, exitCode: fleetExitCode(summary) };
      }
      default:
        assertNever(event, 'fleet event');
    }
  }
  return { results: [], summary: { total: 0, ok: 0, failed: 0, changed: 0 }, exitCode: ExitCode.Ok };
}
