/**
 * Time-window limits on the device clock: the per-minute rate limit (ios-call-home.md §7.3, C70)
 * and syslog throttling (C67).
 */

const MINUTE = 60_000;

/** Sliding one-minute window: at most `limit` messages in any 60 s. */
export class RateLimiter {
  private readonly sent: number[] = [];

  /** Takes one slot at `nowMs` if the window has room; false means the message is dropped. */
  tryTake(nowMs: number, limit: number): boolean {
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= nowMs - MINUTE) this.sent.shift();
    if (this.sent.length >= limit) return false;
    this.sent.push(nowMs);
    return true;
  }
}

/** The guide gives no window; the spec suggests an hour (§7.3). */
export const SYSLOG_THROTTLE_WINDOW_MS = 60 * MINUTE;
// Bounds memory when a device logs many distinct lines.
const MAX_TRACKED = 4096;

/** Suppresses a syslog alert identical to one sent within the window. */
export class SyslogThrottle {
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly windowMs = SYSLOG_THROTTLE_WINDOW_MS) {}

  /** True when `key` (facility, mnemonic and text) may be reported at `nowMs`. */
  admit(key: string, nowMs: number): boolean {
    const last = this.lastSeen.get(key);
    if (last !== undefined && nowMs - last < this.windowMs) return false;
    this.lastSeen.delete(key);
    this.lastSeen.set(key, nowMs);
    if (this.lastSeen.size > MAX_TRACKED) {
      const oldest = this.lastSeen.keys().next();
      if (!oldest.done) this.lastSeen.delete(oldest.value);
    }
    return true;
  }
}
