/** `show call-home alert-group` (ios-call-home.md §3.5.3). */
import { err, ok, type Result } from '../../util/result.js';
import { parseAlertGroupRows, type AlertGroupState } from './alert-group-table.js';
import { parseError, prepareLines, withUnparsed, type ParseError, type Unparsed } from './text.js';

const COMMAND = 'show call-home alert-group';

/** `show call-home alert-group` as data. */
export type ShowCallHomeAlertGroup = { readonly alertGroups: readonly AlertGroupState[]; readonly unparsed?: readonly Unparsed[] };

/** Parses the alert-group table; the `Available alert groups:` title is optional. */
export function parseShowCallHomeAlertGroup(output: string): Result<ShowCallHomeAlertGroup, ParseError> {
  const prepared = prepareLines(COMMAND, output);
  if (!prepared.ok) return prepared;
  const lines = prepared.value.filter((l) => !/^available alert groups\s*:$/i.test(l.trimmed));
  const skipped: Unparsed[] = [];
  const rows = parseAlertGroupRows(lines, skipped);
  if (rows.length === 0) return err(parseError(COMMAND, prepared.value[0], 'no alert-group rows'));
  return ok(withUnparsed({ alertGroups: rows }, skipped));
}
