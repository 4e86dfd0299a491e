/**
 * Watches the back end's event stream for the messages verify triggers. It subscribes before any
 * device is triggered and keeps every message it sees, so a message that arrives before its waiter
 * asks for it is not missed.
 */
import { connectEventStream, type StreamState } from '../events/client.js';
import type { MessageSummary } from '../events/protocol.js';
import { AbortError } from '../errors.js';

export type Arrival = { readonly message: MessageSummary; readonly at: number };

export type DeliveryWatcher = {
  /** Resolves once the stream is open (so later messages will be seen). */
  ready(timeoutMs: number): Promise<void>;
  /** The first message matching, arriving within `timeoutMs`; null on timeout. */
  waitFor(match: (m: MessageSummary) => boolean, timeoutMs: number): Promise<Arrival | null>;
  close(): void;
};

/** Connects to `url` with `token` and starts collecting messages. */
export function watchDeliveries(url: string, token: string): DeliveryWatcher {
  const seen: Arrival[] = [];
  const waiters = new Set<{ match: (m: MessageSummary) => boolean; resolve: (a: Arrival) => void }>();
  let state: StreamState = { type: 'connecting', attempt: 1 };
  const stateListeners = new Set<() => void>();
  const client = connectEventStream({
    url,
    token,
    onEvent(event) {
      if (event.type !== 'message.received') return;
      const arrival = { message: event.message, at: Date.now() };
      seen.push(arrival);
      for (const w of [...waiters]) {
        if (w.match(event.message)) {
          waiters.delete(w);
          w.resolve(arrival);
        }
      }
    },
    onState(s) {
      state = s;
      for (const l of [...stateListeners]) l();
    },
  });
  return {
    ready(timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (state.type === 'open') resolve();
          else if (state.type === 'unauthorized') reject(new AbortError(`The back end refused the token: ${state.message}`, 'Pass the token the back end was started with (--token or $CALLHOME_TOKEN).'));
          else return false;
          return true;
        };
        if (check()) return;
        const timer = setTimeout(() => {
          stateListeners.delete(listener);
          reject(new AbortError(`The back end's event stream at ${url} did not open within ${timeoutMs / 1000} s.`, 'Check --backend and that `callhome serve` is running.'));
        }, timeoutMs);
        const listener = (): void => {
          if (check()) {
            clearTimeout(timer);
            stateListeners.delete(listener);
          }
        };
        stateListeners.add(listener);
      });
    },
    waitFor(match, timeoutMs) {
      const already = seen.find((a) => match(a.message));
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve) => {
        const waiter = {
          match,
          resolve: (a: Arrival) => {
            clearTimeout(timer);
            resolve(a);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          resolve(null);
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      client.close();
      waiters.clear();
    },
  };
}
