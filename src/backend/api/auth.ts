/** Bearer-token check for the REST API, in constant time, slowed down after repeated wrong tokens. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { authorize, clientAddress, type AuthOutcome, type AuthThrottle } from '../auth-throttle.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** The token in `Authorization: Bearer T`; the API takes no token in the query string (it would land in logs). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1]?.trim();
}

/**
 * Makes a checker for one token; comparing digests keeps the time independent of the input.
 * With a throttle, an address that keeps sending wrong tokens gets `throttled` for a while.
 */
export function tokenChecker(token: string, throttle?: AuthThrottle): (req: IncomingMessage) => AuthOutcome {
  const expected = digest(token);
  const matches = (presented: string): boolean => timingSafeEqual(digest(presented), expected);
  return (req) => authorize(throttle, clientAddress(req.socket), bearerToken(req), matches);
}
