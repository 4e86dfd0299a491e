/** What processing needs: the store, the rules, a clock, and collectors for after-commit effects. */
import type { BackendEvent, BackendEventInput } from '../../events/protocol.js';
import type { SrContactDirectory } from '../cases/sr-contact.js';
import type { SrTracker } from '../cases/tracker.js';
import type { MailLimitOptions } from './mail-limits.js';
import type { Rule } from './rules.js';
import type { NotificationRecord, PendingEvent, Store, StoreTx } from '../store/types.js';

export type ProcessingContext = {
  readonly rules: readonly Rule[];
  readonly now: () => Date;
  /** Base URL of the API, for links in notifications. */
  readonly portalUrl: string;
  /** True when notifications go out through a relay (then they are sent after commit). */
  readonly relay: boolean;
  /** Limits on mail to addresses taken from device messages (absent: no limits; counted in the store). */
  readonly mailLimits?: MailLimitOptions | undefined;
  // sr-notify: where SCH Support alerts go (S62), the SR contact directory and the simulated SR tracker.
  readonly supportEmail?: string | undefined;
  readonly srContacts?: SrContactDirectory | undefined;
  readonly srTracker?: SrTracker | undefined;
};

/** Effects gathered while a transaction runs: events are written at its end, deliveries start after commit. */
export type Effects = { readonly events: PendingEvent[]; readonly deliveries: NotificationRecord[] };

/** A context bound to one transaction and its effects. */
export type TxContext = ProcessingContext & {
  readonly store: StoreTx;
  readonly fx: Effects;
  emit(input: BackendEventInput): void;
  /** The client address of the device message being processed, when there is one (mail limits per source). */
  readonly source?: string | null;
};

/** Binds a context to a transaction and fresh effect collectors. */
export function beginTx(ctx: ProcessingContext, store: StoreTx): TxContext {
  const fx: Effects = { events: [], deliveries: [] };
  return { ...ctx, store, fx, emit: (input) => fx.events.push({ input, at: new Date().toISOString() }) };
}

/** What one transaction committed, and what is left to do after commit (publish the events, start the deliveries). */
export type Committed<T> = { readonly value: T; readonly events: readonly BackendEvent[]; readonly deliveries: readonly NotificationRecord[] };

/**
 * Runs fn in one transaction holding the locks of `serials` (so no other replica processes those devices
 * meanwhile) and writes the events it emitted last. The caller publishes the events and starts the
 * deliveries once this resolves, that is after commit.
 */
export async function inTransaction<T>(store: Store, ctx: ProcessingContext, serials: readonly string[], fn: (ctx: TxContext) => Promise<T>): Promise<Committed<T>> {
  return store.transaction(async (tx) => {
    await tx.lockSerials(serials);
    const txCtx = beginTx(ctx, tx);
    const value = await fn(txCtx);
    return { value, events: await tx.appendEvents(txCtx.fx.events), deliveries: txCtx.fx.deliveries };
  });
}
