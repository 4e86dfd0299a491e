/**
 * The layouts of the `show call-home …` family, described once for the lab's renderers
 * (src/lab/show) and the parsers (src/ios/parsers), per software train: classic IOS 15.x prints
 * the configuration guide's layouts; IOS XE 16.x/17.x indents settings four spaces, groups them by
 * blank lines, adds `Secure:` to mail-server lines, the http secure / resolve-hostname / diagnostic
 * signature / Smart Licensing lines, `Reporting Data:`, `Other address(es):`, and `N/A` rows.
 */
import type { MailServer, Train } from '../../domain/callhome.js';

/** Section titles. */
export const TITLES = {
  settings: 'Current call home settings:',
  alertGroups: 'Available alert groups:',
  profiles: 'Profiles:',
} as const;

/** The label before the colon of each `Current call home settings:` line. */
export const SETTING_LABELS = {
  serviceEnabled: 'call home feature',
  senderFrom: "call home message's from address",
  senderReplyTo: "call home message's reply-to address",
  vrf: 'vrf for call-home messages',
  contactEmail: "contact person's email address",
  phoneNumber: "contact person's phone number",
  streetAddress: 'street address',
  customerId: 'customer ID',
  contractId: 'contract ID',
  siteId: 'site ID',
  sourceIpAddress: 'source ip address',
  sourceInterface: 'source interface',
  mailServer: 'Mail-server',
  httpProxy: 'http proxy',
  httpSecure: 'http secure',
  serverIdentityCheck: 'server identity check',
  httpResolveHostname: 'http resolve-hostname',
  diagnosticSignature: 'Diagnostic signature',
  smartLicensing: 'Smart licensing messages',
  profileStatus: 'Profile',
  aaaAuthorization: 'aaa-authorization',
  aaaUsername: 'aaa-authorization username',
  dataPrivacy: 'data-privacy',
  syslogThrottling: 'syslog throttling',
  rateLimit: 'Rate-limit',
  snapshotCommand: 'Snapshot command',
} as const;

/** The label of each line of a profile block. */
export const PROFILE_LABELS = {
  name: 'Profile Name',
  status: 'Profile status',
  mode: 'Profile mode',
  reportingData: 'Reporting Data',
  format: 'Preferred Message Format',
  size: 'Message Size Limit',
  transport: 'Transport Method',
  email: 'Email address(es)',
  http: 'HTTP address(es)',
  other: 'Other address(es)',
  alertGroupTable: 'Alert-group',
  syslogTable: 'Syslog-Pattern',
  severity: 'Severity',
} as const;

/** What IOS prints for an unset value. */
export const NOT_SET = 'Not yet set up';

/** The indentation of settings and profile bodies. */
export function bodyIndent(train: Train): string {
  return train === 'xe' ? '    ' : '  ';
}

/** `Mail-server[1]: Address: 192.0.2.1 Priority: 1` (classic) / `… Priority: 1 Secure: none` (IOS XE). */
export function mailServerText(index: number, m: Pick<MailServer, 'host' | 'priority' | 'secure'>, train: Train): string {
  const base = `${SETTING_LABELS.mailServer}[${index}]: Address: ${m.host} Priority: ${m.priority}`;
  return train === 'xe' ? `${base} Secure: ${m.secure ?? 'none'}` : base;
}

/** A mail-server line of either train, with or without the probe result of `mail-server status`. */
export const MAIL_SERVER_LINE =
  /^mail-server\s*\[(\d{1,3})\]\s*:\s*address\s*:\s*(\S+)\s+priority\s*:\s*(\d{1,3})(?:\s+secure\s*:\s*(none|tls))?(?:\s+\[(available|not available)\])?$/i;

/** The first line of `show call-home mail-server status`, printed before the probes run. */
export const MAIL_SERVER_WAIT_LINE = 'Please wait. Checking for mail server status ...';

/** The `Profile: NAME (status: ACTIVE)` line under `Diagnostic signature:` / `Smart licensing messages:`. */
export const PROFILE_STATUS_LINE = /^profile\s*:\s*(\S+)\s*\(status\s*:\s*(active|inactive)\)$/i;

/** The row IOS XE prints in an empty alert-group or syslog-pattern table. */
export const EMPTY_ROW = 'N/A';

/** Column width of the profile tables (`Alert-group               Severity`). */
export function profileTableWidth(train: Train): number {
  return train === 'xe' ? 26 : 21;
}

/** The dashes under a profile table header. */
export function profileTableSeparator(train: Train): string {
  return train === 'xe' ? '------------------------  ------------' : '-----';
}
