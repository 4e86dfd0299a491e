/**
 * `show call-home statistics` (ios-call-home.md §3.5.7, §8) → CallHomeStatistics. Accepts both
 * guide copies: `Total Ratelimit` with or without numbers (then `-dropped` carries them), a
 * `Send-CLI` row split over lines by a page break, and extra rows (Crash, Snapshot, SCH).
 */
import {
  STATS_SECTIONS,
  type CallHomeStatistics,
  type StatsCell,
  type StatsRow,
  type StatsSection,
} from '../../domain/statistics.js';
import { err, ok, type Result } from '../../util/result.js';
import { integer, isSeparator, parseError, prepareLines, setValue, unparsed, words, type Line, withUnparsed, type ParseError, type Unparsed } from './text.js';

const COMMAND = 'show call-home statistics';

/** Row labels as IOS prints them, lower-cased. */
const ROW_LABELS: Readonly<Record<string, StatsRow>> = {
  config: 'config',
  configuration: 'config',
  crash: 'crash',
  diagnostic: 'diagnostic',
  environment: 'environment',
  inventory: 'inventory',
  snapshot: 'snapshot',
  syslog: 'syslog',
  test: 'test',
  request: 'request',
  'send-cli': 'sendCli',
  sch: 'sch',
};

/** Section titles (after `Total `), lower-cased. */
const SECTION_LABELS: Readonly<Record<string, StatsSection>> = {
  success: 'success',
  'in-queue': 'inQueue',
  failed: 'failed',
  ratelimit: 'ratelimitDropped',
};

type Tables = Record<StatsSection, Partial<Record<StatsRow, StatsCell>>>;

function cell(nums: readonly string[]): StatsCell | undefined {
  const [total, email, http] = nums.map((n) => integer(n));
  if (total === undefined || email === undefined || http === undefined) return undefined;
  return { total, email, http };
}

/** `show call-home statistics` as data: the counters, and the lines not understood. */
export type ShowCallHomeStatistics = CallHomeStatistics & { readonly unparsed?: readonly Unparsed[] };

/** Parses the counters and the last-sent time (either train's layout). */
export function parseShowCallHomeStatistics(output: string): Result<ShowCallHomeStatistics, ParseError> {
  const prepared = prepareLines(COMMAND, output);
  if (!prepared.ok) return prepared;
  const tables: Tables = { success: {}, inQueue: {}, failed: {}, ratelimitDropped: {} };
  let section: StatsSection | undefined;
  let lastSent: string | null = null;
  let seenHeader = false;
  // A row whose numbers continue on the next lines (`Send-CLI 0` / `0` / `0` in the 004 copy).
  let pending: { row: StatsRow | 'total'; nums: string[]; line: Line } | undefined;

  const skipped: Unparsed[] = [];
  // A row that cannot be stored (no section yet, not three counters) is kept as unparsed.
  const store = (row: StatsRow | 'total', nums: readonly string[], line: Line): undefined => {
    const c = cell(nums);
    if (!section || !c || nums.length !== 3) skipped.push(unparsed(line));
    else tables[section][row === 'total' ? 'total' : row] = c;
    return undefined;
  };

  // The 003 copy ends with `Send-CLI      0`: a zero total means zero e-mail and zero HTTP;
  // any other short row is an error.
  const flushShort = (p: { row: StatsRow | 'total'; nums: string[]; line: Line }): undefined =>
    p.nums.length === 1 && p.nums[0] === '0' ? store(p.row, ['0', '0', '0'], p.line) : store(p.row, p.nums, p.line);

  for (const line of prepared.value) {
    const t = line.trimmed;
    if (pending) {
      // `0` — a continuation of a split row
      if (/^\d+(?:\s+\d+)*$/.test(t)) {
        pending.nums.push(...words(t));
        if (pending.nums.length >= 3) {
          const failure = store(pending.row, pending.nums.slice(0, 3), pending.line);
          if (failure) return err(failure);
          pending = undefined;
        }
        continue;
      }
      const failure = flushShort(pending);
      if (failure) return err(failure);
      pending = undefined;
    }
    if (isSeparator(t)) continue;
    // `Message Types      Total      Email      HTTP`
    if (/^message types?\s+total\s+email\s+http$/i.test(t)) {
      seenHeader = true;
      continue;
    }
    // `Last call-home message sent time: 2010-01-11 18:32:32 GMT+00:00` / `n/a`
    const last = /^last call-home message sent time\s*:\s*(.*)$/i.exec(t);
    if (last) {
      lastSent = setValue(last[1] ?? '') ?? null;
      continue;
    }
    const parts = words(t);
    const first = (parts[0] ?? '').toLowerCase();
    // `Total Success      3          3          0` / `Total Ratelimit` (numbers on `-dropped`)
    if (first === 'total' && parts.length >= 2) {
      const label = SECTION_LABELS[(parts[1] ?? '').toLowerCase()];
      if (!label) {
        skipped.push(unparsed(line));
        continue;
      }
      section = label;
      if (parts.length === 2) continue;
      const failure = store('total', parts.slice(2), line);
      if (failure) return err(failure);
      continue;
    }
    // `  -dropped         0          0          0`
    if (first === '-dropped') {
      if (parts.length === 1) continue;
      const failure = store('total', parts.slice(1), line);
      if (failure) return err(failure);
      continue;
    }
    // `  Config           3          3          0`
    const row = ROW_LABELS[first];
    if (row) {
      const nums = parts.slice(1);
      if (nums.length < 3 && nums.every((n) => integer(n) !== undefined)) {
        pending = { row, nums, line };
        continue;
      }
      const failure = store(row, nums, line);
      if (failure) return err(failure);
      continue;
    }
    // A row label of a newer release (IOS XE's `Nonce`), or anything else.
    skipped.push(unparsed(line));
  }
  if (pending) {
    const failure = flushShort(pending);
    if (failure) return err(failure);
  }
  if (!seenHeader && STATS_SECTIONS.every((s) => Object.keys(tables[s]).length === 0)) {
    return err(parseError(COMMAND, prepared.value[0], 'no statistics table'));
  }
  return ok(withUnparsed({ sections: tables, lastSent }, skipped));
}
