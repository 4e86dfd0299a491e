/**
 * Data-privacy scrubbing of configuration attachments (ios-call-home.md §10.4, C68) and the
 * blanking of identifying fields in anonymous mode (§10.1, C69).
 * Replacement token: `<removed>` (the guide names none).
 */
import { createHash } from 'node:crypto';
import type { CallHomeConfig } from '../../domain/callhome.js';
import type { Attachment, CallHomeMessage } from '../../domain/message.js';
import { SCRUBBED_COMMANDS } from './commands.js';

/** What replaces a scrubbed value. */
export const REMOVED = '<removed>';

type Rule = { readonly pattern: RegExp; readonly replace: (...groups: string[]) => string };

// Normal level: credentials and community strings, which IOS always scrubs.
const NORMAL_RULES: readonly Rule[] = [
  // enable secret 9 $9$..., username admin privilege 15 secret 9 ..., password 7 0822455D0A16
  { pattern: /^(.*?\b(?:secret|password)\s+)(?:(\d)\s+)?(\S+)(.*)$/, replace: (_, head = '', type, _v, tail = '') => `${head}${type ? `${type} ` : ''}${REMOVED}${tail}` },
  { pattern: /^(\s*snmp-server community\s+)(\S+)(.*)$/, replace: (_, head = '', _v, tail = '') => `${head}${REMOVED}${tail}` },
  // Keys at the start of a line only: `crypto key generate rsa` is not a secret.
  {
    pattern: /^(\s*(?:crypto isakmp key|(?:tacacs|radius)-server key|key-string|pre-shared-key(?: local| remote)?|key)\s+)(?:(\d)\s+)?(\S+)(.*)$/,
    replace: (_, head = '', type, _v, tail = '') => `${head}${type ? `${type} ` : ''}${REMOVED}${tail}`,
  },
];

// High level adds the IP domain name and IP addresses.
const HIGH_RULES: readonly Rule[] = [
  { pattern: /^(\s*ip domain[- ]name\s+)(?:vrf\s+\S+\s+)?(\S+)(.*)$/, replace: (_, head = '', _v, tail = '') => `${head}${REMOVED}${tail}` },
  { pattern: /^(\s*(?:no\s+)?ipv?6? address\s+)(\S+)(?:\s+(\d+\.\d+\.\d+\.\d+))?(.*)$/, replace: (_, head = '', _a, mask, tail = '') => `${head}${REMOVED}${mask ? ` ${REMOVED}` : ''}${tail}` },
];

function applyRules(line: string, rules: readonly Rule[]): string {
  for (const rule of rules) {
    const match = rule.pattern.exec(line);
    if (match) return rule.replace(...match.map((g) => g ?? ''));
  }
  return line;
}

/** Scrubs one configuration text at the given level; `hostname` also removes the device name. */
export function scrubConfigText(text: string, level: 'normal' | 'high', hostname: string | null): string {
  const rules = level === 'high' ? [...NORMAL_RULES, ...HIGH_RULES] : NORMAL_RULES;
  let out = text
    .split('\n')
    .map((line) => applyRules(line, rules))
    .join('\n');
  if (hostname) out = replaceWord(out, hostname);
  return out;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces every whole-word occurrence of `word` (hostname, serial) with the removal token. */
export function replaceWord(text: string, word: string): string {
  if (word === '') return text;
  return text.replace(new RegExp(`(?<![\\w-])${escapeRegExp(word)}(?![\\w-])`, 'g'), REMOVED);
}

/** Applies the configured data-privacy level to the configuration attachments (and the name). */
export function applyDataPrivacy(message: CallHomeMessage, config: CallHomeConfig): CallHomeMessage {
  const hostname = config.dataPrivacyHostname ? message.hostname : null;
  const attachments: Attachment[] = message.attachments.map((a) =>
    SCRUBBED_COMMANDS.includes(a.name) ? { name: a.name, data: scrubConfigText(a.data, config.dataPrivacyLevel, hostname) } : a,
  );
  return { ...message, attachments, hostname: hostname === null ? message.hostname : '' };
}

/** Message kinds an anonymous profile carries. */
export const ANONYMOUS_KINDS: readonly string[] = ['crash', 'inventory', 'test'];

/**
 * The stand-in for the chassis serial in anonymous messages: `ANON` + 12 hex digits of a hash of
 * the serial. It is stable, so a back end can keep one record per anonymous device, but it does
 * not reveal the serial, hostname or owner.
 */
export function anonymousId(serial: string): string {
  return `ANON${createHash('sha256').update(`callhome-anonymous:${serial}`).digest('hex').slice(0, 12).toUpperCase()}`;
}

/**
 * Anonymous mode: blanks every identifying field (customer, contact, hostname), replaces the serial
 * with its anonymous ID everywhere (MessageId, DeviceId, rme:SerialNumber), and removes the
 * hostname and serial from the attachments (prompts and `show version` carry them).
 */
export function anonymize(message: CallHomeMessage): CallHomeMessage {
  const serial = message.serialNumber;
  const anon = anonymousId(serial);
  const scrub = (data: string): string => replaceWord(replaceWord(data, serial), message.hostname);
  return {
    ...message,
    messageId: message.messageId.replace(`:${serial}:`, `:${anon}:`),
    groupId: message.groupId.replace(`:${serial}:`, `:${anon}:`),
    hostname: '',
    contactName: '',
    contactEmail: '',
    phoneNumber: '',
    streetAddress: '',
    customerId: '',
    siteId: '',
    contractId: '',
    deviceId: `${message.model}@C@${anon}`,
    ccoId: '',
    idToken: '',
    serialNumber: anon,
    description: scrub(message.description),
    attachments: message.attachments.map((a) => ({ name: a.name, data: scrub(a.data) })),
  };
}
