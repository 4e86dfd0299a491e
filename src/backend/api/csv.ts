/** RFC 4180 CSV for report exports (csv-stringify), safe to open in a spreadsheet. */
import { stringify } from 'csv-stringify/sync';

/**
 * A text cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a tab / carriage return
 * before one) gets a leading apostrophe, so device text such as `=HYPERLINK(...)` in a host name shows
 * as text (OWASP "CSV injection"). Numbers and booleans are ours and stay as they are.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Renders rows with the given columns (header row first unless `header` is false, CRLF line ends); lists become space-separated. */
export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[], header = true): string {
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : neutralise(Array.isArray(v) ? v.join(' ') : String(v)));
  const body = rows.map((r) => columns.map((c) => cell(r[c])));
  return stringify(header ? [[...columns], ...body] : body, { record_delimiter: '\r\n' });
}
