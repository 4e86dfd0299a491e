/**
 * What the gateway reads of a message before queueing it: is it Call Home at all, and its message ID,
 * serial and subject for the logs. The back end's codec and mail reader do the reading (one parser);
 * the service parses again on arrival, the gateway never rewrites what it forwards.
 */
import { simpleParser } from 'mailparser';
import { parseXml } from '../callhome/codec.js';
import { readMailContent } from '../backend/ingest/mail-content.js';
import type { Refusal } from '../backend/ingest/refusal.js';
import { err, ok, type Result } from '../util/result.js';

export type Sniffed = { readonly messageId: string; readonly serial: string; readonly subject: string };

/** A device's HTTP post: Call Home XML. */
export function sniffXml(body: string): Result<Sniffed, Refusal> {
  const r = parseXml(body);
  if (!r.ok) return r;
  return ok({ messageId: r.value.messageId, serial: r.value.serialNumber, subject: `${r.value.kind} ${r.value.eventName}`.trim() });
}

/** A whole mail (RFC 5322 bytes): XML attachment, long or short text. */
export async function sniffMail(bytes: Buffer): Promise<Result<Sniffed, Refusal>> {
  let mail;
  try {
    mail = await simpleParser(bytes, { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  } catch {
    return err({ kind: 'not-call-home', reason: 'The mail cannot be read as MIME.' });
  }
  const content = readMailContent(mail);
  if (!content.ok) return content;
  const subject = mail.subject ?? '';
  if (content.value.format === 'short-text') return ok({ messageId: '', serial: '', subject });
  return ok({ messageId: content.value.message.messageId, serial: content.value.message.serialNumber, subject });
}
