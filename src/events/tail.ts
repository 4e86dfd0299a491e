/**
 * Reads the event stream for `callhome events`: the stored events after `since`, then (when following)
 * live events until the signal aborts. Fails with an AbortError when the back end refuses the token or
 * cannot be reached at all; once connected, a following tail rides out disconnects and resumes.
 */
import { tokenRefused, tokenThrottled } from './token-problems.js';
import { AbortError } from '../errors.js';
import { assertNever } from '../util/assert-never.js';
import { connectEventStream, type StreamState } from './client.js';
import type { BackendEvent } from './protocol.js';

/** Options of {@link tailEvents}. */
export type TailOptions = {
  readonly url: string;
  readonly token: string;
  /** Start after this seq; without it, following starts at the newest event and not following starts at 0. */
  readonly since?: number | undefined;
  /** Keep streaming live events (true) or stop at the newest event stored at connect time (false). */
  readonly follow: boolean;
  readonly onEvent: (event: BackendEvent) => void;
  /** Connection changes after the first connect (back-off, reconnect), for a human status line. */
  readonly onState?: (state: StreamState) => void;
  /** Problems that are not fatal: invalid frames. */
  readonly onWarning?: (message: string) => void;
  /** Ends a following tail. */
  readonly signal?: AbortSignal;
  /** Silence that counts as a dead link (tests shorten it). */
  readonly heartbeatTimeoutMs?: number;
};

/** Streams events; resolves with how many were delivered when done (or aborted). */
export function tailEvents(options: TailOptions): Promise<{ delivered: number; lastSeq: number | undefined }> {
  const since = options.since ?? (options.follow ? undefined : 0);
  return new Promise((resolve, reject) => {
    let delivered = 0;
    let everOpen = false;
    let target: number | undefined;
    let settled = false;

    const finish = (error?: AbortError): void => {
      if (settled) return;
      settled = true;
      client.close();
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve({ delivered, lastSeq: client.lastSeq() });
    };
    const onAbort = (): void => finish();
    const caughtUp = (): boolean => target !== undefined && (client.lastSeq() ?? 0) >= target;

    const client = connectEventStream({
      url: options.url,
      token: options.token,
      ...(since === undefined ? {} : { since }),
      ...(options.heartbeatTimeoutMs === undefined ? {} : { heartbeatTimeoutMs: options.heartbeatTimeoutMs }),
      onHello: (lastSeq) => {
        target ??= lastSeq;
        if (!options.follow && caughtUp()) finish();
      },
      onEvent: (event) => {
        delivered += 1;
        options.onEvent(event);
        if (!options.follow && caughtUp()) finish();
      },
      onInvalidFrame: (frame) => options.onWarning?.(`ignored an invalid frame from the back end: ${frame.error}`),
      onState: (state) => {
        switch (state.type) {
          case 'unauthorized':
            finish(state.retryAfterSeconds !== null ? tokenThrottled(options.url, state.retryAfterSeconds) : tokenRefused(options.url));
            return;
          case 'backing-off':
            if (!everOpen) {
              finish(new AbortError(`Cannot reach the back end's event stream at ${options.url}: ${state.reason}`, 'Start it with `callhome serve`, or point --backend (or $CALLHOME_BACKEND) at it.'));
              return;
            }
            if (!options.follow && state.retryInMs > 0) {
              finish(new AbortError(`Lost the connection to ${options.url} before all stored events arrived: ${state.reason}`, 'Run the command again with --since set to the last seq printed.'));
              return;
            }
            break;
          case 'open':
            everOpen = true;
            break;
          case 'connecting':
          case 'closed':
            break;
          default:
            assertNever(state, 'stream state');
        }
        if (everOpen) options.onState?.(state);
      },
    });
    if (options.signal?.aborted) finish();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
