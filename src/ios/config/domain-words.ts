/** Narrowing of words from device output and configuration lines to domain keywords. */
import { ALERT_GROUPS, WEEKDAYS, type AlertGroup, type Weekday } from '../../domain/callhome.js';

/** True for an alert-group keyword (`configuration`, `crash`, …). */
export function isAlertGroup(word: string | undefined): word is AlertGroup {
  return (ALERT_GROUPS as readonly string[]).includes(word ?? '');
}

/** True for a weekday spelled out in lower case (`monday`). */
export function isWeekday(word: string | undefined): word is Weekday {
  return (WEEKDAYS as readonly string[]).includes(word ?? '');
}

/** `HH:MM` on a 24-hour clock (`9:05` too), or undefined. */
export function parseHhmm(text: string | undefined): { hh: number; mm: number } | undefined {
  // `11:12`
  const m = /^(\d{1,2}):(\d{2})$/.exec(text ?? '');
  if (!m) return undefined;
  const hh = Number(m[1]);
  const mm = Number(m[2]);
  return hh < 24 && mm < 60 ? { hh, mm } : undefined;
}
