/** Destination-profile blocks of `show call-home profile` and `show call-home detail` (spec §3.5.5, §3.5.6). */
import { ALERT_GROUPS, ALERT_GROUP_DESCRIPTIONS, type Periodic, type Profile, type Train } from '../../domain/callhome.js';
import { EMPTY_ROW, NOT_SET, PROFILE_LABELS, profileTableSeparator, profileTableWidth } from '../../ios/layout/call-home.js';
import { severityShowName } from '../../domain/severity.js';
import { assertNever } from '../../util/assert-never.js';
import { col, two } from './format.js';


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
  return items.length === 0 ? NOT_SET : items.join(', ');
}

function reportingData(p: Profile): string {
  const kinds = [...(p.reportSmartCallHome ? ['Smart Call Home'] : []), ...(p.reportSmartLicensing ? ['Smart Licensing'] : [])];
  return kinds.length === 0 ? EMPTY_ROW : kinds.join(', ');
}

/**
 * The syslog rows: each pattern, or `.*` for a subscription without one (real IOS lists it; it
 * must not disappear from the block).
 */
function syslogRows(p: Profile): { pattern: string; severity: Profile['syslogPatterns'][number]['severity'] }[] {
  if (p.syslogPatterns.length > 0) return [...p.syslogPatterns];
  const sub = p.subscriptions.syslog;
  return sub ? [{ pattern: '.*', severity: sub.severity ?? 'debugging' }] : [];
}

/**
 * The lines of one profile: `Profile Name:` first, then the body without indentation; '' marks
 * the blank lines IOS XE prints between sections.
 */
export function profileLines(p: Profile, train: Train = 'classic'): string[] {
  const xe = train === 'xe';
  const L = PROFILE_LABELS;
  const width = profileTableWidth(train);
  const out = [`${L.name}: ${p.name}`, `${L.status}: ${p.active ? 'ACTIVE' : 'INACTIVE'}`];
  if (xe || p.predefined || p.mode === 'anonymous') {
    out.push(`${L.mode}: ${p.mode === 'anonymous' ? 'Anonymous Reporting Only' : 'Full Reporting'}`);
  }
  if (xe) out.push(`${L.reportingData}: ${reportingData(p)}`);
  out.push(`${L.format}: ${p.format}`, `${L.size}: ${p.messageSizeLimit} Bytes`, `${L.transport}: ${transportText(p)}`);
  if (xe) {
    // IOS XE lists the addresses of the transports in use, then the others.
    if (p.transportEmail) out.push(`${L.email}: ${listOrNotSet(p.emailAddresses)}`);
    if (p.transportHttp) out.push(`HTTP  address(es): ${listOrNotSet(p.httpUrls)}`);
    out.push(`${L.other}: default`);
  } else {
    out.push(`${L.email}: ${listOrNotSet(p.emailAddresses)}`, `${L.http}: ${listOrNotSet(p.httpUrls)}`);
  }
  const severities: string[] = [];
  for (const group of ALERT_GROUPS) {
    const sub = p.subscriptions[group];
    if (sub === undefined || group === 'syslog') continue;
    if (sub.periodic !== undefined) {
      const stem = ALERT_GROUP_DESCRIPTIONS[group].split(' ')[0] ?? group;
      if (xe) out.push('');
      out.push(`Periodic ${stem} info message is scheduled ${scheduleText(sub.periodic)}`);
    } else {
      severities.push(`${col(group, width)}${severityShowName(sub.severity ?? 'normal')}`);
    }
  }
  const empty = xe ? [`${col(EMPTY_ROW, width)}${EMPTY_ROW}`] : [];
  const separator = profileTableSeparator(train);
  if (xe) out.push('');
  out.push(`${col(L.alertGroupTable, width)}${L.severity}`, separator, ...(severities.length > 0 ? severities : empty));
  if (xe) out.push('');
  out.push(`${col(L.syslogTable, width)}${L.severity}`, separator);
  const rows = syslogRows(p).map((s) => `${col(s.pattern, width)}${severityShowName(s.severity)}`);
  out.push(...(rows.length > 0 ? rows : empty));
  return out;
}

/** Profiles in the order IOS lists them: user profiles first, CiscoTAC-1 last. */
export function listedProfiles(profiles: readonly Profile[]): Profile[] {
  return [...profiles.filter((p) => !p.predefined), ...profiles.filter((p) => p.predefined)];
}

/** One block indented as `show call-home profile` and `detail` print it. */
export function indentProfile(lines: readonly string[], nameIndent: string, bodyIndent: string): string[] {
  return lines.map((l, i) => (l === '' ? '' : i === 0 ? `${nameIndent}${l}` : `${bodyIndent}${l}`));
}
