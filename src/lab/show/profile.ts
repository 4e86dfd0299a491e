/** Destination-profile blocks of `show call-home profile` and `show call-home detail` (spec §3.5.5, §3.5.6). */
import { ALERT_GROUPS, ALERT_GROUP_DESCRIPTIONS, type Periodic, type Profile } from '../../domain/callhome.js';
import { severityShowName } from '../../domain/severity.js';
import { assertNever } from '../../util/assert-never.js';
import { col, two } from './format.js';

const TABLE_WIDTH = 21;
const SEPARATOR = '-----';

function capitalised(day: string): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}

/** The schedule wording after `is scheduled` (monthly is the guide's; the others follow later releases). */
export function scheduleText(p: Periodic): string {
  switch (p.kind) {
    case 'monthly':
      return `every ${p.date} day of the month at ${two(p.hh)}:${two(p.mm)}`;
    case 'weekly':
      return `every ${capitalised(p.day)} at ${two(p.hh)}:${two(p.mm)}`;
    case 'daily':
      return `daily at ${two(p.hh)}:${two(p.mm)}`;
    case 'hourly':
      return `hourly at ${p.mm} minute(s) past the hour`;
    case 'interval':
      return `every ${p.minutes} minute(s)`;
    default:
      return assertNever(p);
  }
}

function transportText(p: Profile): string {
  if (p.transportEmail && p.transportHttp) return 'email and http';
  if (p.transportHttp) return 'http';
  return 'email';
}

function listOrNotSet(items: readonly string[]): string {
  return items.length === 0 ? 'Not yet set up' : items.join(', ');
}

/** The lines of one profile, without indentation. */
export function profileLines(p: Profile): string[] {
  const out = [`Profile Name: ${p.name}`, `Profile status: ${p.active ? 'ACTIVE' : 'INACTIVE'}`];
  if (p.predefined || p.mode === 'anonymous') {
    out.push(`Profile mode: ${p.mode === 'anonymous' ? 'Anonymous Reporting Only' : 'Full Reporting'}`);
  }
  out.push(
    `Preferred Message Format: ${p.format}`,
    `Message Size Limit: ${p.messageSizeLimit} Bytes`,
    `Transport Method: ${transportText(p)}`,
    `Email address(es): ${listOrNotSet(p.emailAddresses)}`,
    `HTTP address(es): ${listOrNotSet(p.httpUrls)}`,
  );
  const severities: string[] = [];
  for (const group of ALERT_GROUPS) {
    const sub = p.subscriptions[group];
    if (sub === undefined || group === 'syslog') continue;
    if (sub.periodic !== undefined) {
      const stem = ALERT_GROUP_DESCRIPTIONS[group].split(' ')[0] ?? group;
      out.push(`Periodic ${stem} info message is scheduled ${scheduleText(sub.periodic)}`);
    } else {
      severities.push(`${col(group, TABLE_WIDTH)}${severityShowName(sub.severity ?? 'normal')}`);
    }
  }
  out.push(`${col('Alert-group', TABLE_WIDTH)}Severity`, SEPARATOR, ...severities);
  out.push(`${col('Syslog-Pattern', TABLE_WIDTH)}Severity`, SEPARATOR);
  for (const s of p.syslogPatterns) out.push(`${col(s.pattern, TABLE_WIDTH)}${severityShowName(s.severity)}`);
  return out;
}
