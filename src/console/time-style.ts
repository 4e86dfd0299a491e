/**
 * The one timestamp style a person reads: `2026-12-06 09:21:20Z` (UTC) or the local zone with its
 * offset, `2026-12-06 10:21:20+01:00`, chosen by the `timeZone` setting. Machine output stays ISO 8601.
 */
export type TimeStyle = 'utc' | 'local';

const pad = (n: number): string => String(n).padStart(2, '0');

/** A timestamp for people, or `-` when there is none. */
export function formatTime(iso: string | null | undefined, style: TimeStyle): string {
  if (iso === null || iso === undefined || iso === '') return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (style === 'utc') return `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Characters formatTime produces for a style (for column widths). */
export function timeWidth(style: TimeStyle): number {
  return style === 'utc' ? 20 : 25;
}
