/** The `Available alert groups:` table shared by `show call-home`, `detail` and `alert-group` (§3.5.3). */
import { err, ok, type Result } from '../../util/result.js';
import { isSeparator, parseError, words, type Line, type ParseError } from './text.js';

/** One row of the alert-group table; the keyword is kept as printed so groups of newer releases survive. */
export type AlertGroupState = { readonly keyword: string; readonly enabled: boolean; readonly description: string };

/** Parses table rows (header and separators allowed) into alert-group states. */
export function parseAlertGroupRows(command: string, lines: readonly Line[]): Result<AlertGroupState[], ParseError> {
  const rows: AlertGroupState[] = [];
  for (const line of lines) {
    const t = line.trimmed;
    // `Keyword                State   Description` and `-----`
    if (isSeparator(t) || /^keyword\s+state\s+description$/i.test(t)) continue;
    // `configuration           Enable  configuration info`
    const [keyword, state, ...description] = words(t);
    const s = state?.toLowerCase();
    if (!keyword || (s !== 'enable' && s !== 'disable' && s !== 'enabled' && s !== 'disabled')) {
      return err(parseError(command, line, 'expected `<keyword> Enable|Disable <description>` in the alert-group table'));
    }
    rows.push({ keyword: keyword.toLowerCase(), enabled: s.startsWith('enable'), description: description.join(' ') });
  }
  return ok(rows);
}
