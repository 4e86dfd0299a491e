/**
 * The persisted, sequenced event log behind `/events` and `callhome events`. Events are written in the
 * same transaction as the data they describe and published to subscribers only after commit, in seq
 * order with no gap: this process's own commits are published from memory when they follow the last
 * published seq; anything else (another replica's commits, announced by the store's watch, or a commit
 * that overtook another) is read from the database page by page.
 */
import type { BackendEvent, BackendEventInput } from '../events/protocol.js';
import type { Store } from './store/types.js';

/** Contract 3: the event log the stream publisher reads. */
export type EventLog = {
  /** Persists one event in its own transaction, then publishes it. */
  append(input: BackendEventInput): Promise<BackendEvent>;
  /** Committed events with `seq > seq`, oldest first, at most `limit`. */
  since(seq: number, limit: number): Promise<BackendEvent[]>;
  /** The newest committed seq. */
  lastSeq(): Promise<number>;
  /** Calls `listener` for every committed event, in seq order, each once; returns the unsubscribe function. */
  subscribe(listener: (e: BackendEvent) => void): () => void;
};

/** The log plus the hooks the service uses after its own commits. */
export type BackendEventLog = EventLog & {
  /** Publishes events this process has just committed (consecutive seqs). */
  published(events: readonly BackendEvent[]): void;
  /** Stops watching the database for other writers' commits. */
  close(): Promise<void>;
};

/** Events read from the database per page when catching up. */
const CATCH_UP_PAGE = 500;

/** Creates the event log over a store, publishing from the store's newest seq on. */
export function createEventLog(store: Store, onError?: (error: unknown) => void): BackendEventLog {
  const listeners = new Set<(e: BackendEvent) => void>();
  /** The newest seq handed to listeners; undefined until the store has said where it stands. */
  let last: number | undefined;
  let reading = false;
  let again = false;

  const deliver = (e: BackendEvent): void => {
    last = e.seq;
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A failing subscriber must not stop ingest or the other subscribers.
      }
    }
  };

  /** Reads and publishes everything after `last`; one reader at a time, re-run when asked meanwhile. */
  const catchUp = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        for (;;) {
          const page = await store.eventsSince(last ?? 0, CATCH_UP_PAGE);
          for (const e of page) deliver(e);
          if (page.length < CATCH_UP_PAGE) break;
        }
      } while (again);
    } catch (error) {
      // The next commit, notification or poll tries again.
      onError?.(error);
    } finally {
      reading = false;
    }
  };

  const ready = store.lastSeq().then(
    (seq) => {
      last ??= seq;
    },
    (error: unknown) => onError?.(error),
  );
  const watching = ready.then(() => store.watchEvents(() => void catchUp()));

  const published = (events: readonly BackendEvent[]): void => {
    const first = events[0];
    const newest = events.at(-1);
    if (!first || !newest || (last !== undefined && newest.seq <= last)) return;
    if (!reading && last !== undefined && first.seq === last + 1) {
      for (const e of events) deliver(e);
      return;
    }
    // Something committed before these is not published yet: read it all in order.
    void ready.then(catchUp);
  };

  return {
    published,
    async append(input) {
      const [event] = await store.transaction((tx) => tx.appendEvents([{ input, at: new Date().toISOString() }]));
      if (!event) throw new Error('appending an event wrote nothing');
      published([event]);
      return event;
    },
    since: (seq, limit) => store.eventsSince(seq, limit),
    lastSeq: () => store.lastSeq(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      const stop = await watching.catch(() => null);
      await stop?.();
    },
  };
}
