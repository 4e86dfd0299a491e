/** Fleet-wide totals of `show call-home statistics`, for the human twin of `callhome stats`. */
import { STATS_ROWS, STATS_SECTIONS, type CallHomeStatistics, type StatsSection } from '../domain/statistics.js';
import type { FleetResult } from '../domain/fleet.js';
import { renderTable } from './table.js';

type Totals = Record<StatsSection, number>;

/** Sums each row's total per section over the devices that returned statistics. */
export function aggregateStatistics(results: readonly FleetResult<CallHomeStatistics>[]): string | null {
  const stats = results.flatMap((r) => (r.ok && r.data !== null ? [r.data] : []));
  if (stats.length === 0) return null;
  const rows = STATS_ROWS.map((row) => {
    const totals = Object.fromEntries(STATS_SECTIONS.map((s) => [s, 0])) as Totals;
    let seen = false;
    for (const device of stats) {
      for (const section of STATS_SECTIONS) {
        const cell = device.sections[section][row];
        if (cell) {
          totals[section] += cell.total;
          seen = true;
        }
      }
    }
    return { row, totals, seen };
  }).filter((r) => r.seen);
  return renderTable(
    [{ header: `all ${stats.length} devices`, get: (r: (typeof rows)[number]) => r.row }, ...STATS_SECTIONS.map((s) => ({ header: s, get: (r: (typeof rows)[number]) => r.totals[s] }))],
    rows,
  );
}

/** One-line description of a device's statistics. */
export function describeStatistics(result: FleetResult<CallHomeStatistics>): string {
  const stats = result.data;
  if (stats === null) return '';
  const total = stats.sections.success.total?.total ?? 0;
  const failed = stats.sections.failed.total?.total ?? 0;
  return `sent ${total}, failed ${failed}, last ${stats.lastSent ?? 'n/a'}`;
}
