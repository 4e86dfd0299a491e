/**
 * The stored form of a large message (issue 14: a 3 MiB message must not hold up other devices' commits).
 * Stored as it comes, a 3 MiB body is written twice (the raw text, and its attachments as JSON): about 6 MiB
 * that the one SQLite writer inserts and fsyncs while every other device's batch waits (about 60 ms here).
 * A body from PACK_FROM_BYTES on is therefore packed where it is parsed (the parse pool's large lane, off both
 * the event loop and the database thread): its raw text and attachments as gzip'd JSON, one column, with the
 * content hash computed there too. Device output compresses well (a 3 MiB `show` output to a few hundred KiB).
 * The store unpacks it when a message is read whole (getMessage), the only reader of those columns.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Bodies from this size on are stored packed: the parse pool's large lane takes them (parse-pool.ts LARGE_JOB_BYTES). */
export const PACK_FROM_BYTES = 256 * 1024;

type Attachments = readonly { readonly name: string; readonly data: string }[];

/** A packed body and its content hash (the same {@link contentHash} an unpacked row gets). */
export type PackedBody = { readonly contentHash: string; readonly bytes: Uint8Array };

/** SHA-256 (hex) of the raw body: with serial and message ID, what makes a resend a duplicate (issue 11). */
export function contentHash(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** Packs a raw body and its parsed attachments (on the thread that parsed it). */
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
