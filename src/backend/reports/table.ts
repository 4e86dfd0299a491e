/** A report as every exporter sees it: fixed columns and rows that arrive page by page. */

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** One column: its key in JSON / CSV, its heading in Excel and PDF, and its relative width there. */
export type Column = { readonly key: string; readonly header: string; readonly width?: number };

export type ReportTable = {
  readonly kind: string;
  /** The heading of the Excel sheet and the PDF. */
  readonly title: string;
  readonly columns: readonly Column[];
  /** The filters given, shown under the title (Excel, PDF) and echoed in JSON. */
  readonly criteria: Readonly<Record<string, string>>;
  /** What a person reads when no row matches (S77). */
  readonly empty: string;
  /** The rows, a page at a time; each page is read only when the previous one has been written. */
  pages(): AsyncIterable<readonly Row[]>;
  /** After the pages: a cursor to continue from when the report stopped at its row cap, else null. */
  next(): string | null;
  /**
   * pgexport (issue 14): what a writer awaits between two slices of its work (slices.ts). Absent: a turn of the
   * event loop. The History report also gives way to the service's other database work (Store.giveWay).
   */
  pace?(): Promise<void>;
};

/** The rows of a report built in memory, as pages of `size`. */
export function pagesOf(rows: readonly Row[], size = 500): () => AsyncIterable<readonly Row[]> {
  return async function* () {
    for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
  };
}
