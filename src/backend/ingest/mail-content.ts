/**
 * What a mail carries, read without the store: an XML attachment or the text body, in the format it
 * is in, parsed by the codec. Runs in a parse worker; short text (which names no serial) and the
 * subject's SR number are tied to a device afterwards, on the main thread (smtp-ingest.ts).
 */
import type { ParsedMail } from 'mailparser';
import { parseLongText, parseShortText, parseXml, sniffFormat, type ParseRefusal, type ShortTextMessage } from '../../callhome/codec.js';
import type { CallHomeMessage } from '../../domain/message.js';
import { err, ok, type Result } from '../../util/result.js';

/** A mail's Call Home content: a full message (XML, long text) or short text still to attribute. */
export type MailContent = (
  | { readonly format: 'xml' | 'long-text'; readonly message: CallHomeMessage }
  | { readonly format: 'short-text'; readonly short: ShortTextMessage }
) & {
  /** The payload as stored (the XML attachment or the text body). */
  readonly raw: string;
  /** `SR#n` from the subject (S49), when there is one. */
  readonly serviceRequest?: string;
};

/** The Call Home text of a mail: an XML attachment, else the text body. */
function payloadOf(mail: ParsedMail): string {
  const xml = mail.attachments.find((a) => /xml/i.test(a.contentType) || /\.xml$/i.test(a.filename ?? ''));
  if (xml) return xml.content.toString('utf8');
  return mail.text ?? '';
}

/** Reads the Call Home content of a parsed mail. */
export function readMailContent(mail: ParsedMail): Result<MailContent, ParseRefusal> {
  const raw = payloadOf(mail);
  const sr = /SR#?\s*(\d{5,})/i.exec(mail.subject ?? '')?.[1];
  const extra = sr ? { raw, serviceRequest: sr } : { raw };
  const format = sniffFormat(raw);
  if (format !== 'short-text') {
    const r = format === 'xml' ? parseXml(raw) : parseLongText(raw);
    // sr-notify (S57): the mail's Reply-To is where the device wants notifications to go.
    const replyTo = mail.replyTo?.value[0]?.address;
    return r.ok ? ok({ format, message: replyTo ? { ...r.value, replyTo } : r.value, ...extra }) : r;
  }
  const short = parseShortText(raw);
  if (!short) return err({ kind: 'not-call-home', reason: 'The mail holds no Call Home message (not XML, long text or short text).' });
  return ok({ format: 'short-text', short, ...extra });
}
