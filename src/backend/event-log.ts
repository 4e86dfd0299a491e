/**
 * The persisted, sequenced event log behind `/events` and `callhome events`. Events are written to
 * the same SQLite database as the data they describe and published to subscribers only after commit.
 */
import type { BackendEvent, BackendEventInput } from '../events/protocol.js';
import type { Store } from './store/types.js';

/** Contract 3: the event log the stream publisher reads. */
export type EventLog = {
  /** Persists one event in its own transaction, then publishes it. */
  append(input: BackendEventInput): BackendEvent;
  since(seq: number, limit: number): BackendEvent[];
  lastSeq(): number;
  subscribe(listener: (e: BackendEvent) => void): () => void;
};

/** The log plus the hooks processing uses to write inside a batch and publish after its commit. */
export type BackendEventLog = EventLog & {
  /** Inserts inside the caller's transaction; the caller publishes after commit. */
  insert(input: BackendEventInput): BackendEvent;
  publish(events: readonly BackendEvent[]): void;
};

/** Creates the event log over a store. */
export function createEventLog(store: Store): BackendEventLog {
  const listeners = new Set<(e: BackendEvent) => void>();
  const publish = (events: readonly BackendEvent[]): void => {
    for (const e of events) {
      for (const l of listeners) {
        try {
          l(e);
        } catch {
          // A failing subscriber must not stop ingest or the other subscribers.
        }
      }
    }
  };
  const insert = (input: BackendEventInput): BackendEvent => store.insertEvent(input, new Date().toISOString());
  return {
    insert,
    publish,
    append(input) {
      const event = store.transaction(() => insert(input));
      publish([event]);
      return event;
    },
    since: (seq, limit) => store.eventsSince(seq, limit),
    lastSeq: () => store.lastSeq(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
