/**
 * Rate limits on notification e-mail to addresses taken from unauthenticated device messages
 * (issue 11, item 3): anyone can post a message naming any serial and any contact address, so
 * without limits the back end mails whoever the sender likes. Addresses the operator set
 * (`PUT /devices/SERIAL/preferences`) are not limited; addresses from messages are, per recipient,
 * per serial and per source address in a sliding hour, and a Pending Registration mail goes out at
 * most once per serial per day. A notification over a limit is still recorded (the API shows it,
 * with its token) — it is just not mailed to those addresses.
 *
 * The counts are rows in the database (store/mail-sends-queries.ts), written in the transaction that sends the
 * mail: every thread (the database thread's ingest batches, the service's own work) and every replica counts
 * against the same limits, and an undone transaction takes its counts with it.
 */

import type { MailSendsQueries } from '../store/mail-sends-queries.js';

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
};

/** Why an address was not mailed. */
export type MailHeldBack = { readonly address: string; readonly why: 'per-recipient' | 'per-serial' | 'per-source' | 'pending-once' };

/** What a count is kept for: the maintenance pass forgets counts older than this. */
export function mailCountsKeptMs(options: MailLimitOptions = {}): number {
  return Math.max(options.windowMs ?? 3_600_000, options.pendingPeriodMs ?? 86_400_000);
}

/** One notification's addresses to admit. */
export type MailToAdmit = { readonly kind: string; readonly serial: string | null; readonly source: string | null; readonly untrusted: readonly string[] };

/**
 * Splits `untrusted` addresses (from messages) into those mailed now and those held back, and counts the mail in
 * `store` (the open transaction's) at `now` (ms). Operator-set addresses are never passed here: they always go.
 */
export async function admitMail(store: MailSendsQueries, options: MailLimitOptions, now: number, n: MailToAdmit): Promise<{ readonly send: string[]; readonly heldBack: MailHeldBack[] }> {
  if (n.untrusted.length === 0) return { send: [], heldBack: [] };
  const windowMs = options.windowMs ?? 3_600_000;
  const full = async (key: string, limit: number, periodMs = windowMs): Promise<boolean> => (await store.mailSendsSince(key, now - periodMs)) >= limit;
  const serial = n.serial ?? '';
  const all = (why: MailHeldBack['why']) => ({ send: [], heldBack: n.untrusted.map((address) => ({ address, why })) });
  if (n.kind === 'pending-registration' && (await full(`pending:${serial}`, 1, options.pendingPeriodMs ?? 86_400_000))) return all('pending-once');
  if (await full(`serial:${serial}`, options.perSerial ?? 20)) return all('per-serial');
  // Notifications no device message caused (reminders, confirmations) have no source to count.
  if (n.source !== null && (await full(`source:${n.source}`, options.perSource ?? 30))) return all('per-source');
  const send: string[] = [];
  const heldBack: MailHeldBack[] = [];
  for (const address of n.untrusted) {
    const key = `to:${address.toLowerCase()}`;
    if (await full(key, options.perRecipient ?? 10)) heldBack.push({ address, why: 'per-recipient' });
    else {
      await store.recordMailSends([key], now);
      send.push(address);
    }
  }
  if (send.length > 0) await store.recordMailSends([`serial:${serial}`, ...(n.source !== null ? [`source:${n.source}`] : []), ...(n.kind === 'pending-registration' ? [`pending:${serial}`] : [])], now);
  return { send, heldBack };
}
