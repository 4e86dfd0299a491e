/**
 * Prints a fleet run: `--json` (one `{results, summary}` document), `--ndjson` (one result per line,
 * then the summary), a TTY (live progress on stderr, a table at the end) or plain lines.
 */
import { ExitCode } from '../errors.js';
import type { FleetEvent, FleetResult, FleetSummary } from '../fleet/runner.js';
import { assertNever } from '../util/assert-never.js';
import { advanceProgress, formatProgress, startProgress } from './progress.js';
import { renderTable, type Column } from './table.js';

export type OutputMode = 'json' | 'ndjson' | 'tty' | 'plain';

/** Where and how to print. */
export type FleetOutputOptions = {
  readonly mode: OutputMode;
  readonly total: number;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** One-line description of a successful device's data, for human output. */
  readonly describe?: (result: FleetResult) => string;
  /** Extra human output after the per-device table (an aggregate), given all results. */
  readonly aggregate?: (results: readonly FleetResult[]) => string | null;
};

/** The contract shape of one result (docs/cli.md). */
export function toContractResult(result: FleetResult): Omit<FleetResult, 'durationMs'> {
  return { host: result.host, ok: result.ok, changed: result.changed, commands: result.commands, data: result.data, error: result.error };
}

/** Chooses the mode from the flags and the terminal. */
export function outputMode(flags: { readonly json?: boolean; readonly ndjson?: boolean }, stdout: { readonly isTTY?: boolean } = process.stdout): OutputMode {
  if (flags.json) return 'json';
  if (flags.ndjson) return 'ndjson';
  return stdout.isTTY ? 'tty' : 'plain';
}

/** Exit code of a fleet run (docs/cli.md): 0 all ok, 2 some failed. */
export function fleetExitCode(summary: FleetSummary): ExitCode {
  return summary.failed === 0 ? ExitCode.Ok : ExitCode.PartialFailure;
}

function plainLine(result: FleetResult, describe?: (r: FleetResult) => string): string {
  if (!result.ok) return `${result.host}: FAILED (${result.error?.kind ?? 'error'}) ${result.error?.message ?? ''}`;
  const detail = describe?.(result) ?? '';
  return `${result.host}: ok${result.changed ? ' (changed)' : ''}${detail ? ` ${detail}` : ''}`;
}

const columns = (describe?: (r: FleetResult) => string): Column<FleetResult>[] => [
  { header: 'host', cell: (r) => r.host },
  { header: 'status', cell: (r) => (r.ok ? 'ok' : `FAILED ${r.error?.kind ?? ''}`) },
  { header: 'changed', cell: (r) => (r.changed ? 'yes' : 'no') },
  { header: 'detail', cell: (r) => (r.ok ? (describe?.(r) ?? '') : (r.error?.message ?? '')) },
];

/** Consumes the run's events, prints as the mode says and returns the results and the exit code. */
export async function printFleetRun(
  events: AsyncIterable<FleetEvent>,
  options: FleetOutputOptions,
): Promise<{ readonly results: readonly FleetResult[]; readonly summary: FleetSummary; readonly exitCode: ExitCode }> {
  const { mode, stdout, stderr } = options;
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
        else if (mode === 'plain') stdout.write(`${plainLine(event.result, options.describe)}\n`);
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
            stdout.write(`${renderTable(columns(options.describe), results)}\n`);
          }
          const aggregate = options.aggregate?.(results);
          if (aggregate) stdout.write(`${aggregate}\n`);
          stdout.write(`${summary.total} devices: ${summary.ok} ok, ${summary.failed} failed, ${summary.changed} changed\n`);
        }
        return { results, summary, exitCode: fleetExitCode(summary) };
      }
      default:
        assertNever(event, 'fleet event');
    }
  }
  const empty = { total: 0, ok: 0, failed: 0, changed: 0 };
  return { results: [], summary: empty, exitCode: ExitCode.Ok };
}
