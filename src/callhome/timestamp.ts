/**
 * Call Home timestamps (ios-call-home.md §6.2, C78): `YYYY-MM-DD HH:MM:SS GMT+HH:MM` everywhere,
 * and the IOS syslog prefix `*Jun  5 03:11:36.041:` for syslog message descriptions.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Wall-clock fields of `date` seen from a zone `offsetMinutes` east of UTC. */
function shifted(date: Date, offsetMinutes: number): Date {
  return new Date(date.getTime() + offsetMinutes * 60_000);
}

/** `2013-06-05 03:11:36 GMT+00:00` for the given instant and zone offset (minutes east of UTC). */
export function formatCallHomeTime(date: Date, offsetMinutes = 0): string {
  const d = shifted(date, offsetMinutes);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ` +
    `GMT${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** IOS syslog timestamp prefix, e.g. `*Jun  5 03:11:36.041:` (day padded to two columns as IOS does). */
export function formatSyslogStamp(date: Date, offsetMinutes = 0): string {
  const d = shifted(date, offsetMinutes);
  const month = MONTHS[d.getUTCMonth()] ?? 'Jan';
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `*${month} ${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}:`;
}

/** Upper-case hex of the Unix epoch seconds, as MessageId and GroupId carry it (`51AEAC68`). */
export function hexEpoch(date: Date): string {
  return Math.floor(date.getTime() / 1000)
    .toString(16)
    .toUpperCase();
}
