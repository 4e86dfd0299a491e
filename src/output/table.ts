/** Text tables for the scripted twins: one column spec, rendered with cli-table3. */
import Table from 'cli-table3';

/** One column: a header and how to read the cell from a row. */
export type Column<Row> = { readonly header: string; readonly cell: (row: Row) => string | number };

/** Renders rows as a boxed table (no colour codes, so it is safe in logs). */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const table = new Table({ head: columns.map((c) => c.header), style: { head: [], border: [] } });
  for (const row of rows) table.push(columns.map((c) => String(c.cell(row))));
  return table.toString();
}
