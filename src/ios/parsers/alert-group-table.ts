/** The `Available alert groups:` table shared by `show call-home`, `detail` and `alert-group` (§3.5.3). */
import { isSeparator, unparsed, words, type Line, type Unparsed } from './text.js';

/** One row of the alert-group table; the keyword is kept as printed so groups of newer releases survive. */
export type AlertGroupState = { readonly keyword: string; readonly enabled: boolean; readonly description: string };

/** Parses table rows (header and separators allowed) into alert-group states; other lines go to `skipped`. */
export function parseAlertGroupRows(lines: readonly Line[], skipped: Unparsed[]): AlertGroupState[] {
  const rows: AlertGroupState[] = [];
  for (const line of lines) {
    const t = line.trimmed;
    // `Keyword                State   Description` and `-----`
    if (isSeparator(t) || /^keyword\s+state\s+description$/i.test(t)) continue;
    // `configuration           Enable  configuration info`
    const [keyword, state, ...description] = words(t);
    const s = state?.toLowerCase();
    if (!keyword || (s !== 'enable' && s !== 'disable' && s !== 'enabled' && s !== 'disabled')) {
      skipped.push(unparsed(line));
      continue;
    }
    rows.push({ keyword: keyword.toLowerCase(), enabled: s.startsWith('enable'), description: description.join(' ') });
  }
  return rows;
}
