/**
 * The destination-profile block shared by `show call-home profile all|NAME` and
 * `show call-home detail` (ios-call-home.md §3.5.5, §3.5.6): status, mode, format, size,
 * transport, addresses, `Periodic …` lines, and the Alert-group and Syslog-Pattern tables.
 */
import {
  CISCO_TAC_PROFILE,
  newUserProfile,
  type AlertGroup,
  type MessageFormat,
  type Periodic,
  type Profile,
  type Subscription,
} from '../../domain/callhome.js';
import { isSeverityKeyword, type SeverityKeyword } from '../../domain/severity.js';
import { isAlertGroup, isWeekday, parseHhmm } from '../config/domain-words.js';
import { EMPTY_ROW } from '../layout/call-home.js';
import { integer, isSeparator, keyValue, setValue, unparsed, words, type Line, type Unparsed } from './text.js';

type Table = 'none' | 'groups' | 'patterns';

/** A severity as show output prints it (`debug` for level 0), or undefined. */
export function showSeverity(word: string): SeverityKeyword | undefined {
  const w = word.toLowerCase();
  if (w === 'debug') return 'debugging';
  return isSeverityKeyword(w) ? w : undefined;
}

function alertGroup(word: string): AlertGroup | undefined {
  const w = word.toLowerCase();
  return isAlertGroup(w) ? w : undefined;
}

/**
 * The schedule of a `Periodic <group> info message is scheduled <schedule>` line. Only the
 * monthly wording is sampled in the guide; the others are the wordings of later releases.
 * Unknown wordings give undefined (the subscription is kept without a schedule).
 */
export function parseSchedule(schedule: string): Periodic | undefined {
  const s = schedule.trim().replace(/\s+/g, ' ').toLowerCase();
  // `every 14 day of the month at 11:12`
  let m = /^every (\d{1,2}) day of the month at (\S+)$/.exec(s);
  if (m) {
    const t = parseHhmm(m[2] ?? '');
    const date = Number(m[1]);
    return t && date >= 1 && date <= 31 ? { kind: 'monthly', date, ...t } : undefined;
  }
  // `daily at 14:30`, `every day at 14:30`
  m = /^(?:daily|every day) at (\S+)$/.exec(s);
  if (m) {
    const t = parseHhmm(m[1] ?? '');
    return t ? { kind: 'daily', ...t } : undefined;
  }
  // `every monday at 10:00`, `weekly on monday at 10:00`
  m = /^(?:every|weekly on) ([a-z]+) at (\S+)$/.exec(s);
  const day = m?.[1];
  if (m && isWeekday(day)) {
    const t = parseHhmm(m[2]);
    return t ? { kind: 'weekly', day, ...t } : undefined;
  }
  // `hourly at 30 minute(s)`, `every hour at 30 minute(s)`
  m = /^(?:hourly|every hour) at (\d{1,2}) minutes?(?:\(s\))?(?: past the hour)?$/.exec(s);
  if (m) {
    const mm = Number(m[1]);
    return mm < 60 ? { kind: 'hourly', mm } : undefined;
  }
  // `every 15 minute(s)`, `at an interval of 15 minute(s)`
  m = /^(?:every|at an interval of) (\d{1,2}) minutes?(?:\(s\))?$/.exec(s);
  if (m) {
    const minutes = Number(m[1]);
    return minutes >= 1 && minutes <= 60 ? { kind: 'interval', minutes } : undefined;
  }
  return undefined;
}

function parseFormat(value: string): MessageFormat | undefined {
  const v = value.toLowerCase();
  return v === 'xml' || v === 'long-text' || v === 'short-text' ? v : undefined;
}

function addressList(value: string): string[] {
  const v = setValue(value);
  if (v === undefined) return [];
  return v.split(/[\s,]+/).filter((a) => a !== '');
}

type Mutable = {
  -readonly [K in keyof Profile]: Profile[K];
};

/** A profile as a show block starts: defaults for what the block does not print. */
function blankProfile(name: string): Mutable {
  const tac = name.toLowerCase() === CISCO_TAC_PROFILE.toLowerCase();
  // Addresses and subscriptions come from the block itself, so only the flags differ from a new user profile.
  return { ...newUserProfile(name), predefined: tac, active: !tac };
}

/**
 * Parses the lines of one profile block (either train); the first line is `Profile Name: <name>`
 * (splitProfileBlocks guarantees it). Lines it does not understand go to `skipped`.
 */
export function parseProfileBlock(lines: readonly Line[], skipped: Unparsed[]): Profile {
  const first = lines[0];
  const head = first ? keyValue(first.trimmed) : undefined;
  const profile = blankProfile(head?.value ?? '');
  const subscriptions: Partial<Record<AlertGroup, Subscription>> = {};
  const patterns: { pattern: string; severity: SeverityKeyword }[] = [];
  let table: Table = 'none';

  for (const line of lines.slice(1)) {
    const t = line.trimmed;
    if (isSeparator(t)) continue;
    // `Alert-group          Severity`
    if (/^alert-group\s+severity$/i.test(t)) {
      table = 'groups';
      continue;
    }
    // `Syslog-Pattern       Severity`
    if (/^syslog-pattern\s+severity$/i.test(t)) {
      table = 'patterns';
      continue;
    }
    // `Periodic configuration info message is scheduled every 14 day of the month at 11:12`
    const periodic = /^periodic (\S+) info message is scheduled (.*)$/i.exec(t);
    if (periodic) {
      const group = alertGroup(periodic[1] ?? '');
      if (group) {
        const schedule = parseSchedule(periodic[2] ?? '');
        subscriptions[group] = schedule ? { periodic: schedule } : {};
      }
      table = 'none';
      continue;
    }
    const kv = keyValue(t);
    if (kv && applyField(profile, kv.key, kv.value)) {
      table = 'none';
      continue;
    }
    // `N/A                       N/A`: IOS XE's row of an empty table.
    if (table !== 'none' && words(t).every((w) => w === EMPTY_ROW)) continue;
    if (table === 'groups') {
      // `configuration          normal`
      const [word, sev, ...rest] = words(t);
      const severity = showSeverity(sev ?? '');
      const group = alertGroup(word ?? '');
      if (!group || !severity || rest.length > 0) {
        skipped.push(unparsed(line));
        continue;
      }
      if (group === 'syslog') patterns.push({ pattern: '.*', severity });
      else subscriptions[group] = { severity };
      continue;
    }
    if (table === 'patterns') {
      // `.*CALL_LOOP.*         debug` — the pattern may hold spaces; the severity is the last word.
      const parts = words(t);
      const severity = showSeverity(parts[parts.length - 1] ?? '');
      if (parts.length < 2 || !severity) {
        skipped.push(unparsed(line));
        continue;
      }
      patterns.push({ pattern: parts.slice(0, -1).join(' '), severity });
      continue;
    }
    // A field of a newer release, or anything else outside a table.
    skipped.push(unparsed(line));
  }
  const firstPattern = patterns[0];
  if (firstPattern) subscriptions.syslog = { severity: firstPattern.severity };
  profile.subscriptions = subscriptions;
  profile.syslogPatterns = patterns;
  return profile;
}

/** Applies one `key: value` field of a profile block; false when the key is not a profile field. */
function applyField(profile: Mutable, key: string, value: string): boolean {
  switch (key) {
    case 'profile status': {
      // `Profile status: ACTIVE`
      const v = value.toUpperCase();
      if (v === 'ACTIVE' || v === 'INACTIVE') profile.active = v === 'ACTIVE';
      return true;
    }
    case 'profile mode':
      // `Profile mode: Full Reporting` / `Anonymous Reporting Only`
      profile.mode = /anonymous/i.test(value) ? 'anonymous' : 'full';
      return true;
    case 'reporting data':
      // `Reporting Data: Smart Call Home, Smart Licensing` (IOS XE)
      profile.reportSmartCallHome = /call home/i.test(value);
      profile.reportSmartLicensing = /licensing/i.test(value);
      return true;
    case 'preferred message format': {
      const format = parseFormat(value);
      if (format) profile.format = format;
      return true;
    }
    case 'message size limit': {
      // `Message Size Limit: 3145728 Bytes`
      const size = integer(words(value)[0] ?? '');
      if (size !== undefined) profile.messageSizeLimit = size;
      return true;
    }
    case 'transport method': {
      // `Transport Method: email` / `http` / `email and http`
      const v = value.toLowerCase();
      const email = /\bemail\b/.test(v);
      const http = /\bhttps?\b/.test(v);
      if (email || http) {
        profile.transportEmail = email;
        profile.transportHttp = http;
      }
      return true;
    }
    case 'email address(es)':
      profile.emailAddresses = addressList(value);
      return true;
    case 'http address(es)':
      profile.httpUrls = addressList(value);
      return true;
    case 'other address(es)':
      // `Other address(es): default` (IOS XE): addresses of the transports not in use, not listed.
      return true;
    default:
      return false;
  }
}

/** Splits lines into profile blocks at each `Profile Name:` line; lines before the first are returned apart. */
export function splitProfileBlocks(lines: readonly Line[]): { before: Line[]; blocks: Line[][] } {
  const before: Line[] = [];
  const blocks: Line[][] = [];
  for (const line of lines) {
    if (/^profile name\s*:/i.test(line.trimmed)) blocks.push([line]);
    else if (blocks.length > 0) blocks[blocks.length - 1]?.push(line);
    else before.push(line);
  }
  return { before, blocks };
}
