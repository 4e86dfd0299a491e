/**
 * The console store: an external store for `useSyncExternalStore`. Actions apply at once; the
 * snapshot that subscribers see is published at most every `batchMs` (default 50 ms), so 1,000
 * events per second cost about 20 renders per second, not 1,000.
 */
import { createConsoleReducer, DEFAULT_LIMITS, initialConsoleState, type ConsoleLimits } from './reducer.js';
import type { ConsoleAction, ConsoleState } from './types.js';

export type ConsoleStore = {
  /** The published snapshot (stable between notifications). */
  getSnapshot(): ConsoleState;
  /** The newest state, including actions not yet published. */
  getState(): ConsoleState;
  dispatch(action: ConsoleAction): void;
  subscribe(listener: () => void): () => void;
  /** Publishes pending changes now. */
  flush(): void;
  /** Stops the batch timer. */
  dispose(): void;
};

export type ConsoleStoreOptions = {
  readonly initial?: ConsoleState;
  readonly limits?: Partial<ConsoleLimits>;
  /** Publishing interval; 0 publishes synchronously on every dispatch. */
  readonly batchMs?: number;
};

/** Creates a console store. */
export function createConsoleStore(options: ConsoleStoreOptions = {}): ConsoleStore {
  const reduce = createConsoleReducer({ ...DEFAULT_LIMITS, ...options.limits });
  const batchMs = options.batchMs ?? 50;
  let state = options.initial ?? initialConsoleState();
  let published = state;
  let timer: NodeJS.Timeout | null = null;
  const listeners = new Set<() => void>();

  function publish(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (published === state) return;
    published = state;
    for (const l of [...listeners]) l();
  }

  return {
    getSnapshot: () => published,
    getState: () => state,
    dispatch(action) {
      state = reduce(state, action);
      if (batchMs === 0) publish();
      else if (timer === null && state !== published) {
        timer = setTimeout(publish, batchMs);
        timer.unref();
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush: publish,
    dispose() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      listeners.clear();
    },
  };
}
