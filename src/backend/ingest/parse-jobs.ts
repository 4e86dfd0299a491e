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

/** An HTTP body (already decoded: the main thread keeps it as the stored raw text) or a whole mail's bytes. */
export type ParseJob = { readonly kind: 'xml'; readonly body: string } | { readonly kind: 'mail'; readonly mail: Uint8Array };

/** The answer also carries the body packed for the store (packed-body.ts), made here, off the database thread. */
export type ParseAnswer = ({ readonly kind: 'xml'; readonly result: Result<CallHomeMessage, ParseRefusal> } | { readonly kind: 'mail'; readonly result: Result<MailContent, ParseRefusal> }) & { readonly packed?: PackedBody };

function packedForStore(raw: string, attachments: CallHomeMessage['attachments']): { packed?: PackedBody } {
  return raw.length >= PACK_FROM_BYTES ? { packed: packBody(raw, attachments) } : {};
}

/** Runs one job. A mail mailparser cannot read at all is refused as not a Call Home message. */
export async function runParseJob(job: ParseJob): Promise<ParseAnswer> {
  if (job.kind === 'xml') {
    const result = parseXml(job.body);
    return { kind: 'xml', result, ...(result.ok ? packedForStore(job.body, result.value.attachments) : {}) };
  }
  // Only the text and attachments are read; the HTML rendering of the text (linkify) is wasted work per mail.
  const mail = await simpleParser(Buffer.from(job.mail.buffer, job.mail.byteOffset, job.mail.byteLength), { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const result = readMailContent(mail);
  return { kind: 'mail', result, ...(result.ok && result.value.format !== 'short-text' ? packedForStore(result.value.raw, result.value.message.attachments) : {}) };
}
