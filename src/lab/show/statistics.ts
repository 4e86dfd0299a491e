/** `show call-home statistics` in the canonical layout of spec §3.5.7. */
import type { CallHomeStatistics, StatsCell, StatsRow, StatsSection, StatsTable } from '../../domain/statistics.js';
import { col, lines } from './format.js';

const LABEL = 19;
const NUM = 15;

/** Rows IOS prints in each section, with their labels; crash/snapshot/sch count in the totals only. */
const ROWS: readonly (readonly [StatsRow, string])[] = [
  ['config', 'Config'],
  ['diagnostic', 'Diagnostic'],
  ['environment', 'Environment'],
  ['inventory', 'Inventory'],
  ['syslog', 'SysLog'],
  ['test', 'Test'],
  ['request', 'Request'],
  ['sendCli', 'Send-CLI'],
];

const TITLES: Readonly<Record<StatsSection, string>> = {
  success: 'Total Success',
  inQueue: 'Total In-Queue',
  failed: 'Total Failed',
  ratelimitDropped: 'Total Ratelimit',
};

const ZERO: StatsCell = { total: 0, email: 0, http: 0 };

function numbers(c: StatsCell): string {
  return `${col(String(c.total), NUM)}${col(String(c.email), NUM)}${c.http}`;
}

/** The section total: the `total` cell when counted, else the sum of every row. */
function sectionTotal(t: StatsTable): StatsCell {
  if (t.total) return t.total;
  let sum = ZERO;
  for (const [key, cell] of Object.entries(t)) {
    if (key === 'total' || cell === undefined) continue;
    sum = { total: sum.total + cell.total, email: sum.email + cell.email, http: sum.http + cell.http };
  }
  return sum;
}

/** Renders the statistics table. */
export function renderShowCallHomeStatistics(s: CallHomeStatistics): string {
  const out = [
    `${col('Message Types', LABEL)}${col('Total', NUM)}${col('Email', NUM)}HTTP`,
    `${col('-------------', LABEL)}${col('-'.repeat(14), NUM)}${col('-'.repeat(14), NUM)}${'-'.repeat(14)}`,
  ];
  for (const section of ['success', 'inQueue', 'failed', 'ratelimitDropped'] as const) {
    const table = s.sections[section];
    if (section === 'ratelimitDropped') {
      // Real IOS splits the label over two lines (the 004 copy of the guide).
      out.push(TITLES[section], `${col('  -dropped', LABEL)}${numbers(sectionTotal(table))}`);
    } else {
      out.push(`${col(TITLES[section], LABEL)}${numbers(sectionTotal(table))}`);
    }
    for (const [row, label] of ROWS) out.push(`${col(`  ${label}`, LABEL)}${numbers(table[row] ?? ZERO)}`);
  }
  out.push(`Last call-home message sent time: ${s.lastSent ?? 'n/a'}`);
  return lines(out);
}
