/**
 * One wording for token problems, for every command that talks to the back end (REST or stream):
 * the token is missing, refused, or refused and slowed down (with the wait). The advice names only
 * what the client side accepts: $CALLHOME_TOKEN or --token-file (never a `?token=` URL).
 */
import { AbortError } from '../errors.js';

const WHERE = 'Log in with `callhome login USER`, or set $CALLHOME_TOKEN, or give --token-file FILE, to your token (or the one `callhome serve` printed).';

/** No token was given at all. */
export function tokenMissing(url: string): AbortError {
  return new AbortError(`No API token for the back end at ${url}.`, WHERE);
}

/** The back end answered 401: the token is wrong. */
export function tokenRefused(url: string): AbortError {
  return new AbortError(`The back end at ${url} refused the token.`, WHERE);
}

/** The back end answered 401 to the token `callhome login` stored: it expired or was revoked. */
export function sessionRefused(url: string): AbortError {
  return new AbortError(`The back end at ${url} refused your login token (it expired or was revoked).`, 'Log in again with `callhome login USER`.');
}

/** The back end answered 429 after several wrong tokens: the right one is still accepted at once. */
export function tokenThrottled(url: string, retryAfterSeconds: number | null): AbortError {
  const wait = retryAfterSeconds !== null && Number.isFinite(retryAfterSeconds) ? `; wrong tokens are slowed down, try again in ${retryAfterSeconds} s` : '; wrong tokens are slowed down';
  return new AbortError(`The back end at ${url} refused the token${wait}.`, `${WHERE} The right token is always accepted at once.`);
}

/** Seconds of a Retry-After header, or null. */
export function retryAfterSeconds(header: string | string[] | null | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.ceil(n) : null;
}
