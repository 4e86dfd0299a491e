/** Bounds what a size-limited transport buffers: the parser sees at most `limit` bytes of a stream. */
import { PassThrough, type Readable } from 'node:stream';

/** A view of `source` that ends after `limit` bytes; the rest of `source` is read and dropped. */
export type CappedStream = {
  /** What the parser reads. */
  readonly stream: Readable;
  /** True once more than `limit` bytes arrived. */
  cut(): boolean;
  /** True once `take` refused a chunk (the global cap on pending bytes); the output ended there. */
  starved(): boolean;
  /** Resolves when `source` has ended (an SMTP reply must wait for the end of DATA). */
  readonly ended: Promise<void>;
};

/**
 * Passes `source` on up to `limit` bytes, then ends the output and drains the rest. smtp-server only
 * flags an oversize mail (`sizeExceeded`) and keeps emitting it, so a parser reading it directly would
 * buffer all of it (measured: 316 MiB peak for a 96 MiB mail).
 */
export function capStream(source: Readable, limit: number, take: (bytes: number) => boolean = () => true): CappedStream {
  const out = new PassThrough();
  let seen = 0;
  let cut = false;
  let starved = false;
  const ended = new Promise<void>((resolve) => {
    source.once('end', () => resolve());
    source.once('close', () => resolve());
  });
  source.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (cut || starved) return;
    if (seen > limit || !take(chunk.length)) {
      if (seen > limit) cut = true;
      else starved = true;
      out.end();
      source.resume();
      return;
    }
    if (!out.write(chunk)) {
      source.pause();
      out.once('drain', () => source.resume());
    }
  });
  source.once('end', () => {
    if (!cut && !starved) out.end();
  });
  source.once('error', (e) => out.destroy(e));
  return { stream: out, cut: () => cut, starved: () => starved, ended };
}
