/**
 * When a periodic subscription next fires on the device clock (ios-call-home.md §2.3.1, §4.3; C66).
 * Device time is read from the UTC fields of the device's Date (the lab's devices run on GMT+00:00).
 * Monthly dates past the end of a month fire on its last day (the guide is silent; IOS clamps too).
 */
import { WEEKDAYS, type Periodic } from '../../domain/callhome.js';
import { assertNever } from '../../util/assert-never.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function atDay(year: number, month: number, date: number, hh: number, mm: number): number {
  return Date.UTC(year, month, Math.min(date, daysInMonth(year, month)), hh, mm);
}

/** The first instant strictly after `now` at which the schedule fires. */
export function nextOccurrence(periodic: Periodic, now: Date): Date {
  const t = now.getTime();
  const y = now.getUTCFullYear();
  const mo = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (periodic.kind) {
    case 'daily': {
      const today = Date.UTC(y, mo, d, periodic.hh, periodic.mm);
      return new Date(today > t ? today : today + DAY);
    }
    case 'weekly': {
      // getUTCDay: 0 = Sunday; WEEKDAYS starts on Monday.
      const target = (WEEKDAYS.indexOf(periodic.day) + 1) % 7;
      const ahead = (target - now.getUTCDay() + 7) % 7;
      const candidate = Date.UTC(y, mo, d + ahead, periodic.hh, periodic.mm);
      return new Date(candidate > t ? candidate : candidate + 7 * DAY);
    }
    case 'monthly': {
      const thisMonth = atDay(y, mo, periodic.date, periodic.hh, periodic.mm);
      if (thisMonth > t) return new Date(thisMonth);
      const next = new Date(Date.UTC(y, mo + 1, 1));
      return new Date(atDay(next.getUTCFullYear(), next.getUTCMonth(), periodic.date, periodic.hh, periodic.mm));
    }
    case 'hourly': {
      const thisHour = Date.UTC(y, mo, d, now.getUTCHours(), periodic.mm);
      return new Date(thisHour > t ? thisHour : thisHour + HOUR);
    }
    case 'interval': {
      // Aligned to the clock so that a reschedule after a config change keeps the cadence.
      const step = Math.max(1, periodic.minutes) * MINUTE;
      return new Date((Math.floor(t / step) + 1) * step);
    }
    default:
      return assertNever(periodic, 'periodic schedule');
  }
}
