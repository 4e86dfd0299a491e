/**
 * `show call-home` and `show call-home detail` (ios-call-home.md §3.5.1, §3.5.2): the
 * `Current call home settings:` block, the alert-group table, and the profiles (names only in
 * the summary, full blocks in the detail view).
 */
import type { MailServer, Profile } from '../../domain/callhome.js';
import { err, ok, type Result } from '../../util/result.js';
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
  words,
  type Line,
  type ParseError,
} from './text.js';

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
  readonly mailServers: readonly MailServer[];
  readonly httpProxy?: { readonly host: string; readonly port: number };
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
};

/** `show call-home detail` as data. */
export type ShowCallHomeDetail = {
  readonly settings: CallHomeSettings;
  readonly alertGroups: readonly AlertGroupState[];
  readonly profiles: readonly Profile[];
};

type Sections = { settings: Line[]; alertGroups: Line[]; profiles: Line[] };

/** Splits by the section titles; indentation is not trusted (the samples lost some). */
function splitSections(command: string, lines: readonly Line[]): Result<Sections, ParseError> {
  const sections: Sections = { settings: [], alertGroups: [], profiles: [] };
  let current: keyof Sections | undefined;
  let seenSettings = false;
  for (const line of lines) {
    const t = line.trimmed.toLowerCase();
    // `Current call home settings:`
    if (/^current call.?home settings\s*:$/.test(t)) {
      current = 'settings';
      seenSettings = true;
      continue;
    }
    // `Available alert groups:`
    if (/^available alert.?groups\s*:$/.test(t)) {
      current = 'alertGroups';
      continue;
    }
    // `Profiles:`
    if (/^profiles\s*:$/.test(t)) {
      current = 'profiles';
      continue;
    }
    if (current === undefined) return err(parseError(command, line, 'expected `Current call home settings:` first'));
    sections[current].push(line);
  }
  if (!seenSettings) return err(parseError(command, lines[0], 'no `Current call home settings:` block'));
  return ok(sections);
}

type MutableSettings = { -readonly [K in keyof CallHomeSettings]: CallHomeSettings[K] } & {
  mailServers: MailServer[];
  snapshotCommands: string[];
};

// `Mail-server[1]: Address: smtp.example.com Priority: 1`
const MAIL_SERVER = /^address\s*:\s*(\S+)\s+priority\s*:\s*(\d{1,3})$/i;
// `Snapshot command[0]: show version`
const SNAPSHOT = /^snapshot command\s*\[(\d{1,3})\]$/;
// `Mail-server[1]`
const MAIL_KEY = /^mail-server\s*\[\d{1,3}\]$/;

function parseSettings(command: string, lines: readonly Line[]): Result<CallHomeSettings, ParseError> {
  const s: MutableSettings = { mailServers: [], snapshotCommands: [] };
  const snapshots: { index: number; command: string }[] = [];
  for (const line of lines) {
    const kv = keyValue(line.trimmed);
    if (!kv) continue; // a line of a newer release without `key: value`
    const { key, value } = kv;
    const v = setValue(value);
    if (MAIL_KEY.test(key)) {
      const m = MAIL_SERVER.exec(value);
      if (!m) return err(parseError(command, line, 'expected `Mail-server[N]: Address: <host> Priority: <n>`'));
      s.mailServers.push({ host: m[1] ?? '', priority: Number(m[2]) });
      continue;
    }
    const snap = SNAPSHOT.exec(key);
    if (snap) {
      snapshots.push({ index: Number(snap[1]), command: value });
      continue;
    }
    switch (key) {
      case 'call home feature': {
        // `call home feature : disable`
        const flag = enableFlag(value);
        if (flag === undefined) return err(parseError(command, line, 'expected `enable` or `disable`'));
        s.serviceEnabled = flag;
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
        if (colon <= 0 || port === undefined) return err(parseError(command, line, 'expected `http proxy: <host>:<port>`'));
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
        if (n === undefined) return err(parseError(command, line, 'expected `Rate-limit: <n> message(s) per minute`'));
        s.rateLimit = n;
        break;
      }
      default:
        break; // a field of a newer release
    }
  }
  s.snapshotCommands = snapshots.sort((a, b) => a.index - b.index).map((x) => x.command);
  return ok(s);
}

function parseCommon(command: string, output: string) {
  const prepared = prepareLines(command, output);
  if (!prepared.ok) return prepared;
  const sections = splitSections(command, prepared.value);
  if (!sections.ok) return sections;
  const settings = parseSettings(command, sections.value.settings);
  if (!settings.ok) return settings;
  const alertGroups = parseAlertGroupRows(command, sections.value.alertGroups);
  if (!alertGroups.ok) return alertGroups;
  return ok({ settings: settings.value, alertGroups: alertGroups.value, profileLines: sections.value.profiles });
}

/** Parses `show call-home` (the summary). */
export function parseShowCallHome(output: string): Result<ShowCallHome, ParseError> {
  const command = 'show call-home';
  const common = parseCommon(command, output);
  if (!common.ok) return common;
  const profiles: string[] = [];
  for (const line of common.value.profileLines) {
    // `Profile Name: campus-noc`
    const kv = keyValue(line.trimmed);
    if (kv?.key === 'profile name' && kv.value !== '') profiles.push(kv.value);
  }
  return ok({ settings: common.value.settings, alertGroups: common.value.alertGroups, profiles });
}

/** Parses `show call-home detail`. */
export function parseShowCallHomeDetail(output: string): Result<ShowCallHomeDetail, ParseError> {
  const command = 'show call-home detail';
  const common = parseCommon(command, output);
  if (!common.ok) return common;
  const { before, blocks } = splitProfileBlocks(common.value.profileLines);
  const stray = before[0];
  if (stray) return err(parseError(command, stray, 'expected `Profile Name: <name>` under `Profiles:`'));
  const profiles: Profile[] = [];
  for (const block of blocks) {
    const parsed = parseProfileBlock(command, block);
    if (!parsed.ok) return parsed;
    profiles.push(parsed.value);
  }
  return ok({ settings: common.value.settings, alertGroups: common.value.alertGroups, profiles });
}
