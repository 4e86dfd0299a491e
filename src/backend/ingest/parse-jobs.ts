/**
 * The work a parse worker does for the ingest: one body or one mail in, the parsed message or a typed
 * refusal out. Pure (no store, no sockets), so it runs the same in a worker thread and in tests.
 */
import { simpleParser } from 'mailparser';
import { parseXml, type ParseRefusal } from '../../callhome/codec.js';
import type { CallHomeMessage } from '../../domain/message.js';
import type { Result } from '../../util/result.js';
import { packBody, PACK_FROM_BYTES, type PackedBody } from '../store/packed-body.js';
import { readMailContent, type MailContent } from './mail-content.js';

/**
 * An HTTP body, decoded (the main thread keeps it as the stored raw text) or as its bytes (a large body, decoded
 * here so that the event loop never holds its text), or a whole mail's bytes.
 */
export type ParseJob = { readonly kind: 'xml'; readonly body: string | Uint8Array } | { readonly kind: 'mail'; readonly mail: Uint8Array };

/**
 * The answer also carries the body packed for the store (packed-body.ts), made here, off the database thread; and
 * the decoded text of a body that came as bytes when it was not packed (the caller stores it as the raw text).
 */
export type ParseAnswer = ({ readonly kind: 'xml'; readonly result: Result<CallHomeMessage, ParseRefusal>; readonly raw?: string } | { readonly kind: 'mail'; readonly result: Result<MailContent, ParseRefusal> }) & { readonly packed?: PackedBody };

/** UTF-8 text of a body as the HTTP ingest decodes it (a malformed sequence becomes U+FFFD). */
function decoded(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

function packedForStore(raw: string, attachments: CallHomeMessage['attachments']): { packed?: PackedBody } {
  return raw.length >= PACK_FROM_BYTES ? { packed: packBody(raw, attachments) } : {};
}

/** Runs one job. A mail mailparser cannot read at all is refused as not a Call Home message. */
export async function runParseJob(job: ParseJob): Promise<ParseAnswer> {
  if (job.kind === 'xml') {
    const text = decoded(job.body);
    const result = parseXml(text);
    const packed = result.ok ? packedForStore(text, result.value.attachments) : {};
    return { kind: 'xml', result, ...packed, ...(typeof job.body !== 'string' && result.ok && !packed.packed ? { raw: text } : {}) };
  }
  // Only the text and attachments are read; the HTML rendering of the text (linkify) is wasted work per mail.
  const mail = await simpleParser(Buffer.from(job.mail.buffer, job.mail.byteOffset, job.mail.byteLength), { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const result = readMailContent(mail);
  return { kind: 'mail', result, ...(result.ok && result.value.format !== 'short-text' ? packedForStore(result.value.raw, result.value.message.attachments) : {}) };
}
