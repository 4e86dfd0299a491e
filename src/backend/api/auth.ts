/**
 * Bearer-token checks for the REST API (issue 15): the presented token is a personal token (looked up by
 * its SHA-256) or the bootstrap token (compared in constant time); wrong ones are slowed down.
 */
import type { IncomingMessage } from 'node:http';
import type { Accounts } from '../accounts/accounts.js';
import { authenticate, clientAddress, failedAttempt, type AuthThrottle } from '../auth-throttle.js';
import type { ApiAuth } from './router.js';

/** The token in `Authorization: Bearer T`; the API takes no token in the query string (it would land in logs). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1]?.trim();
}

/** The API's caller check over the accounts, throttled per address (wrong passwords count too). */
export function callerChecker(accounts: Accounts, throttle?: AuthThrottle): ApiAuth {
  return {
    check: (req) => authenticate(throttle, clientAddress(req.socket), bearerToken(req), (t) => accounts.authenticate(t)),
    failed: (req) => failedAttempt(throttle, clientAddress(req.socket)),
  };
}
