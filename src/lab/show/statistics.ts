/** `show call-home statistics` in the canonical layout of spec §3.5.7 (classic) or the IOS XE layout. */
import type { Train } from '../../domain/callhome.js';
import type { CallHomeStatistics, StatsCell, StatsRow, StatsSection, StatsTable } from '../../domain/statistics.js';
import { col, lines } from './format.js';

/** Rows IOS prints in each section, with their labels; every counted kind has its row, so the rows add up to the total. */
const ROWS: readonly (readonly [StatsRow, string])[] = [
  ['config', 'Config'],
  ['crash', 'Crash'],
  ['diagnostic', 'Diagnostic'],
  ['environment', 'Environment'],
  ['inventory', 'Inventory'],
  ['snapshot', 'Snapshot'],
  ['syslog', 'SysLog'],
  ['test', 'Test'],
  ['request', 'Request'],
  ['sendCli', 'Send-CLI'],
];

/** IOS XE adds the Smart Call Home (licensing) row. */
const XE_ROWS: readonly (readonly [StatsRow, string])[] = [...ROWS, ['sch', 'SCH']];

/** Column geometry per train: label width, number width, row indentation. */
const GEOMETRY: Readonly<Record<Train, { label: number; num: number; indent: string; dashes: readonly number[] }>> = {
  classic: { label: 19, num: 15, indent: '  ', dashes: [14, 14, 14] },
  xe: { label: 18, num: 21, indent: '    ', dashes: [20, 20, 18] },
};

const TITLES: Readonly<Record<StatsSection, string>> = {
  success: 'Total Success',
  inQueue: 'Total In-Queue',
  failed: 'Total Failed',
  ratelimitDropped: 'Total Ratelimit',
};

const ZERO: StatsCell = { total: 0, email: 0, http: 0 };

function numbers(c: StatsCell, num: number): string {
  return `${col(String(c.total), num)}${col(String(c.email), num)}${c.http}`;
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
export function renderShowCallHomeStatistics(s: CallHomeStatistics, train: Train = 'classic'): string {
  const { label: LABEL, num: NUM, indent, dashes } = GEOMETRY[train];
  const rows = train === 'xe' ? XE_ROWS : ROWS;
  const out = [
    `${col('Message Types', LABEL)}${col('Total', NUM)}${col('Email', NUM)}HTTP`,
    `${col('-------------', LABEL)}${col('-'.repeat(dashes[0] ?? 14), NUM)}${col('-'.repeat(dashes[1] ?? 14), NUM)}${'-'.repeat(dashes[2] ?? 14)}`,
  ];
  for (const section of ['success', 'inQueue', 'failed', 'ratelimitDropped'] as const) {
    const table = s.sections[section];
    if (train === 'xe') out.push('');
    if (section === 'ratelimitDropped') {
      // Real IOS splits the label over two lines (the 004 copy of the guide).
      out.push(TITLES[section], `${col('  -dropped', LABEL)}${numbers(sectionTotal(table), NUM)}`);
    } else {
      out.push(`${col(TITLES[section], LABEL)}${numbers(sectionTotal(table), NUM)}`);
    }
    for (const [row, name] of rows) out.push(`${col(`${indent}${name}`, LABEL)}${numbers(table[row] ?? ZERO, NUM)}`);
  }
  if (train === 'xe') out.push('');
  out.push(`Last call-home message sent time: ${s.lastSent ?? 'n/a'}`);
  return lines(out);
}
