/**
 * Slows down repeated wrong tokens for the REST API and the event stream (issues 6 and 11). Only
 * failed attempts are throttled: the presented token is always compared, and the right one is always
 * served, so nobody is locked out because someone else (at the same address, or anywhere) guessed
 * wrong. After a few wrong tokens from an address, each further wrong one is answered 429 with
 * Retry-After, and only after a delay (the caller holds the answer for `delayMs`), which doubles with
 * each wrong token; the same holds for every address once wrong tokens from all addresses together
 * pass a rate (guessing from many addresses). A right token resets its address. Memory is bounded:
 * at most `maxTracked` addresses are remembered.
 */

/** Tuning of {@link createAuthThrottle}; the defaults suit a service reached by a few operators. */
export type AuthThrottleOptions = {
  /** Wrong tokens an address may present before it is locked out (default 5). */
  readonly freeFailures?: number;
  /** First lock-out; it doubles with each further wrong token (default 1 s). */
  readonly baseDelayMs?: number;
  /** Longest lock-out (default 5 min). */
  readonly maxDelayMs?: number;
  /** Addresses remembered at most; the one that failed least recently is forgotten first (default 10,000). */
  readonly maxTracked?: number;
  /** An address with no wrong token for this long is forgotten (default 15 min). */
  readonly forgetAfterMs?: number;
  /** Wrong tokens from all addresses together per minute before every wrong token is slowed (default 60). */
  readonly globalFailuresPerMinute?: number;
  /** Clock (ms); tests may inject one. */
  readonly now?: () => number;
};

/** What to do with a request, before its token is checked. */
export type ThrottleVerdict = { readonly kind: 'open' } | { readonly kind: 'locked'; readonly retryAfterSeconds: number };

/** What happens to the answer to one wrong token: given at once, or held for `delayMs` and sent as 429. */
export type FailureVerdict = { readonly kind: 'open' } | { readonly kind: 'slowed'; readonly delayMs: number; readonly retryAfterSeconds: number };

/** The outcome of checking a request's token through the throttle. */
export type AuthOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'wrong' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number; readonly delayMs: number };

/** Per-address record of wrong tokens. */
export type AuthThrottle = {
  verdict(address: string): ThrottleVerdict;
  /** Records a wrong token from the address; says whether (and how long) its answer is to be slowed. */
  failed(address: string): FailureVerdict;
  /** Records a right token: the address starts afresh. */
  succeeded(address: string): void;
  /** How many addresses are remembered (for tests and stats). */
  tracked(): number;
};

type Entry = { failures: number; lastFailure: number; lockedUntil: number };

/** Creates a throttle; one instance is shared by the API and the stream of a back end. */
export function createAuthThrottle(options: AuthThrottleOptions = {}): AuthThrottle {
  const freeFailures = options.freeFailures ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 300_000;
  const maxTracked = Math.max(1, options.maxTracked ?? 10_000);
  const forgetAfterMs = options.forgetAfterMs ?? 900_000;
  const now = options.now ?? Date.now;
  const globalPerMinute = options.globalFailuresPerMinute ?? 60;
  // Wrong tokens from everyone in the last minute, as time stamps (at most globalPerMinute + 1 are kept).
  const recentFailures: number[] = [];
  let globalFailures = 0;
  // A Map keeps insertion order; re-inserting on each failure makes the first key the stalest.
  const entries = new Map<string, Entry>();

  const current = (address: string, t: number): Entry | undefined => {
    const e = entries.get(address);
    if (e && t >= e.lockedUntil && t - e.lastFailure >= forgetAfterMs) {
      entries.delete(address);
      return undefined;
    }
    return e;
  };

  return {
    verdict(address) {
      const t = now();
      const e = current(address, t);
      if (!e || t >= e.lockedUntil) return { kind: 'open' };
      return { kind: 'locked', retryAfterSeconds: Math.max(1, Math.ceil((e.lockedUntil - t) / 1000)) };
    },
    failed(address) {
      const t = now();
      const e = current(address, t) ?? { failures: 0, lastFailure: t, lockedUntil: 0 };
      e.failures += 1;
      e.lastFailure = t;
      const over = e.failures - freeFailures;
      // 2 ** over grows without bound; cap the exponent before it overflows to Infinity.
      const lockMs = over >= 0 ? Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(over, 40)) : 0;
      if (over >= 0) e.lockedUntil = t + lockMs;
      // Every wrong token past the free ones is answered late, by the lock-out it earned (until forgotten or a right token).
      let delayMs = over > 0 ? lockMs : 0;
      entries.delete(address);
      entries.set(address, e);
      while (entries.size > maxTracked) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
      // Everyone's wrong tokens: past the rate, each further one is slowed whatever its address.
      while (recentFailures.length > 0 && (recentFailures[0] ?? t) <= t - 60_000) recentFailures.shift();
      recentFailures.push(t);
      if (recentFailures.length > globalPerMinute + 1) recentFailures.shift();
      if (recentFailures.length > globalPerMinute) {
        globalFailures += 1;
        const globalLock = t + Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(globalFailures - 1, 40));
        e.lockedUntil = Math.max(e.lockedUntil, globalLock);
        delayMs = Math.max(delayMs, globalLock - t);
      } else globalFailures = 0;
      return delayMs <= 0 ? { kind: 'open' } : { kind: 'slowed', delayMs, retryAfterSeconds: Math.max(1, Math.ceil(delayMs / 1000)) };
    },
    succeeded(address) {
      entries.delete(address);
    },
    tracked: () => entries.size,
  };
}

/** Longest time a wrong token's answer is held, unless the throttle says otherwise. */
export const DEFAULT_MAX_ANSWER_DELAY_MS = 30_000;

/**
 * Checks a presented token through the throttle. The token is always compared and the right one is
 * always accepted; a missing token is refused but not counted (it guesses nothing); a wrong one is
 * counted and, once its address (or everyone) is over the free attempts, answered as `throttled`:
 * 429 with Retry-After, held for `delayMs` first so guessing goes no faster than the lock-out allows.
 */
export function authorize(throttle: AuthThrottle | undefined, address: string, presented: string | undefined, matches: (token: string) => boolean, maxAnswerDelayMs = DEFAULT_MAX_ANSWER_DELAY_MS): AuthOutcome {
  if (presented === undefined || presented === '') return { kind: 'missing' };
  if (matches(presented)) {
    throttle?.succeeded(address);
    return { kind: 'ok' };
  }
  return failedAttempt(throttle, address, maxAnswerDelayMs);
}

/** A wrong token (or password) from `address`: counted, and `throttled` once over the free attempts. */
export function failedAttempt(throttle: AuthThrottle | undefined, address: string, maxAnswerDelayMs = DEFAULT_MAX_ANSWER_DELAY_MS): Exclude<AuthOutcome, { kind: 'ok' | 'missing' }> {
  const verdict: FailureVerdict = throttle?.failed(address) ?? { kind: 'open' };
  if (verdict.kind === 'slowed') return { kind: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds, delayMs: Math.min(maxAnswerDelayMs, verdict.delayMs) };
  return { kind: 'wrong' };
}

/** The outcome of {@link authenticate}: who presented the token, or why not. */
export type Authenticated<T> = { readonly kind: 'ok'; readonly who: T } | Exclude<AuthOutcome, { kind: 'ok' }>;

/**
 * {@link authorize} for credentials looked up asynchronously (personal tokens in the database, issue 15):
 * the same counting and slowing of wrong ones; the right one always passes and resets its address.
 */
export async function authenticate<T>(throttle: AuthThrottle | undefined, address: string, presented: string | undefined, find: (token: string) => Promise<T | null>, maxAnswerDelayMs = DEFAULT_MAX_ANSWER_DELAY_MS): Promise<Authenticated<T>> {
  if (presented === undefined || presented === '') return { kind: 'missing' };
  const who = await find(presented);
  if (who !== null) {
    throttle?.succeeded(address);
    return { kind: 'ok', who };
  }
  return failedAttempt(throttle, address, maxAnswerDelayMs);
}

/** The address a request is throttled by: the peer's IP (the back end is not meant to sit behind a proxy). */
export function clientAddress(socket: { readonly remoteAddress?: string | undefined }): string {
  return socket.remoteAddress ?? 'unknown';
}
