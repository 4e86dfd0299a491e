/**
 * Forwarding (S86): queued messages go to the service oldest first, each as it arrived (the device's
 * message ID inside is untouched, so the service's idempotent ingest makes a resend after a crash
 * harmless). A failure pauses all forwarding with exponential back-off; the entry stays queued.
 */
import { wakeableSleep } from '../util/wakeable-sleep.js';
import type { OutgoingHttpHeaders } from 'node:http';
import { GATEWAY_AUTH_HEADER, GATEWAY_FORWARD_PATH, GATEWAY_NEW_PASSWORD_HEADER, GATEWAY_SOURCE_HEADER, gatewayAuth, MAIL_CONTENT_TYPE } from '../backend/gateway/protocol.js';
import { send, type HttpTarget } from './http-post.js';
import type { Queue, QueueEntry } from './queue.js';
import type { GatewayEvent } from './events.js';

export type Credentials = { readonly id: string; readonly password: string };

export type ForwarderOptions = {
  readonly queue: Queue;
  readonly target: HttpTarget;
  /** The gateway's current ID and password; undefined = not registered (requests go without). */
  readonly credentials: () => Credentials | undefined;
  /** The service rotated the password (S83): keep the new one. */
  readonly onNewPassword: (password: string) => void;
  readonly onEvent: (e: GatewayEvent) => void;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** First and longest pause after a failure (default 1 s and 60 s). */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
};

export type Forwarder = {
  /** Something was queued: look now rather than at the next poll. */
  wake(): void;
  /** Whether the service answered the last attempt; the error text when it did not. */
  status(): { readonly reachable: boolean; readonly lastError: string | null; readonly pausedUntil: number; readonly failingSince: number | null };
  stop(): Promise<void>;
};

/** Statuses by which the service refuses the message itself (ingest/refusal.ts). */
const MESSAGE_REFUSALS = new Set([400, 413, 415, 422]);

/** What one attempt's answer means for the entry. */
type Verdict = { kind: 'forwarded'; duplicate: boolean } | { kind: 'refused'; reason: string } | { kind: 'retry'; reason: string; auth?: boolean };

function verdict(status: number, body: string): Verdict {
  if (status === 200) {
    let duplicate = false;
    try {
      duplicate = (JSON.parse(body) as { duplicate?: boolean }).duplicate === true;
    } catch {
      // A 200 is a 200 even with an odd body.
    }
    return { kind: 'forwarded', duplicate };
  }
  let reason = `HTTP ${status}`;
  try {
    const parsed = JSON.parse(body) as { reason?: string };
    if (parsed.reason) reason = `HTTP ${status}: ${parsed.reason}`;
  } catch {
    // keep the status alone
  }
  if (status === 401 || status === 403) return { kind: 'retry', reason, auth: true };
  // The service judged the message itself (malformed, too large, wrong type, not Call Home): resending cannot
  // help. Anything else (404 of a wrong URL, 407 of a proxy, 429, 5xx) is the path's fault: keep and retry.
  if (MESSAGE_REFUSALS.has(status)) return { kind: 'refused', reason };
  return { kind: 'retry', reason };
}

/** The request headers of one forwarded entry. */
export function forwardHeaders(entry: Pick<QueueEntry, 'kind' | 'source'>, credentials: Credentials | undefined): OutgoingHttpHeaders {
  return {
    'content-type': entry.kind === 'mail' ? MAIL_CONTENT_TYPE : 'application/xml',
    [GATEWAY_SOURCE_HEADER]: entry.source,
    ...(credentials ? { [GATEWAY_AUTH_HEADER]: gatewayAuth(credentials.id, credentials.password) } : {}),
  };
}

export function startForwarder(o: ForwarderOptions): Forwarder {
  const concurrency = o.concurrency ?? 4;
  const minBackoff = o.minBackoffMs ?? 1_000;
  const maxBackoff = o.maxBackoffMs ?? 60_000;
  let backoff = minBackoff;
  let pausedUntil = 0;
  let reachable = true;
  let lastError: string | null = null;
  let failingSince: number | null = null;
  let stopped = false;
  const { sleep, wake: wakeSleep } = wakeableSleep();

  const fail = (reason: string): void => {
    pausedUntil = Date.now() + backoff;
    if (reachable || lastError !== reason) o.onEvent({ type: 'backend.unreachable', reason, retryInMs: backoff });
    failingSince ??= Date.now();
    reachable = false;
    lastError = reason;
    backoff = Math.min(maxBackoff, backoff * 2);
  };

  const attempt = async (entry: QueueEntry): Promise<void> => {
    let v: Verdict;
    try {
      const answer = await send(o.target, 'POST', GATEWAY_FORWARD_PATH, forwardHeaders(entry, o.credentials()), entry.body);
      const fresh = answer.headers[GATEWAY_NEW_PASSWORD_HEADER];
      if (typeof fresh === 'string' && fresh) o.onNewPassword(fresh);
      v = verdict(answer.status, answer.body);
    } catch (e) {
      v = { kind: 'retry', reason: e instanceof Error ? e.message : String(e) };
    }
    switch (v.kind) {
      case 'forwarded':
        o.queue.forwarded(entry.id);
        if (!reachable) o.onEvent({ type: 'backend.reachable' });
        reachable = true;
        lastError = null;
        failingSince = null;
        backoff = minBackoff;
        o.onEvent({ type: 'forwarded', id: entry.id, messageId: entry.messageId, serial: entry.serial, subject: entry.subject, duplicate: v.duplicate });
        return;
      case 'refused':
        o.queue.setState([entry.id], 'refused', v.reason);
        o.onEvent({ type: 'refused', id: entry.id, messageId: entry.messageId, serial: entry.serial, subject: entry.subject, reason: v.reason });
        return;
      case 'retry':
        o.queue.retryLater(entry.id, Date.now() + backoff, v.reason);
        fail(v.auth ? `the service refused the gateway's credentials (${v.reason})` : v.reason);
        return;
    }
  };

  const loop = (async () => {
    while (!stopped) {
      const now = Date.now();
      if (now < pausedUntil) {
        await sleep(pausedUntil - now);
        continue;
      }
      const batch = o.queue.due(now, concurrency * 4);
      if (batch.length === 0) {
        await sleep(500);
        continue;
      }
      let next = 0;
      const worker = async (): Promise<void> => {
        // After a failure the rest of the batch waits for the back-off too.
        while (!stopped && next < batch.length && Date.now() >= pausedUntil) await attempt(batch[next++]!);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    }
  })();

  return {
    wake: () => {
      // A pause after a failure is kept; a new message does not hammer a down service.
      if (Date.now() >= pausedUntil) wakeSleep();
    },
    status: () => ({ reachable, lastError, pausedUntil, failingSince }),
    stop: async () => {
      stopped = true;
      wakeSleep();
      await loop;
    },
  };
}
