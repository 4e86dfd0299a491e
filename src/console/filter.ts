/**
 * The `/` filter of the message history: `device:R1 type:syslog sev:5 free text`.
 * The same filter is sent to the API (older pages) and applied to live events.
 */
import type { MessageSummary } from '../events/protocol.js';
import type { MessageFilter } from './types.js';

const KEYS = new Set(['device', 'dev', 'type', 'sev', 'severity']);

/** Parses filter text; unknown `key:value` words are treated as text. */
export function parseFilter(input: string): MessageFilter {
  let device: string | undefined;
  let type: string | undefined;
  let severity: number | undefined;
  const words: string[] = [];
  for (const word of input.trim().split(/\s+/).filter(Boolean)) {
    const match = /^([a-z]+)[:=>]+(.+)$/i.exec(word);
    const key = match?.[1]?.toLowerCase();
    const value = match?.[2];
    if (key === undefined || value === undefined || !KEYS.has(key)) {
      words.push(word);
      continue;
    }
    if (key === 'device' || key === 'dev') device = value;
    else if (key === 'type') type = value;
    else {
      const level = Number(value);
      if (Number.isInteger(level) && level >= 0 && level <= 9) severity = level;
      else words.push(word);
    }
  }
  const text = words.join(' ');
  return { device, type, severity, text: text === '' ? undefined : text };
}

/** The filter as the user would type it (for the status line and to edit it again). */
export function formatFilter(filter: MessageFilter): string {
  const parts: string[] = [];
  if (filter.device !== undefined) parts.push(`device:${filter.device}`);
  if (filter.type !== undefined) parts.push(`type:${filter.type}`);
  if (filter.severity !== undefined) parts.push(`sev:${filter.severity}`);
  if (filter.text !== undefined) parts.push(filter.text);
  return parts.join(' ');
}

/** True when no field is set. */
export function isEmptyFilter(filter: MessageFilter): boolean {
  return formatFilter(filter) === '';
}

/** Whether a message passes the filter (device matches serial or hostname; type matches type or alert group). */
export function matchesFilter(message: MessageSummary, filter: MessageFilter): boolean {
  if (filter.device !== undefined) {
    const d = filter.device.toLowerCase();
    if (message.serial.toLowerCase() !== d && message.hostname.toLowerCase() !== d) return false;
  }
  if (filter.type !== undefined) {
    const t = filter.type.toLowerCase();
    if (message.type.toLowerCase() !== t && message.alertGroup.toLowerCase() !== t) return false;
  }
  if (filter.severity !== undefined && message.severity < filter.severity) return false;
  if (filter.text !== undefined) {
    const q = filter.text.toLowerCase();
    const hay = `${message.eventName} ${message.description} ${message.hostname} ${message.serial}`.toLowerCase();
    if (!hay.includes(q)) return false;
  }
  return true;
}
