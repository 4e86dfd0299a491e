/**
 * `show call-home`, `detail`, `alert-group` and `mail-server status` (spec §3.5.1–§3.5.4) in the
 * layout of the device's train (src/ios/layout/call-home.ts describes both).
 */
import { ALERT_GROUPS, ALERT_GROUP_DESCRIPTIONS, CISCO_TAC_PROFILE, DEFAULT_AAA_USERNAME, type CallHomeConfig, type Train } from '../../domain/callhome.js';
import { NOT_SET, SETTING_LABELS as S, TITLES, bodyIndent, mailServerText } from '../../ios/layout/call-home.js';
import type { MailServerStatus } from '../types.js';
import { col, lines, orNotSet } from './format.js';
import { indentProfile, listedProfiles, profileLines } from './profile.js';

export { MAIL_SERVER_WAIT_LINE } from '../../ios/layout/call-home.js';

function enable(on: boolean): string {
  return on ? 'enable' : 'disable';
}

function enabled(on: boolean): string {
  return on ? 'enabled' : 'disabled';
}

function sortedServers<T extends { readonly priority: number }>(servers: readonly T[]): T[] {
  return [...servers].sort((a, b) => a.priority - b.priority);
}

/** The settings lines both views share, up to and including the contract/site lines. */
function identityLines(c: CallHomeConfig, featureSeparator: string): string[] {
  return [
    `${S.serviceEnabled}${featureSeparator}${enable(c.serviceEnabled)}`,
    `${S.senderFrom}: ${orNotSet(c.senderFrom)}`,
    `${S.senderReplyTo}: ${orNotSet(c.senderReplyTo)}`,
    `${S.vrf}: ${orNotSet(c.vrf)}`,
    `${S.contactEmail}: ${orNotSet(c.contactEmail)}`,
    `${S.phoneNumber}: ${orNotSet(c.phoneNumber)}`,
    `${S.streetAddress}: ${orNotSet(c.streetAddress)}`,
    `${S.customerId}: ${orNotSet(c.customerId)}`,
    `${S.contractId}: ${orNotSet(c.contractId)}`,
    `${S.siteId}: ${orNotSet(c.siteId)}`,
  ];
}

/** `Available alert groups:` table rows (keyword, state, description). */
function alertGroupRows(c: CallHomeConfig, train: Train, indent: string): string[] {
  if (train === 'xe') {
    return [
      `${indent}${col('Keyword', 25)}${col('State', 8)}Description`,
      `${indent}${'-'.repeat(24)} ${'-'.repeat(7)} ${'-'.repeat(31)}`,
      ...ALERT_GROUPS.map((g) => `${indent}${col(g, 25)}${col(c.alertGroupEnabled[g] ? 'Enable' : 'Disable', 8)}${ALERT_GROUP_DESCRIPTIONS[g]}`),
    ];
  }
  return [
    `  ${col('Keyword', 23)}${col('State', 8)}Description`,
    '  -----',
    ...ALERT_GROUPS.map((g) => `${indent}${col(g, 24)}${col(c.alertGroupEnabled[g] ? 'Enable' : 'Disable', 8)}${ALERT_GROUP_DESCRIPTIONS[g]}`),
  ];
}

function rateLimitLine(c: CallHomeConfig): string {
  return `${S.rateLimit}: ${c.rateLimit} message(s) per minute`;
}

/** The profile that sends Smart Licensing messages (the active one reporting them), else CiscoTAC-1. */
function licensingProfile(c: CallHomeConfig): { name: string; active: boolean } {
  const p = c.profiles.find((q) => q.active && q.reportSmartLicensing) ?? c.profiles.find((q) => q.predefined);
  return { name: p?.name ?? CISCO_TAC_PROFILE, active: p?.active ?? false };
}

/** The profile diagnostic signatures are downloaded over. */
function signatureProfile(c: CallHomeConfig): { name: string; active: boolean } {
  const name = c.diagnosticSignature?.profile ?? CISCO_TAC_PROFILE;
  const p = c.profiles.find((q) => q.name.toLowerCase() === name.toLowerCase());
  return { name, active: p?.active ?? false };
}

const statusLine = (p: { name: string; active: boolean }): string => `${S.profileStatus}: ${p.name} (status: ${p.active ? 'ACTIVE' : 'INACTIVE'})`;

/** The IOS XE settings block: four-space indentation, sub-items eight, groups apart by blank lines. */
function xeSettings(c: CallHomeConfig, detail: boolean): string[] {
  const i = bodyIndent('xe');
  const servers = sortedServers(c.mailServers);
  const licensing = licensingProfile(c);
  const groups: string[][] = [
    identityLines(c, ' : '),
    [
      `${S.sourceIpAddress}: ${orNotSet(c.sourceIpAddress)}`,
      `${S.sourceInterface}: ${orNotSet(c.sourceInterface)}`,
      ...(servers.length === 0 ? [`${S.mailServer}: ${NOT_SET}`] : servers.map((m, n) => mailServerText(n + 1, m, 'xe'))),
      `${S.httpProxy}: ${c.httpProxy ? `${c.httpProxy.host}:${c.httpProxy.port}` : NOT_SET}`,
    ],
    [`${S.httpSecure}:`, `${i}${S.serverIdentityCheck}: ${enabled(c.httpServerIdentityCheck !== false)}`, `${S.httpResolveHostname}: ${c.httpResolveHostname ?? 'default'}`],
    [`${S.diagnosticSignature}: ${enabled(c.diagnosticSignature?.active ?? true)}`, `${i}${statusLine(signatureProfile(c))}`],
    [`${S.smartLicensing}: ${enabled(licensing.active)}`, `${i}${statusLine(licensing)}`],
    [
      `${S.aaaAuthorization}: ${enable(c.aaaAuthorization)}`,
      `${S.aaaUsername}: ${c.aaaUsername}${c.aaaUsername === DEFAULT_AAA_USERNAME ? ' (default)' : ''}`,
      `${S.dataPrivacy}: ${c.dataPrivacyLevel}${c.dataPrivacyHostname ? ' hostname' : ''}`,
      `${S.syslogThrottling}: ${enable(c.syslogThrottling)}`,
    ],
    [rateLimitLine(c)],
    ...(detail && c.snapshotCommands.length > 0 ? [c.snapshotCommands.map((cmd, n) => `${S.snapshotCommand}[${n}]: ${cmd}`)] : []),
  ];
  return groups.flatMap((g, n) => [...(n === 0 ? [] : ['']), ...g.map((l) => `${i}${l}`)]);
}

/** `show call-home`. */
export function renderShowCallHome(c: CallHomeConfig, train: Train = 'classic'): string {
  const profiles = listedProfiles(c.profiles);
  if (train === 'xe') {
    return lines([
      TITLES.settings,
      ...xeSettings(c, false),
      '',
      TITLES.alertGroups,
      ...alertGroupRows(c, 'xe', bodyIndent('xe')),
      '',
      TITLES.profiles,
      ...profiles.map((p) => `${bodyIndent('xe')}Profile Name: ${p.name}`),
    ]);
  }
  const settings = [
    ...identityLines(c, ' : '),
    ...sortedServers(c.mailServers).map((m, i) => mailServerText(i + 1, m, 'classic')),
    rateLimitLine(c),
  ];
  return lines([
    TITLES.settings,
    ...settings.map((l) => `  ${l}`),
    TITLES.alertGroups,
    ...alertGroupRows(c, 'classic', '  '),
    TITLES.profiles,
    ...profiles.map((p) => `  Profile Name: ${p.name}`),
  ]);
}

/** `show call-home detail`. */
export function renderShowCallHomeDetail(c: CallHomeConfig, train: Train = 'classic'): string {
  const profiles = listedProfiles(c.profiles);
  if (train === 'xe') {
    return lines([
      TITLES.settings,
      ...xeSettings(c, true),
      '',
      TITLES.alertGroups,
      ...alertGroupRows(c, 'xe', bodyIndent('xe')),
      '',
      TITLES.profiles,
      ...profiles.flatMap((p) => ['', ...indentProfile(profileLines(p, 'xe'), '', bodyIndent('xe'))]),
    ]);
  }
  const settings = [
    ...identityLines(c, ': '),
    `${S.sourceIpAddress}: ${orNotSet(c.sourceIpAddress)}`,
    `${S.sourceInterface}: ${orNotSet(c.sourceInterface)}`,
    ...sortedServers(c.mailServers).map((m, i) => mailServerText(i + 1, m, 'classic')),
    `${S.httpProxy}: ${c.httpProxy ? `${c.httpProxy.host}:${c.httpProxy.port}` : NOT_SET}`,
    `${S.aaaAuthorization}: ${enable(c.aaaAuthorization)}`,
    `${S.aaaUsername}: ${c.aaaUsername}${c.aaaUsername === DEFAULT_AAA_USERNAME ? ' (default)' : ''}`,
    `${S.dataPrivacy}: ${c.dataPrivacyLevel}`,
    `${S.syslogThrottling}: ${enable(c.syslogThrottling)}`,
    rateLimitLine(c),
    ...c.snapshotCommands.map((cmd, i) => `${S.snapshotCommand}[${i}]: ${cmd}`),
  ];
  const blocks = profiles.flatMap((p) => profileLines(p, 'classic').map((l) => `  ${l}`));
  return lines([TITLES.settings, ...settings.map((l) => `  ${l}`), TITLES.alertGroups, ...alertGroupRows(c, 'classic', '  '), TITLES.profiles, ...blocks]);
}

/** `show call-home alert-group`. */
export function renderShowCallHomeAlertGroup(c: CallHomeConfig, train: Train = 'classic'): string {
  return lines([TITLES.alertGroups, ...alertGroupRows(c, train, train === 'xe' ? bodyIndent('xe') : '')]);
}

/** The probe result lines of `show call-home mail-server status` (IOS XE indents them after a blank line). */
export function renderMailServerStatus(statuses: readonly (MailServerStatus & { readonly secure?: 'tls' })[], train: Train = 'classic'): string {
  const rows = sortedServers(statuses).map((s, i) => `${mailServerText(i + 1, s, train)} ${s.available ? '[Available]' : '[Not Available]'}`);
  return lines(train === 'xe' ? ['', ...rows.map((r) => `${bodyIndent('xe')}${r}`)] : rows);
}

