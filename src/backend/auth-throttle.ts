/**
 * Slows down repeated wrong tokens, per client address, for the REST API and the event stream
 * (issue 6). After a few wrong tokens an address is locked out for a while that doubles with each
 * further wrong token; while locked, every request from it gets 429 with Retry-After, without its
 * token being looked at (otherwise guessing would go on during the lock-out). A right token resets
 * the count. Memory is bounded: at most `maxTracked` addresses are remembered.
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
  /** Clock (ms); tests may inject one. */
  readonly now?: () => number;
};

/** What to do with a request, before its token is checked. */
export type ThrottleVerdict = { readonly kind: 'open' } | { readonly kind: 'locked'; readonly retryAfterSeconds: number };

/** The outcome of checking a request's token through the throttle. */
export type AuthOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'wrong' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

/** Per-address record of wrong tokens. */
export type AuthThrottle = {
  verdict(address: string): ThrottleVerdict;
  /** Records a wrong token from the address. */
  failed(address: string): void;
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
      if (over >= 0) e.lockedUntil = t + Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(over, 40));
      entries.delete(address);
      entries.set(address, e);
      while (entries.size > maxTracked) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    succeeded(address) {
      entries.delete(address);
    },
    tracked: () => entries.size,
  };
}

/**
 * Checks a presented token through the throttle: a locked address is refused before its token is
 * compared; a missing token is refused but not counted (it guesses nothing); a wrong one is counted.
 */
export function authorize(throttle: AuthThrottle | undefined, address: string, presented: string | undefined, matches: (token: string) => boolean): AuthOutcome {
  const verdict: ThrottleVerdict = throttle?.verdict(address) ?? { kind: 'open' };
  if (verdict.kind === 'locked') return { kind: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds };
  if (presented === undefined || presented === '') return { kind: 'missing' };
  if (matches(presented)) {
    throttle?.succeeded(address);
    return { kind: 'ok' };
  }
  throttle?.failed(address);
  return { kind: 'wrong' };
}

/** The address a request is throttled by: the peer's IP (the back end is not meant to sit behind a proxy). */
export function clientAddress(socket: { readonly remoteAddress?: string | undefined }): string {
  return socket.remoteAddress ?? 'unknown';
}
