/** Call Home severity levels 0–9 (ios-call-home.md §5). Not syslog levels: ch = 7 − syslog. */
export const SEVERITY_KEYWORDS = [
  'debugging', // 0
  'normal', // 1
  'notification', // 2
  'warning', // 3
  'minor', // 4
  'major', // 5
  'critical', // 6
  'fatal', // 7
  'disaster', // 8
  'catastrophic', // 9
] as const;

/** A Call Home severity keyword as typed on the CLI. */
export type SeverityKeyword = (typeof SEVERITY_KEYWORDS)[number];

/** Level 0–9 of a keyword. */
export function severityLevel(keyword: SeverityKeyword): number {
  return SEVERITY_KEYWORDS.indexOf(keyword);
}

/** Keyword of a level 0–9; out-of-range levels are clamped. */
export function severityKeyword(level: number): SeverityKeyword {
  const clamped = Math.max(0, Math.min(9, Math.trunc(level)));
  return SEVERITY_KEYWORDS[clamped] ?? 'debugging';
}

/** Show output prints level 0 as `debug` (ios-call-home.md §5). */
export function severityShowName(keyword: SeverityKeyword): string {
  return keyword === 'debugging' ? 'debug' : keyword;
}

/** Call Home level of a syslog level 0–7. */
export function severityFromSyslog(syslogLevel: number): number {
  return 7 - Math.max(0, Math.min(7, Math.trunc(syslogLevel)));
}

/** True when the string is a severity keyword. */
export function isSeverityKeyword(value: string): value is SeverityKeyword {
  return (SEVERITY_KEYWORDS as readonly string[]).includes(value);
}
