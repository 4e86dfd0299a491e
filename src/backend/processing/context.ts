/** What processing needs: the store, the rules, a clock, and collectors for after-commit effects. */
import type { BackendEvent, BackendEventInput } from '../../events/protocol.js';
import type { BackendEventLog } from '../event-log.js';
import type { Rule } from './rules.js';
import type { NotificationRecord, Store } from '../store/types.js';

export type ProcessingContext = {
  readonly store: Store;
  readonly log: BackendEventLog;
  readonly rules: readonly Rule[];
  readonly now: () => Date;
  /** Base URL of the API, for links in notifications. */
  readonly portalUrl: string;
  /** True when notifications go out through a relay (then they are sent after commit). */
  readonly relay: boolean;
};

/** Effects gathered while a transaction runs; applied only after it commits. */
export type Effects = { readonly events: BackendEvent[]; readonly deliveries: NotificationRecord[] };

/** A context bound to one transaction's effects. */
export type TxContext = ProcessingContext & {
  readonly fx: Effects;
  emit(input: BackendEventInput): void;
};

/** Binds a context to fresh effect collectors. */
export function beginTx(ctx: ProcessingContext): TxContext {
  const fx: Effects = { events: [], deliveries: [] };
  return { ...ctx, fx, emit: (input) => fx.events.push(ctx.log.insert(input)) };
}
