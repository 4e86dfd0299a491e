/** Small text helpers shared by the show renderers. */

/** Pads `text` on the right to `width` columns, always leaving at least one space. */
export function col(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

/** Joins lines with `\n` and ends the block with one. */
export function lines(rows: readonly string[]): string {
  return rows.length === 0 ? '' : `${rows.join('\n')}\n`;
}

/** `Not yet set up` for unset values, as the samples print them. */
export function orNotSet(value: string | undefined): string {
  return value === undefined || value === '' ? 'Not yet set up' : value;
}

/** Two-digit zero padding. */
export function two(n: number): string {
  return String(n).padStart(2, '0');
}
