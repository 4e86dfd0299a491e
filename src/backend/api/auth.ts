/** Bearer-token check for the REST API, in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Makes a checker for one token; comparing digests keeps the time independent of the input. */
export function tokenChecker(token: string): (req: IncomingMessage) => boolean {
  const expected = digest(token);
  return (req) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    return m?.[1] !== undefined && timingSafeEqual(digest(m[1].trim()), expected);
  };
}
