/**
 * Rate limits on notification e-mail to addresses taken from unauthenticated device messages
 * (issue 11, item 3): anyone can post a message naming any serial and any contact address, so
 * without limits the back end mails whoever the sender likes. Addresses the operator set
 * (`PUT /devices/SERIAL/preferences`) are not limited; addresses from messages are, per recipient,
 * per serial and per source address in a sliding hour, and a Pending Registration mail goes out at
 * most once per serial per day. A notification over a limit is still recorded (the API shows it,
 * with its token) — it is just not mailed to those addresses.
 */

/** Tuning; `BackendOptions.mailLimits`. */
export type MailLimitOptions = {
  /** Mails to one address from messages, per window (default 10). */
  readonly perRecipient?: number;
  /** Mails caused by messages naming one serial, per window (default 20). */
  readonly perSerial?: number;
  /** Mails caused by messages from one source address, per window (default 30). */
  readonly perSource?: number;
  /** The sliding window (default one hour). */
  readonly windowMs?: number;
  /** A Pending Registration mail is sent at most once per serial in this period (default one day). */
  readonly pendingPeriodMs?: number;
  readonly now?: () => number;
};

/** Why an address was not mailed. */
export type MailHeldBack = { readonly address: string; readonly why: 'per-recipient' | 'per-serial' | 'per-source' | 'pending-once' };

/** Sliding-window counters per key, bounded in memory (the stalest keys are forgotten first). */
function windowCounter(limit: number, windowMs: number, maxKeys = 50_000) {
  const hits = new Map<string, number[]>();
  const live = (key: string, t: number): number[] => {
    const list = (hits.get(key) ?? []).filter((x) => x > t - windowMs);
    if (list.length === 0) hits.delete(key);
    return list;
  };
  return {
    full: (key: string, t: number): boolean => live(key, t).length >= limit,
    add(key: string, t: number): void {
      const list = live(key, t);
      list.push(t);
      hits.delete(key);
      hits.set(key, list);
      while (hits.size > maxKeys) {
        const oldest = hits.keys().next();
        if (oldest.done === true) break;
        hits.delete(oldest.value);
      }
    },
  };
}

/** The limiter of one back-end process. */
export function createMailLimiter(options: MailLimitOptions = {}) {
  const windowMs = options.windowMs ?? 3_600_000;
  const now = options.now ?? Date.now;
  const recipients = windowCounter(options.perRecipient ?? 10, windowMs);
  const serials = windowCounter(options.perSerial ?? 20, windowMs);
  const sources = windowCounter(options.perSource ?? 30, windowMs);
  const pending = windowCounter(1, options.pendingPeriodMs ?? 86_400_000);
  return {
    /**
     * Splits `untrusted` addresses (from messages) into those mailed now and those held back, and
     * counts the mail. `trusted` (operator-set) addresses always go and are not counted.
     */
    admit(n: { readonly kind: string; readonly serial: string | null; readonly source: string | null; readonly untrusted: readonly string[] }): { readonly send: string[]; readonly heldBack: MailHeldBack[] } {
      if (n.untrusted.length === 0) return { send: [], heldBack: [] };
      const t = now();
      const serial = n.serial ?? '';
      // Notifications no device message caused (reminders, confirmations) have no source to count.
      const source = n.source;
      const all = (why: MailHeldBack['why']) => ({ send: [], heldBack: n.untrusted.map((address) => ({ address, why })) });
      if (n.kind === 'pending-registration' && pending.full(serial, t)) return all('pending-once');
      if (serials.full(serial, t)) return all('per-serial');
      if (source !== null && sources.full(source, t)) return all('per-source');
      const send: string[] = [];
      const heldBack: MailHeldBack[] = [];
      for (const address of n.untrusted) {
        const key = address.toLowerCase();
        if (recipients.full(key, t)) heldBack.push({ address, why: 'per-recipient' });
        else {
          recipients.add(key, t);
          send.push(address);
        }
      }
      if (send.length > 0) {
        serials.add(serial, t);
        if (source !== null) sources.add(source, t);
        if (n.kind === 'pending-registration') pending.add(serial, t);
      }
      return { send, heldBack };
    },
  };
}

export type MailLimiter = ReturnType<typeof createMailLimiter>;
