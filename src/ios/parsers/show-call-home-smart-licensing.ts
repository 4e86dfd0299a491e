/** `show call-home smart-licensing` and `show call-home smart-licensing statistics` (IOS XE). */
import { err, ok, type Result } from '../../util/result.js';
import { PROFILE_STATUS_LINE } from '../layout/call-home.js';
import { SMART_LICENSING_LAYOUT, SMART_LICENSING_STATS_LAYOUT } from '../layout/xe-commands.js';
import { enableFlag, integer, isSeparator, keyValue, parseError, prepareLines, setValue, unparsed, words, withUnparsed, type ParseError, type Unparsed } from './text.js';

/** `show call-home smart-licensing` as data. */
export type ShowCallHomeSmartLicensing = {
  readonly enabled?: boolean;
  readonly profile?: string;
  readonly profileActive?: boolean;
  readonly urls: readonly string[];
  readonly unparsed?: readonly Unparsed[];
};

/** Parses the Smart Licensing transport settings. */
export function parseShowCallHomeSmartLicensing(output: string): Result<ShowCallHomeSmartLicensing, ParseError> {
  const command = 'show call-home smart-licensing';
  const prepared = prepareLines(command, output);
  if (!prepared.ok) return prepared;
  const lines = prepared.value;
  if (!lines.some((l) => l.trimmed.toLowerCase() === SMART_LICENSING_LAYOUT.title.toLowerCase())) {
    return err(parseError(command, lines[0], `no \`${SMART_LICENSING_LAYOUT.title}\` title`));
  }
  const out: { -readonly [K in keyof ShowCallHomeSmartLicensing]: ShowCallHomeSmartLicensing[K] } = { urls: [] };
  const skipped: Unparsed[] = [];
  const messages = SMART_LICENSING_LAYOUT.messages.toLowerCase();
  const urls = SMART_LICENSING_LAYOUT.urls.toLowerCase().replace(/\s+/g, ' ');
  for (const line of lines) {
    if (line.trimmed.toLowerCase() === SMART_LICENSING_LAYOUT.title.toLowerCase()) continue;
    const status = PROFILE_STATUS_LINE.exec(line.trimmed);
    if (status) {
      out.profile = status[1] ?? '';
      out.profileActive = status[2]?.toUpperCase() === 'ACTIVE';
      continue;
    }
    const kv = keyValue(line.trimmed);
    const flag = kv?.key === messages ? enableFlag(kv.value) : undefined;
    if (flag !== undefined) out.enabled = flag;
    else if (kv?.key === urls) out.urls = (setValue(kv.value) ?? '').split(/[\s,]+/).filter((u) => u !== '');
    else skipped.push(unparsed(line));
  }
  return ok(withUnparsed({ ...out }, skipped));
}

/** One row of the Smart Licensing message statistics. */
export type SmartLicensingMessageStats = { readonly subtype: string; readonly inQueue: number; readonly dropped: number; readonly success: number; readonly failed: number };

/** `show call-home smart-licensing statistics` as data. */
export type ShowCallHomeSmartLicensingStatistics = { readonly messages: readonly SmartLicensingMessageStats[]; readonly unparsed?: readonly Unparsed[] };

/** Parses the per-subtype counters; the legend lines are known text. */
export function parseShowCallHomeSmartLicensingStatistics(output: string): Result<ShowCallHomeSmartLicensingStatistics, ParseError> {
  const command = 'show call-home smart-licensing statistics';
  const prepared = prepareLines(command, output);
  if (!prepared.ok) return prepared;
  const legend = new Set(SMART_LICENSING_STATS_LAYOUT.legend.map((l) => l.toLowerCase().replace(/\s+/g, ' ')));
  const header = SMART_LICENSING_STATS_LAYOUT.columns.join(' ').toLowerCase();
  const messages: SmartLicensingMessageStats[] = [];
  const skipped: Unparsed[] = [];
  let sawHeader = false;
  for (const line of prepared.value) {
    const flat = line.trimmed.toLowerCase().replace(/\s+/g, ' ');
    if (legend.has(flat) || isSeparator(line.trimmed)) continue;
    if (flat === header) {
      sawHeader = true;
      continue;
    }
    const [subtype, ...nums] = words(line.trimmed);
    const n = nums.map((x) => integer(x));
    const [inQueue, dropped, success, failed] = n;
    if (subtype && n.length === 4 && inQueue !== undefined && dropped !== undefined && success !== undefined && failed !== undefined) {
      messages.push({ subtype, inQueue, dropped, success, failed });
    } else skipped.push(unparsed(line));
  }
  if (!sawHeader) return err(parseError(command, prepared.value[0], 'no `Msg Subtype` table'));
  return ok(withUnparsed({ messages }, skipped));
}
