/** `show call-home events` (IOS XE): the active event list, one row per subscription of an active profile. */
import { err, ok, type Result } from '../../util/result.js';
import { EVENTS_LAYOUT } from '../layout/xe-commands.js';
import { isSeparator, parseError, prepareLines, unparsed, words, withUnparsed, type ParseError, type Unparsed } from './text.js';

const COMMAND = 'show call-home events';

/** One active event. */
export type CallHomeEvent = {
  readonly profile: string;
  readonly alertGroup: string;
  readonly index: number;
  readonly severity: string;
  readonly subscription: string;
  /** Device clock text, or null for `n/a`. */
  readonly lastTriggered: string | null;
};

/** `show call-home events` as data. */
export type ShowCallHomeEvents = { readonly events: readonly CallHomeEvent[]; readonly unparsed?: readonly Unparsed[] };

const HEADER = new RegExp(`^${EVENTS_LAYOUT.columns.map((c) => c.replace(/\s+/g, '\\s+')).join('\\s+')}$`, 'i');

/** Parses the event table; the columns are split on blanks (the last one, a time, may hold spaces). */
export function parseShowCallHomeEvents(output: string): Result<ShowCallHomeEvents, ParseError> {
  const prepared = prepareLines(COMMAND, output);
  if (!prepared.ok) return prepared;
  const lines = prepared.value;
  if (!lines.some((l) => l.trimmed.toLowerCase() === EVENTS_LAYOUT.title.toLowerCase())) {
    return err(parseError(COMMAND, lines[0], 'no `Active event list:` title'));
  }
  const events: CallHomeEvent[] = [];
  const skipped: Unparsed[] = [];
  for (const line of lines) {
    const t = line.trimmed;
    if (t.toLowerCase() === EVENTS_LAYOUT.title.toLowerCase() || HEADER.test(t) || isSeparator(t)) continue;
    const [profile, alertGroup, index, severity, subscription, ...time] = words(t);
    const n = Number(index);
    if (!profile || !alertGroup || !severity || !subscription || time.length === 0 || !Number.isInteger(n)) {
      skipped.push(unparsed(line));
      continue;
    }
    const last = time.join(' ');
    events.push({ profile, alertGroup, index: n, severity, subscription, lastTriggered: /^n\/a$/i.test(last) ? null : last });
  }
  return ok(withUnparsed({ events }, skipped));
}
