/**
 * Wires the back end into a console store: the event stream (reconnect with back-off and resume
 * from the last seq are the stream client's job) plus the REST snapshot loaded once the stream says
 * hello, so nothing falls between the snapshot and the live events (duplicates fold by id / seq).
 */
import type { ApiDevice } from '../../client/api-client.js';
import type { ConsoleApi } from '../ports.js';
import { connectEventStream, type StreamState } from '../../events/client.js';
import type { BackendEvent } from '../../events/protocol.js';
import { describeError } from '../../errors.js';
import { assertNever } from '../../util/assert-never.js';
import { loadNewestMessages } from './api-loaders.js';
import type { ConsoleStore } from '../store.js';
import type { ConnectionState, DeviceRow } from '../types.js';
import { allowed, toSessionView, type SessionView } from '../admin.js';

export type LiveOptions = {
  readonly url: string;
  readonly token: string;
  readonly api: ConsoleApi;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly heartbeatTimeoutMs?: number;
  /** Replay the event log from this seq (0 = everything, e.g. a fresh demo back end); default: only new events. */
  readonly since?: number;
};

export type LiveConnection = { close(): void };

/** Maps the stream client's state onto the status line's. */
export function toConnectionState(state: StreamState): ConnectionState {
  switch (state.type) {
    case 'connecting':
      return { kind: 'connecting' };
    case 'open':
      return { kind: 'open' };
    case 'backing-off':
      return { kind: 'backing-off', attempt: state.attempt, retryInMs: state.retryInMs };
    case 'closed':
      return { kind: 'closed' };
    case 'unauthorized':
      return { kind: 'unauthorized', retryAfterSeconds: state.retryAfterSeconds };
    default:
      return assertNever(state, 'stream state');
  }
}

/** A device row as the console keeps it. */
export function toDeviceRow(d: ApiDevice): DeviceRow {
  return { serial: d.serial, hostname: d.hostname, model: d.model, registration: d.registration, trialEndsAt: d.trialEndsAt, lastMessageAt: d.lastMessageAt, coverageEndsAt: d.coverageEndsAt, refusal: d.registrationRefusal };
}

/** Loads devices, cases, notifications, gateways and the newest message page into the store. */
export async function loadSnapshot(store: ConsoleStore, api: ConsoleApi): Promise<void> {
  // Who is logged in (status line, Admin screen); a back end without accounts leaves it empty. Asked
  // alongside the rest (a later snapshot would replace devices that live events added meanwhile).
  const me = api.me === undefined ? Promise.resolve(null) : api.me().then(toSessionView, () => null);
  // Transport Gateways are for Administrators only (S66): a User's console does not ask (it would be refused).
  const gatewaysFor = (session: SessionView | null) => (session === null || allowed(session, 'gateways.admin') ? api.gateways() : Promise.resolve({ gateways: [] }));
  const [session, devices, cases, notifications, gateways] = await Promise.all([me, api.devices(), api.cases(), api.notifications(200), me.then(gatewaysFor)]);
  if (session !== null) store.dispatch({ type: 'api/session', session });
  store.dispatch({ type: 'api/devices', devices: devices.devices.map(toDeviceRow) });
  store.dispatch({ type: 'api/cases', cases: cases.cases });
  store.dispatch({ type: 'api/notifications', notifications: notifications.notifications });
  store.dispatch({ type: 'api/gateways', gateways: gateways.gateways.map(({ id, name, company, status }) => ({ id, name, company, status })) });
  await loadNewestMessages(store, api);
}

/** Connects the store to the back end until `close()`. */
export function connectLive(store: ConsoleStore, options: LiveOptions): LiveConnection {
  let pending: BackendEvent[] = [];
  let scheduled = false;
  let snapshotLoaded = false;
  // Events come one per frame; hand them to the reducer in batches.
  const drain = (): void => {
    scheduled = false;
    const events = pending;
    pending = [];
    if (events.length > 0) store.dispatch({ type: 'backend/events', events });
  };
  const client = connectEventStream({
    url: options.url,
    token: options.token,
    ...(options.initialBackoffMs !== undefined ? { initialBackoffMs: options.initialBackoffMs } : {}),
    ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.heartbeatTimeoutMs !== undefined ? { heartbeatTimeoutMs: options.heartbeatTimeoutMs } : {}),
    onEvent(event) {
      pending.push(event);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    },
    onState(state) {
      store.dispatch({ type: 'backend/connection', state: toConnectionState(state) });
    },
    onHello() {
      if (snapshotLoaded) return;
      snapshotLoaded = true;
      loadSnapshot(store, options.api).catch((error: unknown) => {
        snapshotLoaded = false;
        store.dispatch({ type: 'ui/notice', notice: { level: 'error', text: `Loading from the back end failed: ${describeError(error)}`, at: Date.now() } });
      });
    },
  });
  return {
    close() {
      client.close();
      drain();
    },
  };
}
