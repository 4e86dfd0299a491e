/** Field rules every Call Home format shares when it is read back. */
import { MESSAGE_KINDS, type MessageKind } from '../domain/callhome.js';

/** Maps `ch:Event/ch:Type`, the AML block type or a text "Alert Group" to a message kind; null when unsupported. */
export function messageKindOf(type: string): MessageKind | null {
  const t = type.trim().toLowerCase().replace(/^environmental$/, 'environment').replace(/_/g, '-');
  return (MESSAGE_KINDS as readonly string[]).includes(t) ? (t as MessageKind) : null;
}

/**
 * XML carries no "message name"; derive it: the syslog mnemonic (`%FAC-N-MNEMONIC`), a crash kind
 * word, or an event keyword found in the description (TEMP_FAILURE, DiagFanTest, ...).
 */
export function eventNameOf(kind: MessageKind, description: string, explicit: string): string {
  if (explicit) return explicit;
  const syslog = /%([A-Z0-9_]+-\d-[A-Z0-9_]+)/.exec(description);
  if (syslog?.[1]) return syslog[1];
  const word = /\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b/.exec(description);
  if (word?.[1]) return word[1];
  return kind;
}

/**
 * Replaces lone UTF-16 surrogates with U+FFFD. Bodies decoded from bytes never have them, but mail
 * charsets such as UTF-16 can, and one in a serial number made processing throw (encodeURIComponent).
 */
export function wellFormed(text: string): string {
  return /\p{Cs}/u.test(text) ? text.replace(/\p{Cs}/gu, '\uFFFD') : text;
}

/** Single-line values may arrive folded; collapse runs of whitespace. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A severity field read as text: 0–9, anything else clamped (a non-number is 0). */
export function clampSeverity(s: string): number {
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? Math.max(0, Math.min(9, n)) : 0;
}
