/**
 * Column specs shared by the console's screens and the scripted tables, and how they fit a terminal.
 *
 * Fitting, in this stated order: every column starts at its `width`; on a wider terminal the extra
 * room goes to the columns that `grow` (descriptions, error texts), in proportion. On a narrower one,
 * the fixed columns give up room first, from the right, then the growing ones, each down to its
 * `min`, and the cell text is abbreviated with `…`. No column is dropped: the specs keep their minimums within
 * 80 columns, so nothing disappears at 80; below the sum of minimums the line is cut at the edge.
 */
import { severityKeyword } from '../domain/severity.js';
import type { MessageSummary } from '../events/protocol.js';
import { terminalSafe } from '../util/terminal-text.js';
import { formatTime, timeWidth, type TimeStyle } from './time-style.js';

/** What a cell may depend on besides its row. */
export type CellContext = { readonly timeStyle: TimeStyle; readonly now: number };

/** A colour the views map to the terminal; the scripted tables ignore it. */
export type Tone = 'red' | 'yellow' | 'green' | 'cyan' | 'magenta' | 'gray' | 'white' | 'yellowBright';

export type ColumnSpec<R> = {
  readonly header: string;
  /** The width it wants. */
  readonly width: number;
  /** The narrowest it may get (default: width). */
  readonly min?: number;
  /** Share of extra room on wide terminals (0 or absent: fixed). */
  readonly grow?: number;
  readonly align?: 'left' | 'right';
  readonly cell: (row: R, ctx: CellContext) => string;
  readonly tone?: (row: R) => Tone | undefined;
};

/** Characters before the first column (selection marker and host marker) and between columns. */
export const ROW_PREFIX = 2;
export const COLUMN_GAP = 1;

/** Widths of `specs` for a terminal `total` columns wide (see the order above). */
export function fitColumns(specs: readonly Pick<ColumnSpec<never>, 'width' | 'min' | 'grow'>[], total: number): number[] {
  const widths = specs.map((c) => c.width);
  const room = total - ROW_PREFIX - COLUMN_GAP * Math.max(0, specs.length - 1);
  let used = widths.reduce((a, b) => a + b, 0);
  if (used < room) {
    const shares = specs.map((c) => c.grow ?? 0);
    const sum = shares.reduce((a, b) => a + b, 0);
    if (sum > 0) {
      const extra = room - used;
      let given = 0;
      shares.forEach((s, i) => {
        const add = Math.floor((extra * s) / sum);
        widths[i] = (widths[i] ?? 0) + add;
        given += add;
      });
      // Rounding leftovers go to the first growing column.
      const first = shares.findIndex((s) => s > 0);
      widths[first] = (widths[first] ?? 0) + (extra - given);
    }
    return widths;
  }
  // Fixed columns give up room first, from the right; growing ones (the long texts) last.
  const order = [...specs.keys()].sort((a, b) => Number((specs[a]?.grow ?? 0) > 0) - Number((specs[b]?.grow ?? 0) > 0) || b - a);
  for (const i of order) {
    if (used <= room) break;
    const spec = specs[i];
    const w = widths[i] ?? 0;
    const give = Math.min(w - (spec?.min ?? spec?.width ?? w), used - room);
    widths[i] = w - give;
    used -= give;
  }
  return widths;
}

/** Cell text cut or padded to `width`, control characters escaped, whitespace folded. */
export function fitCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const clean = terminalSafe(text.replace(/[ \t\r\n]+/g, ' '));
  const cut = clean.length > width ? `${clean.slice(0, Math.max(0, width - 1))}…` : clean;
  return align === 'right' ? cut.padStart(width) : cut.padEnd(width);
}

/** `5 major`: Call Home severity as number and whole word. */
export function severityLabel(level: number): string {
  return `${level} ${severityKeyword(level)}`;
}

/** Colour of a Call Home severity 0–9. */
export function severityTone(level: number): Tone {
  if (level >= 7) return 'magenta';
  if (level === 6) return 'red';
  if (level === 5) return 'yellow';
  if (level === 4) return 'yellowBright';
  if (level <= 1) return 'gray';
  return 'white';
}

/** Message type with its alert group when they differ (`syslog`, `diagnostic/diagnostic`). */
export function messageKind(m: MessageSummary): string {
  return m.type === m.alertGroup || m.alertGroup === '' ? m.type : `${m.type}/${m.alertGroup}`;
}

/** The message columns, for the messages screen and `callhome messages` (which adds the serial). */
export function messageColumns(style: TimeStyle, options: { readonly serial?: boolean } = {}): ColumnSpec<MessageSummary>[] {
  return [
    { header: 'Received', width: timeWidth(style), cell: (m, c) => formatTime(m.receivedAt, c.timeStyle) },
    { header: 'Device', width: 10, min: 8, cell: (m) => m.hostname || m.serial },
    ...(options.serial === true ? [{ header: 'Serial', width: 12, min: 8, cell: (m: MessageSummary) => m.serial }] : []),
    { header: 'Severity', width: 12, min: 10, cell: (m) => severityLabel(m.severity), tone: (m) => severityTone(m.severity) },
    { header: 'Type', width: 12, min: 7, cell: messageKind },
    { header: 'Event', width: 16, min: 8, cell: (m) => m.eventName },
    { header: 'Description', width: 28, min: 8, grow: 1, cell: (m) => m.description },
    { header: 'Via', width: 5, min: 4, cell: (m) => m.transport },
  ];
}
