/** Reads an HTTP request body for the ingest and the API, within a per-request and a global byte cap. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClientAborted, type ByteBudget } from './limits.js';

/** The body, or why it was not read to the end (reading stops at once in both cases). */
export type BodyRead = { readonly kind: 'ok'; readonly body: Buffer } | { readonly kind: 'too-large' } | { readonly kind: 'busy' };

/**
 * Reads the body up to `limit` bytes. Each chunk is taken from `budget` (the bytes every unfinished
 * request holds); they are given back when the response is done, so a body is counted while it is
 * parsed and stored too. Rejects with {@link ClientAborted} when the client hangs up mid-body.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number, budget: ByteBudget): Promise<BodyRead> {
  const holder = budget.open();
  res.once('close', () => holder.release());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const stop = (r: BodyRead): void => {
      done = true;
      req.pause();
      chunks.length = 0;
      holder.release();
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) return stop({ kind: 'too-large' });
      if (!holder.take(chunk.length)) return stop({ kind: 'busy' });
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve({ kind: 'ok', body: Buffer.concat(chunks) });
    });
    // A client that hangs up mid-body ('aborted' / ECONNRESET, or just 'close') must not leave this
    // promise pending forever, and is the client's doing: ClientAborted, logged in one line.
    const aborted = (): void => {
      if (done || req.complete) return;
      done = true;
      holder.release();
      reject(new ClientAborted(size));
    };
    req.on('error', aborted);
    req.on('close', aborted);
  });
}
