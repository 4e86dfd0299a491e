import type { BackendEvent } from '../../events/protocol.js';

/**
 * What the publisher needs from the back end's EventLog (contract 3, src/backend/event-log.ts).
 * The real EventLog satisfies it structurally; the log must persist an event before it publishes it.
 */
export type EventSource = {
  /** Persisted events with `seq > seq`, oldest first, at most `limit`. */
  since(seq: number, limit: number): Promise<BackendEvent[]>;
  /** The newest persisted seq (0 when empty). */
  lastSeq(): Promise<number>;
  /** Calls `listener` for every appended event, in seq order; returns the unsubscribe function. */
  subscribe(listener: (event: BackendEvent) => void): () => void;
};
