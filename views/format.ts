/** Small text formatters shared by the screens. */

/** `2026-11-23 12:00:05` from an ISO time (UTC), or `-`. */
export function shortTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
