/** RFC 4180 CSV for report exports (csv-stringify). */
import { stringify } from 'csv-stringify/sync';

/** Renders rows with the given columns (header row first unless `header` is false, CRLF line ends); lists become space-separated. */
export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[], header = true): string {
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v));
  const body = rows.map((r) => columns.map((c) => cell(r[c])));
  return stringify(header ? [[...columns], ...body] : body, { record_delimiter: '\r\n' });
}
