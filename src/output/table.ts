/** Text tables for human output: one column spec, rendered with cli-table3, cells made terminal-safe. */
import Table from 'cli-table3';
import { terminalSafeLines as terminalSafe } from '../util/terminal-text.js';

/** One column: a header and how to read the cell from a row. */
export type Column<Row> = { readonly header: string; readonly get: (row: Row) => string | number | boolean | null | undefined };

/** Renders rows as a boxed table (no colour codes, so it is safe in logs); `empty` replaces a table without rows. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], empty?: string): string {
  if (rows.length === 0 && empty !== undefined) return empty;
  const table = new Table({ head: columns.map((c) => terminalSafe(c.header)), style: { head: [], border: [] } });
  for (const row of rows) table.push(columns.map((c) => terminalSafe(String(c.get(row) ?? ''))));
  return table.toString();
}
