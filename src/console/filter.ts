/**
 * The `/` filter of the message history: `device:R1 type:sys sev:major free text`.
 *   device:NAME  serial or hostname, any case
 *   type:PREFIX  message type or alert group starting with PREFIX (`type:sys` = syslog)
 *   sev:N        severity N and above, by number (0-9) or name (`sev:major` = 5 and above)
 *   sev:=N       exactly severity N
 * The same filter is sent to the API (older pages) and applied to live events and to the pages.
 */
import { MESSAGE_KINDS } from '../domain/callhome.js';
import { isSeverityKeyword, severityLevel } from '../domain/severity.js';
import type { MessageSummary } from '../events/protocol.js';
import type { DeviceRow, MessageFilter } from './types.js';

const KEYS = new Set(['device', 'dev', 'type', 'sev', 'severity']);

/** A severity word: `5`, `major`, `=5`, `=major`, `>=5`; undefined when it is none of these. */
export function parseSeverityWord(value: string): { level: number; exact: boolean } | undefined {
  const m = /^(=|>=|>)?(.+)$/.exec(value.trim().toLowerCase());
  const op = m?.[1];
  const word = m?.[2] ?? '';
  const level = /^\d$/.test(word) ? Number(word) : isSeverityKeyword(word) ? severityLevel(word) : undefined;
  if (level === undefined) return undefined;
  if (op === '>') return level < 9 ? { level: level + 1, exact: false } : undefined;
  return { level, exact: op === '=' };
}

/** Parses filter text; unknown `key:value` words (and unknown severities) are treated as text. */
export function parseFilter(input: string): MessageFilter {
  let device: string | undefined;
  let type: string | undefined;
  let severity: number | undefined;
  let severityExact: boolean | undefined;
  const words: string[] = [];
  for (const word of input.trim().split(/\s+/).filter(Boolean)) {
    const match = /^([a-z]+):(.+)$/i.exec(word);
    const key = match?.[1]?.toLowerCase();
    const value = match?.[2];
    if (key === undefined || value === undefined || !KEYS.has(key)) {
      words.push(word);
      continue;
    }
    if (key === 'device' || key === 'dev') device = value;
    else if (key === 'type') type = value.toLowerCase();
    else {
      const sev = parseSeverityWord(value);
      if (sev === undefined) words.push(word);
      else {
        severity = sev.level;
        severityExact = sev.exact ? true : undefined;
      }
    }
  }
  const text = words.join(' ');
  return { device, type, severity, severityExact, text: text === '' ? undefined : text };
}

/** The filter as the user would type it (for the status line and to edit it again). */
export function formatFilter(filter: MessageFilter): string {
  const parts: string[] = [];
  if (filter.device !== undefined) parts.push(`device:${filter.device}`);
  if (filter.type !== undefined) parts.push(`type:${filter.type}`);
  if (filter.severity !== undefined) parts.push(`sev:${filter.severityExact === true ? '=' : ''}${filter.severity}`);
  if (filter.text !== undefined) parts.push(filter.text);
  return parts.join(' ');
}

/** True when no field is set. */
export function isEmptyFilter(filter: MessageFilter): boolean {
  return formatFilter(filter) === '';
}

/** The one message kind a `type:` prefix names, or undefined when none or several do. */
export function resolveTypePrefix(prefix: string): string | undefined {
  const p = prefix.toLowerCase();
  const exact = MESSAGE_KINDS.find((k) => k === p);
  if (exact !== undefined) return exact;
  const matches = MESSAGE_KINDS.filter((k) => k.startsWith(p));
  return matches.length === 1 ? matches[0] : undefined;
}

/** The device as the back end spells it (its serial), whatever case was typed; the typed text when unknown. */
export function resolveDevice(typed: string, devices: Readonly<Record<string, DeviceRow>>): string {
  const t = typed.toLowerCase();
  const d = Object.values(devices).find((x) => x.serial.toLowerCase() === t || x.hostname.toLowerCase() === t);
  return d?.serial ?? typed;
}

/** Whether a message passes the filter (device matches serial or hostname; type matches type or alert group). */
export function matchesFilter(message: MessageSummary, filter: MessageFilter): boolean {
  if (filter.device !== undefined) {
    const d = filter.device.toLowerCase();
    if (message.serial.toLowerCase() !== d && message.hostname.toLowerCase() !== d) return false;
  }
  if (filter.type !== undefined) {
    const t = filter.type.toLowerCase();
    if (!message.type.toLowerCase().startsWith(t) && !message.alertGroup.toLowerCase().startsWith(t)) return false;
  }
  if (filter.severity !== undefined) {
    if (filter.severityExact === true ? message.severity !== filter.severity : message.severity < filter.severity) return false;
  }
  if (filter.text !== undefined) {
    const q = filter.text.toLowerCase();
    const hay = `${message.eventName} ${message.description} ${message.hostname} ${message.serial}`.toLowerCase();
    if (!hay.includes(q)) return false;
  }
  return true;
}
