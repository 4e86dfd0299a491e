/**
 * `show call-home` and `show call-home detail` (ios-call-home.md §3.5.1, §3.5.2) of either train:
 * the `Current call home settings:` block, the alert-group table, and the profiles (names only in
 * the summary, full blocks in the detail view). Indentation and blank lines are not trusted; lines
 * not understood are returned in `unparsed`.
 */
import type { MailServer, Profile } from '../../domain/callhome.js';
import { err, ok, type Result } from '../../util/result.js';
import { MAIL_SERVER_LINE, PROFILE_STATUS_LINE, SETTING_LABELS, TITLES } from '../layout/call-home.js';
import { parseAlertGroupRows, type AlertGroupState } from './alert-group-table.js';
import { parseProfileBlock, splitProfileBlocks } from './profile-block.js';
import {
  enableFlag,
  integer,
  keyValue,
  parseError,
  prepareLines,
  setValue,
  stripDefault,
  unparsed,
  words,
  type Line,
  withUnparsed, type ParseError,
  type Unparsed,
} from './text.js';

/** `Profile: NAME (status: ACTIVE)` under an IOS XE feature line. */
export type FeatureProfile = { readonly enabled: boolean; readonly profile?: string; readonly profileActive?: boolean };

/** A mail server as the settings list it (IOS XE adds `Secure:`). */
export type SettingsMailServer = MailServer & { readonly secure?: 'tls' };

/** The `Current call home settings:` block; fields a release does not print are absent. */
export type CallHomeSettings = {
  readonly serviceEnabled?: boolean;
  readonly senderFrom?: string;
  readonly senderReplyTo?: string;
  readonly vrf?: string;
  readonly contactEmail?: string;
  readonly phoneNumber?: string;
  readonly streetAddress?: string;
  readonly customerId?: string;
  readonly contractId?: string;
  readonly siteId?: string;
  readonly sourceIpAddress?: string;
  readonly sourceInterface?: string;
  readonly mailServers: readonly SettingsMailServer[];
  readonly httpProxy?: { readonly host: string; readonly port: number };
  /** IOS XE `http secure: server identity check: enabled|disabled`. */
  readonly httpServerIdentityCheck?: boolean;
  /** IOS XE `http resolve-hostname: default|ipv4-first|ipv6-first`. */
  readonly httpResolveHostname?: string;
  /** IOS XE `Diagnostic signature: enabled` and its profile. */
  readonly diagnosticSignature?: FeatureProfile;
  /** IOS XE `Smart licensing messages: enabled` and its profile. */
  readonly smartLicensing?: FeatureProfile;
  readonly aaaAuthorization?: boolean;
  readonly aaaUsername?: string;
  readonly dataPrivacyLevel?: 'normal' | 'high';
  readonly dataPrivacyHostname?: boolean;
  readonly syslogThrottling?: boolean;
  readonly rateLimit?: number;
  readonly snapshotCommands: readonly string[];
};

/** `show call-home` as data. */
export type ShowCallHome = {
  readonly settings: CallHomeSettings;
  readonly alertGroups: readonly AlertGroupState[];
  readonly profiles: readonly string[];
  readonly unparsed?: readonly Unparsed[];
};

/** `show call-home detail` as data. */
export type ShowCallHomeDetail = {
  readonly settings: CallHomeSettings;
  readonly alertGroups: readonly AlertGroupState[];
  readonly profiles: readonly Profile[];
  readonly unparsed?: readonly Unparsed[];
};

type Sections = { settings: Line[]; alertGroups: Line[]; profiles: Line[] };

const title = (t: string): string => t.toLowerCase().replace(/[\s_-]+/g, ' ');
const SETTINGS_TITLE = title(TITLES.settings);
const GROUPS_TITLE = title(TITLES.alertGroups);
const PROFILES_TITLE = title(TITLES.profiles);

/** Splits by the section titles; indentation is not trusted (the samples lost some). */
function splitSections(command: string, lines: readonly Line[], skipped: Unparsed[]): Result<Sections, ParseError> {
  const sections: Sections = { settings: [], alertGroups: [], profiles: [] };
  let current: keyof Sections | undefined;
  let seenSettings = false;
  for (const line of lines) {
    const t = title(line.trimmed);
    if (t === SETTINGS_TITLE) {
      current = 'settings';
      seenSettings = true;
      continue;
    }
    if (t === GROUPS_TITLE) {
      current = 'alertGroups';
      continue;
    }
    if (t === PROFILES_TITLE) {
      current = 'profiles';
      continue;
    }
    if (current === undefined) skipped.push(unparsed(line));
    else sections[current].push(line);
  }
  if (!seenSettings) return err(parseError(command, lines[0], 'no `Current call home settings:` block'));
  return ok(sections);
}

type MutableSettings = { -readonly [K in keyof CallHomeSettings]: CallHomeSettings[K] } & {
  mailServers: SettingsMailServer[];
  snapshotCommands: string[];
};

const key = (label: string): string => label.toLowerCase();
// `Snapshot command[0]: show version`
const SNAPSHOT = /^snapshot command\s*\[(\d{1,3})\]$/;

/** Reads the settings lines; a line it does not understand goes to `skipped`. */
function parseSettings(lines: readonly Line[], skipped: Unparsed[]): CallHomeSettings {
  const s: MutableSettings = { mailServers: [], snapshotCommands: [] };
  const snapshots: { index: number; command: string }[] = [];
  // The feature an IOS XE `Profile: NAME (status: …)` line belongs to.
  let feature: 'diagnosticSignature' | 'smartLicensing' | undefined;
  for (const line of lines) {
    const skip = (): void => void skipped.push(unparsed(line));
    // `Mail-server[1]: Address: 192.0.2.1 Priority: 1 Secure: none`
    const mail = MAIL_SERVER_LINE.exec(line.trimmed);
    if (mail && mail[5] === undefined) {
      s.mailServers.push({ host: mail[2] ?? '', priority: Number(mail[3]), ...(mail[4]?.toLowerCase() === 'tls' ? { secure: 'tls' as const } : {}) });
      continue;
    }
    // `Profile: CiscoTAC-1 (status: ACTIVE)`
    const status = PROFILE_STATUS_LINE.exec(line.trimmed);
    if (status && feature) {
      const f = s[feature];
      if (f) s[feature] = { ...f, profile: status[1] ?? '', profileActive: status[2]?.toUpperCase() === 'ACTIVE' };
      feature = undefined;
      continue;
    }
    const kv = keyValue(line.trimmed);
    if (!kv) {
      skip();
      continue;
    }
    const { key: k, value } = kv;
    const v = setValue(value);
    const snap = SNAPSHOT.exec(k);
    if (snap) {
      snapshots.push({ index: Number(snap[1]), command: value });
      continue;
    }
    if (!applySetting(s, k, value, v)) skip();
    if (k === key(SETTING_LABELS.diagnosticSignature)) feature = 'diagnosticSignature';
    else if (k === key(SETTING_LABELS.smartLicensing)) feature = 'smartLicensing';
  }
  s.snapshotCommands = snapshots.sort((a, b) => a.index - b.index).map((x) => x.command);
  return s;
}

/** Applies one `key: value` setting; false when the key or value is not understood. */
function applySetting(s: MutableSettings, k: string, value: string, v: string | undefined): boolean {
  {
    switch (k) {
      case 'call home feature': {
        // `call home feature : disable`
        const flag = enableFlag(value);
        if (flag === undefined) return false;
        s.serviceEnabled = flag;
        break;
      }
      case 'mail-server':
        // `Mail-server: Not yet set up` (IOS XE with none)
        return v === undefined;
      case 'http secure':
        // `http secure:` — its `server identity check:` line follows
        return value === '';
      case 'server identity check': {
        const flag = enableFlag(value);
        if (flag === undefined) return false;
        s.httpServerIdentityCheck = flag;
        break;
      }
      case 'http resolve-hostname':
        if (v === undefined) return false;
        s.httpResolveHostname = v;
        break;
      case 'diagnostic signature':
      case 'smart licensing messages': {
        const flag = enableFlag(value);
        if (flag === undefined) return false;
        s[k === 'diagnostic signature' ? 'diagnosticSignature' : 'smartLicensing'] = { enabled: flag };
        break;
      }
      case "call home message's from address":
        s.senderFrom = v;
        break;
      case "call home message's reply-to address":
        s.senderReplyTo = v;
        break;
      case 'vrf for call-home messages':
        s.vrf = v;
        break;
      case "contact person's email address":
        s.contactEmail = v;
        break;
      case "contact person's phone number":
        s.phoneNumber = v;
        break;
      case 'street address':
        s.streetAddress = v;
        break;
      case 'customer id':
        s.customerId = v;
        break;
      case 'contract id':
        s.contractId = v;
        break;
      case 'site id':
        s.siteId = v;
        break;
      case 'source ip address':
        s.sourceIpAddress = v;
        break;
      case 'source interface':
        s.sourceInterface = v;
        break;
      case 'http proxy': {
        // `http proxy: 192.168.1.1:80` (IPv6 hosts hold colons: the port follows the last one)
        if (v === undefined) break;
        const colon = v.lastIndexOf(':');
        const port = integer(v.slice(colon + 1));
        if (colon <= 0 || port === undefined) return false;
        s.httpProxy = { host: v.slice(0, colon).replace(/^\[|\]$/g, ''), port };
        break;
      }
      case 'aaa-authorization': {
        const flag = enableFlag(value);
        if (flag !== undefined) s.aaaAuthorization = flag;
        break;
      }
      case 'aaa-authorization username':
        s.aaaUsername = v === undefined ? undefined : stripDefault(v);
        break;
      case 'data-privacy': {
        // `data-privacy: normal` (`high`, `high hostname` on later releases)
        const w = stripDefault(value).toLowerCase();
        s.dataPrivacyLevel = /\bhigh\b/.test(w) ? 'high' : 'normal';
        s.dataPrivacyHostname = /\bhostname\b/.test(w);
        break;
      }
      case 'syslog throttling': {
        const flag = enableFlag(value);
        if (flag !== undefined) s.syslogThrottling = flag;
        break;
      }
      case 'rate-limit': {
        // `Rate-limit: 20 message(s) per minute`
        const n = integer(words(value)[0] ?? '');
        if (n === undefined) return false;
        s.rateLimit = n;
        break;
      }
      default:
        return false; // a field of a newer release
    }
  }
  return true;
}

function parseCommon(command: string, output: string) {
  const prepared = prepareLines(command, output);
  if (!prepared.ok) return prepared;
  const skipped: Unparsed[] = [];
  const sections = splitSections(command, prepared.value, skipped);
  if (!sections.ok) return sections;
  const settings = parseSettings(sections.value.settings, skipped);
  const alertGroups = parseAlertGroupRows(sections.value.alertGroups, skipped);
  return ok({ settings, alertGroups, profileLines: sections.value.profiles, skipped });
}


/** Parses `show call-home` (the summary). */
export function parseShowCallHome(output: string): Result<ShowCallHome, ParseError> {
  const command = 'show call-home';
  const common = parseCommon(command, output);
  if (!common.ok) return common;
  const profiles: string[] = [];
  const skipped = common.value.skipped;
  for (const line of common.value.profileLines) {
    // `Profile Name: campus-noc`
    const kv = keyValue(line.trimmed);
    if (kv?.key === 'profile name' && kv.value !== '') profiles.push(kv.value);
    else skipped.push(unparsed(line));
  }
  return ok(withUnparsed({ settings: common.value.settings, alertGroups: common.value.alertGroups, profiles }, skipped));
}

/** Parses `show call-home detail`. */
export function parseShowCallHomeDetail(output: string): Result<ShowCallHomeDetail, ParseError> {
  const command = 'show call-home detail';
  const common = parseCommon(command, output);
  if (!common.ok) return common;
  const { before, blocks } = splitProfileBlocks(common.value.profileLines);
  const skipped = common.value.skipped;
  skipped.push(...before.map(unparsed));
  const profiles: Profile[] = blocks.map((block) => parseProfileBlock(block, skipped));
  return ok(withUnparsed({ settings: common.value.settings, alertGroups: common.value.alertGroups, profiles }, skipped));
}
