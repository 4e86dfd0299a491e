/**
 * The stored form of a message's body (issue 14). Stored as it comes, a body is written twice — its raw text,
 * and its attachments as JSON — by the one SQLite writer, which every device's commit waits for: a 10 KB
 * message is about 22 KB of row (measured: 40 % of the insert's time), and a 3 MiB one about 6 MiB that holds
 * every other batch up for some 60 ms. So a body from PACK_FROM_BYTES on is packed where it is parsed (the
 * parse step, off the database thread; on the parse pool's threads for large bodies): its raw text and
 * attachments gzip'd in one column (the layout is below), with the content hash computed there too. Device output compresses
 * well (10 KB to about 2.5 KB, 3 MiB of `show` output to a few hundred KiB), so the database is also several
 * times smaller. The store unpacks a body when a message is read whole (getMessage, the pending messages a
 * confirmation processes), the only readers of those columns; lists, reports and exports never read them.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Bodies from this size on are stored packed (smaller ones, such as short text, gain nothing from it). */
export const PACK_FROM_BYTES = 2 * 1024;

type Attachments = readonly { readonly name: string; readonly data: string }[];

/** A packed body and its content hash (the same {@link contentHash} an unpacked row gets). */
export type PackedBody = { readonly contentHash: string; readonly bytes: Uint8Array };

/** SHA-256 (hex) of the raw body: with serial and message ID, what makes a resend a duplicate (issue 11). */
export function contentHash(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

/**
 * The packed layout (version 2): a header line, JSON of the lengths, then the raw text and each attachment's data
 * as they are, one after the other. Version 1 was one JSON document of both; escaping a 3 MiB body's output for it
 * cost more than compressing it (24 ms of the large lane's 3 MiB message against 16 now). Both are read.
 */
type Header = { readonly v: 2; readonly raw: number; readonly attachments: readonly { readonly name: string; readonly length: number }[] };

/** Packs a raw body and its parsed attachments (on the thread that parsed it: about 0.1 ms for 10 KB). */
export function packBody(raw: string, attachments: Attachments): PackedBody {
  const header: Header = { v: 2, raw: raw.length, attachments: attachments.map((a) => ({ name: a.name, length: a.data.length })) };
  const text = `${JSON.stringify(header)}\n${raw}${attachments.map((a) => a.data).join('')}`;
  // Level 1: most of the size win at a fraction of the default level's CPU on a 3 MiB body.
  return { contentHash: contentHash(raw), bytes: gzipSync(text, { level: 1 }) };
}

/** Reads the text of a version 2 pack by the lengths in its header. */
function readVersion2(text: string): { raw: string; attachments: Attachments } {
  const end = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, end)) as Header;
  let at = end + 1;
  const take = (length: number): string => {
    if (!Number.isInteger(length) || length < 0 || at + length > text.length) throw new Error('a length in its header runs past its end');
    at += length;
    return text.slice(at - length, at);
  };
  const raw = take(header.raw);
  const attachments = header.attachments.map((a) => ({ name: a.name, data: take(a.length) }));
  if (at !== text.length) throw new Error('it holds more than its header says');
  return { raw, attachments };
}

/** The raw body and attachments of a packed row; a damaged pack is an error that names the message. */
export function unpackBody(bytes: Uint8Array, id: number): { raw: string; attachments: Attachments } {
  try {
    const text = gunzipSync(bytes).toString('utf8');
    if (text.startsWith('{"v":2,')) return readVersion2(text);
    const body = JSON.parse(text) as { raw?: unknown; attachments?: unknown };
    if (typeof body.raw !== 'string' || !Array.isArray(body.attachments)) throw new Error('unexpected content');
    return { raw: body.raw, attachments: body.attachments as Attachments };
  } catch (e) {
    throw new Error(`message ${id}: its stored body cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** What a database driver binds as a BLOB / bytea (a Uint8Array that crossed a thread is no longer a Buffer). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
