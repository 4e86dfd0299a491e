/** `show call-home`, `detail`, `alert-group` and `mail-server status` (spec §3.5.1–§3.5.4). */
import { ALERT_GROUPS, ALERT_GROUP_DESCRIPTIONS, DEFAULT_AAA_USERNAME, type CallHomeConfig } from '../../domain/callhome.js';
import type { MailServerStatus } from '../types.js';
import { col, lines, orNotSet } from './format.js';
import { profileLines } from './profile.js';

function enable(on: boolean): string {
  return on ? 'enable' : 'disable';
}

/** The settings lines both views share, up to and including the contract/site lines. */
function identityLines(c: CallHomeConfig, featureSeparator: string): string[] {
  return [
    `call home feature${featureSeparator}${enable(c.serviceEnabled)}`,
    `call home message's from address: ${orNotSet(c.senderFrom)}`,
    `call home message's reply-to address: ${orNotSet(c.senderReplyTo)}`,
    `vrf for call-home messages: ${orNotSet(c.vrf)}`,
    `contact person's email address: ${orNotSet(c.contactEmail)}`,
    `contact person's phone number: ${orNotSet(c.phoneNumber)}`,
    `street address: ${orNotSet(c.streetAddress)}`,
    `customer ID: ${orNotSet(c.customerId)}`,
    `contract ID: ${orNotSet(c.contractId)}`,
    `site ID: ${orNotSet(c.siteId)}`,
  ];
}

function mailServerLine(index: number, host: string, priority: number): string {
  return `Mail-server[${index}]: Address: ${host} Priority: ${priority}`;
}

function sortedServers<T extends { readonly priority: number }>(servers: readonly T[]): T[] {
  return [...servers].sort((a, b) => a.priority - b.priority);
}

/** `Available alert groups:` table rows (keyword, state, description). */
function alertGroupRows(c: CallHomeConfig, indent: string): string[] {
  return [
    `  ${col('Keyword', 23)}${col('State', 8)}Description`,
    '  -----',
    ...ALERT_GROUPS.map((g) => `${indent}${col(g, 24)}${col(c.alertGroupEnabled[g] ? 'Enable' : 'Disable', 8)}${ALERT_GROUP_DESCRIPTIONS[g]}`),
  ];
}

function rateLimitLine(c: CallHomeConfig): string {
  return `Rate-limit: ${c.rateLimit} message(s) per minute`;
}

/** `show call-home`. */
export function renderShowCallHome(c: CallHomeConfig): string {
  const settings = [
    ...identityLines(c, ' : '),
    ...sortedServers(c.mailServers).map((m, i) => mailServerLine(i + 1, m.host, m.priority)),
    rateLimitLine(c),
  ];
  return lines([
    'Current call home settings:',
    ...settings.map((l) => `  ${l}`),
    'Available alert groups:',
    ...alertGroupRows(c, '  '),
    'Profiles:',
    ...c.profiles.map((p) => `  Profile Name: ${p.name}`),
  ]);
}

/** `show call-home detail`. */
export function renderShowCallHomeDetail(c: CallHomeConfig): string {
  const settings = [
    ...identityLines(c, ': '),
    `source ip address: ${orNotSet(c.sourceIpAddress)}`,
    `source interface: ${orNotSet(c.sourceInterface)}`,
    ...sortedServers(c.mailServers).map((m, i) => mailServerLine(i + 1, m.host, m.priority)),
    `http proxy: ${c.httpProxy ? `${c.httpProxy.host}:${c.httpProxy.port}` : 'Not yet set up'}`,
    `aaa-authorization: ${enable(c.aaaAuthorization)}`,
    `aaa-authorization username: ${c.aaaUsername}${c.aaaUsername === DEFAULT_AAA_USERNAME ? ' (default)' : ''}`,
    `data-privacy: ${c.dataPrivacyLevel}`,
    `syslog throttling: ${enable(c.syslogThrottling)}`,
    rateLimitLine(c),
    ...c.snapshotCommands.map((cmd, i) => `Snapshot command[${i}]: ${cmd}`),
  ];
  const profiles = c.profiles.flatMap((p) => profileLines(p).map((l) => `  ${l}`));
  return lines(['Current call home settings:', ...settings.map((l) => `  ${l}`), 'Available alert groups:', ...alertGroupRows(c, '  '), 'Profiles:', ...profiles]);
}

/** `show call-home alert-group`. */
export function renderShowCallHomeAlertGroup(c: CallHomeConfig): string {
  return lines(['Available alert groups:', ...alertGroupRows(c, '')]);
}

/** First line of `show call-home mail-server status`, printed before the probes run. */
export const MAIL_SERVER_WAIT_LINE = 'Please wait. Checking for mail server status ...';

/** The probe result lines of `show call-home mail-server status`. */
export function renderMailServerStatus(statuses: readonly MailServerStatus[]): string {
  return lines(
    sortedServers(statuses).map((s, i) => `${mailServerLine(i + 1, s.host, s.priority)} ${s.available ? '[Available]' : '[Not Available]'}`),
  );
}
