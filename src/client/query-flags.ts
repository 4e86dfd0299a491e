/**
 * Validation of the query commands' flags: a bad value is a usage error that says what is accepted,
 * never an empty result or a request the back end has to refuse.
 */
import { MESSAGE_KINDS } from '../domain/callhome.js';
import { isSeverityKeyword, SEVERITY_KEYWORDS } from '../domain/severity.js';
import { UsageError } from '../errors.js';

const UNITS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since` / `--until`: an ISO 8601 date or time, or an age such as 30m, 2h, 7d (before now); the ISO time to send. */
export function parseTimeFlag(value: string, flag: string, now: number = Date.now()): string {
  const v = value.trim();
  const age = /^(\d+)\s*([smhdw])$/i.exec(v);
  if (age !== null) return new Date(now - Number(age[1]) * (UNITS[(age[2] ?? 's').toLowerCase()] ?? 1_000)).toISOString();
  if (/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/i.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T')))) {
    return new Date(Date.parse(v.replace(' ', 'T'))).toISOString();
  }
  throw new UsageError(`${flag} ${JSON.stringify(value)} is not a time.`, `Give an ISO 8601 date or time (2026-12-06, 2026-12-06T09:00:00Z) or an age before now (30m, 2h, 7d, 1w).`);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j] ?? 0;
      row[j] = Math.min(here + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length] ?? 0;
}

/** `--type`: a Call Home message type, any case; a near miss is named. */
export function parseMessageType(value: string): string {
  const v = value.trim().toLowerCase();
  if ((MESSAGE_KINDS as readonly string[]).includes(v)) return v;
  const near = MESSAGE_KINDS.filter((k) => distance(k, v) <= 2);
  throw new UsageError(`--type ${JSON.stringify(value)} is not a message type${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}.`, `Give one of ${MESSAGE_KINDS.join(', ')}.`);
}

/** `--severity`: a minimum Call Home severity, 0-9 or its keyword. */
export function parseSeverityFlag(value: string): string {
  const v = value.trim().toLowerCase();
  if (/^\d$/.test(v) || isSeverityKeyword(v)) return v;
  throw new UsageError(`--severity ${JSON.stringify(value)} is not a Call Home severity.`, `Give 0-9 or one of ${SEVERITY_KEYWORDS.join(', ')} (the minimum: that level and above).`);
}
