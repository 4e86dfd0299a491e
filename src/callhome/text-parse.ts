/**
 * Reads long-text and short-text Call Home mails (ios-call-home.md §6.1, §6.7; rendered by text-render.ts). XML is the only fully processed format (S4): text messages are stored with every field
 * they carry and run through the same processing, but carry fewer fields (short text has no serial,
 * so it can only be stored when the mail's sender identifies a known device — we refuse it otherwise).
 */
import { isSeverityKeyword, severityLevel } from '../domain/severity.js';
import type { Attachment, Card, CallHomeMessage } from '../domain/message.js';
import { err, ok, type Result } from '../util/result.js';
import { clampSeverity, eventNameOf, messageKindOf, wellFormed } from './fields.js';
import type { ParseRefusal } from './refusal.js';
import type { ShortTextMessage } from './text-render.js';

const CARD_LABELS = new Map<string, keyof Card>([
  ['Affected FRU Name', 'model'],
  ['Affected FRU Serial Number', 'serialNumber'],
  ['Affected FRU Part Number', 'partNumber'],
  ['FRU Slot', 'location'],
  ['FRU Hardware Version', 'hardwareVersion'],
  ['FRU Software Version', 'softwareVersion'],
]);

const LABEL = /^([A-Za-z][A-Za-z /]*?) : ?(.*)$/;

/** True when the text looks like the long-text layout. */
export function looksLikeLongText(text: string): boolean {
  return /^TimeStamp : /m.test(text) && /^Affected Chassis Serial Number : /m.test(text);
}

/** Parses a long-text message. */
export function parseLongText(text: string): Result<CallHomeMessage, ParseRefusal> {
  const lines = wellFormed(text).replace(/\r\n/g, '\n').split('\n');
  const fields = new Map<string, string>();
  const cards: { -readonly [K in keyof Card]?: string }[] = [];
  const attachments: Attachment[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('Command Output Name : ')) break;
    const m = LABEL.exec(line);
    if (!m?.[1]) continue;
    const [label, value = ''] = [m[1], m[2]];
    if (label === 'Affected FRU Name') cards.push({});
    const cardKey = CARD_LABELS.get(label);
    if (cardKey) {
      const card = cards[cards.length - 1];
      if (card) card[cardKey] = value;
      continue;
    }
    if (!fields.has(label)) fields.set(label, value);
  }
  // Attachment sections: name, type, MIME, "Command Output Text :", then the text up to the next section.
  while (i < lines.length) {
    const name = (lines[i] ?? '').slice('Command Output Name : '.length);
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').startsWith('Command Output Text :')) j++;
    let k = j + 1;
    while (k < lines.length && !(lines[k] ?? '').startsWith('Command Output Name : ')) k++;
    // The renderer ends each section with one line break (a blank separator, or the mail's last newline).
    const body = lines.slice(j + 1, k);
    if (body[body.length - 1] === '') body.pop();
    attachments.push({ name, data: body.join('\n') });
    i = k;
  }
  const f = (k: string): string => fields.get(k)?.trim() ?? '';
  const serial = f('Affected Chassis Serial Number') || (f('Device ID').split('@')[2] ?? '');
  if (!serial) return err({ kind: 'no-serial', reason: 'The long-text message has no "Affected Chassis Serial Number" or "Device ID", so it cannot be tied to a device.' });
  const kind = messageKindOf(f('Alert Group') || f('Message Name'));
  if (!kind) return err({ kind: 'not-call-home', reason: `The long-text message has no supported alert group ("Alert Group : ${f('Alert Group')}").` });
  const description = f('Event Description');
  const sr = f('Service Request Number');
  const forward = f('Forward Address');
  return ok({
    messageId: f('Message ID'),
    groupId: f('Group ID'),
    kind,
    subType: f('Message Subtype'),
    severity: clampSeverity(f('Severity Level')),
    eventName: eventNameOf(kind, description, f('Message Name') === kind ? '' : f('Message Name')),
    eventTime: f('TimeStamp'),
    description,
    to: '',
    brand: '',
    series: '',
    hostname: f('System Name'),
    contactName: '',
    contactEmail: f('Contact Email'),
    phoneNumber: f('Contact Phone'),
    streetAddress: f('Street Address'),
    customerId: f('Customer ID'),
    siteId: f('Site ID'),
    contractId: f('Contract ID'),
    deviceId: f('Device ID'),
    ccoId: f('CCO ID'),
    idToken: '',
    model: f('Affected Chassis'),
    hardwareVersion: f('Affected Chassis Hardware Version'),
    serialNumber: serial,
    partNumber: f('Affected Chassis Part No'),
    softwareVersion: f('Supervisor Software Version'),
    systemObjectId: f('System Object ID'),
    systemDescription: f('System Description'),
    builderName: f('Source ID'),
    builderVersion: '',
    profileName: f('Profile Name'),
    ...(sr ? { serviceRequest: sr } : {}),
    ...(forward ? { forwardAddress: forward } : {}),
    cards: cards.map((c) => ({ model: c.model ?? '', serialNumber: c.serialNumber ?? '', partNumber: c.partNumber ?? '', location: c.location ?? '', hardwareVersion: c.hardwareVersion ?? '', softwareVersion: c.softwareVersion ?? '' })),
    attachments,
  });
}

/** Short text: `<hostname> <YYYY-MM-DD HH:MM:SS GMT+hh:mm> <description> <severity-keyword>`. */
export function parseShortText(text: string): ShortTextMessage | null {
  const m = /^(\S+) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT[+-]\d\d:\d\d) (.*) (\S+)\s*$/.exec(wellFormed(text).trim());
  if (!m?.[1] || !m[2] || m[3] === undefined || !m[4] || !isSeverityKeyword(m[4])) return null;
  return { hostname: m[1], eventTime: m[2], description: m[3], severity: severityLevel(m[4]) };
}
