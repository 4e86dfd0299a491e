/**
 * Text renderings of a Call Home message: long text and short text (read back by text-parse.ts).
 *
 * Long-text ("plain text") rendering (ios-call-home.md §6.2, §6.7; C73). The guide lists the fields
 * but gives no sample; this follows the spec's proposed `Label : value` layout, one field per line,
 * then one section per attached command. Receivers split each header line on the first ` : `.
 */
import type { CallHomeMessage } from '../domain/message.js';
import { severityKeyword } from '../domain/severity.js';

/** Renders the message as long text. */
export function renderLongText(message: CallHomeMessage): string {
  const m = message;
  const fields: [string, string][] = [
    ['TimeStamp', m.eventTime],
    ['Message Name', m.eventName || m.kind],
    ['Message Type', 'Call Home'],
    ['Message Subtype', m.subType],
    ['Message Group', 'reactive'],
    ['Message ID', m.messageId],
    ['Group ID', m.groupId],
    ['Alert Group', m.kind],
    ['Severity Level', String(m.severity)],
    ['Source ID', m.builderName],
    ['Device ID', m.deviceId],
    ['Customer ID', m.customerId],
    ['Contract ID', m.contractId],
    ['Site ID', m.siteId],
    ['Server ID', m.deviceId],
    ['Event Description', m.description],
    ['System Name', m.hostname],
    ['Contact Email', m.contactEmail],
    ['Contact Phone', m.phoneNumber],
    ['Street Address', m.streetAddress],
    ['CCO ID', m.ccoId],
    ['Profile Name', m.profileName],
    ['Affected Chassis', m.model],
    ['Affected Chassis Serial Number', m.serialNumber],
    ['Affected Chassis Part No', m.partNumber],
    ['Affected Chassis Hardware Version', m.hardwareVersion],
    ['Supervisor Software Version', m.softwareVersion],
    ['System Object ID', m.systemObjectId],
    ['System Description', m.systemDescription.replace(/\s*\n\s*/g, ' ')],
  ];
  if (m.serviceRequest) fields.push(['Service Request Number', m.serviceRequest]);
  if (m.forwardAddress) fields.push(['Forward Address', m.forwardAddress]);
  for (const card of m.cards) {
    fields.push(
      ['Affected FRU Name', card.model],
      ['Affected FRU Serial Number', card.serialNumber],
      ['Affected FRU Part Number', card.partNumber],
      ['FRU Slot', card.location],
      ['FRU Hardware Version', card.hardwareVersion],
      ['FRU Software Version', card.softwareVersion],
    );
  }
  const lines = fields.map(([label, value]) => `${label} : ${value}`);
  for (const attachment of m.attachments) {
    lines.push(
      '',
      `Command Output Name : ${attachment.name}`,
      'Attachment Type : command output',
      'MIME Type : text/plain',
      'Command Output Text :',
      attachment.data,
    );
  }
  return lines.join('\n') + '\n';
}

/** What short text carries: device name, time stamp, plain-English description and urgency. */
export type ShortTextMessage = Pick<CallHomeMessage, 'hostname' | 'eventTime' | 'description' | 'severity'>;

/**
 * Short-text rendering for pagers and printed reports (ios-call-home.md §6.1; C72), on one line as
 * the spec proposes: `<hostname> <YYYY-MM-DD HH:MM:SS GMT+hh:mm> <description> <severity-keyword>`.
 */
export function renderShortText(message: ShortTextMessage): string {
  const description = message.description.replace(/\s*\n\s*/g, ' ');
  return `${message.hostname} ${message.eventTime} ${description} ${severityKeyword(message.severity)}\n`;
}
