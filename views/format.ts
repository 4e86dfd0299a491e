/** Small text formatters shared by the screens. */
import { severityKeyword } from '../src/domain/severity.js';

/** Colour of a Call Home severity 0–9. */
export function severityColor(level: number): string {
  if (level >= 7) return 'magenta';
  if (level === 6) return 'red';
  if (level === 5) return 'yellow';
  if (level === 4) return 'yellowBright';
  if (level <= 1) return 'gray';
  return 'white';
}

/** `5 major` */
export function severityText(level: number): string {
  return `${level} ${severityKeyword(Math.max(0, Math.min(9, level)))}`;
}

/** `2026-11-23 12:00:05` from an ISO time (UTC), or `-`. */
export function shortTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
