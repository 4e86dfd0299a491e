/**
 * The stored form of a message's body (issue 14). Stored as it comes, a body is written twice — its raw text,
 * and its attachments as JSON — by the one SQLite writer, which every device's commit waits for: a 10 KB
 * message is about 22 KB of row (measured: 40 % of the insert's time), and a 3 MiB one about 6 MiB that holds
 * every other batch up for some 60 ms. So a body from PACK_FROM_BYTES on is packed where it is parsed (the
 * parse step, off the database thread; on the parse pool's threads for large bodies): its raw text and
 * attachments as gzip'd JSON in one column, with the content hash computed there too. Device output compresses
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

/** Packs a raw body and its parsed attachments (on the thread that parsed it: about 0.15 ms for 10 KB). */
export function packBody(raw: string, attachments: Attachments): PackedBody {
  // Level 1: most of the size win at a fraction of the default level's CPU on a 3 MiB body.
  return { contentHash: contentHash(raw), bytes: gzipSync(JSON.stringify({ raw, attachments }), { level: 1 }) };
}

/** The raw body and attachments of a packed row; a damaged pack is an error that names the message. */
export function unpackBody(bytes: Uint8Array, id: number): { raw: string; attachments: Attachments } {
  try {
    const body = JSON.parse(gunzipSync(bytes).toString('utf8')) as { raw?: unknown; attachments?: unknown };
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
