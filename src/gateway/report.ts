/**
 * The gateway's status reports to the service (S94, S96): its queue, forwarding, Send flag and mailbox,
 * posted to /gateway/v1/status soon after something changes (at most every `minGapMs`) and every
 * `everyMs` otherwise. The service turns them into `gateway.status` events. A gateway that cannot reach
 * the service cannot report that; the service's "last seen" and the report time tell it instead, and the
 * report sent when it is back says how long forwarding failed.
 */
import { wakeableSleep } from '../util/wakeable-sleep.js';
import { GATEWAY_NEW_PASSWORD_HEADER, GATEWAY_STATUS_PATH, gatewayAuth, GATEWAY_AUTH_HEADER } from '../backend/gateway/protocol.js';
import type { GatewayStatus } from '../events/protocol.js';
import type { Credentials } from './forward.js';
import { send, type HttpTarget } from './http-post.js';

export type Activity = GatewayStatus['activity'];
export type ActivityKind = keyof Activity;
const NO_ACTIVITY: Activity = { queued: 0, forwarded: 0, refused: 0, held: 0, purged: 0, refusedAtIntake: 0 };

export type StatusReporterOptions = {
  readonly target: HttpTarget;
  readonly credentials: () => Credentials | undefined;
  readonly onNewPassword: (password: string) => void;
  /** The gateway's state now, without the activity counters (the reporter keeps those). */
  readonly snapshot: () => Omit<GatewayStatus, 'activity' | 'reportedAt'>;
  /** A report failed (logged by the caller; the next one is tried at the next heartbeat). */
  readonly onError?: (reason: string) => void;
  /** Heartbeat (default 60 s) and the shortest gap between reports (default 5 s). */
  readonly everyMs?: number;
  readonly minGapMs?: number;
};

export type StatusReporter = {
  /** Counts what happened; reported (and reset) with the next report the service accepts. */
  count(kind: ActivityKind, n?: number): void;
  /** Something an operator watches changed: report soon. */
  nudge(): void;
  /** Sends a last report (best effort) and stops. */
  stop(): Promise<void>;
};

export function startStatusReporter(o: StatusReporterOptions): StatusReporter {
  const everyMs = o.everyMs ?? 60_000;
  const minGapMs = o.minGapMs ?? 5_000;
  let activity: Activity = { ...NO_ACTIVITY };
  let dirty = true;
  let lastAttempt = 0;
  let stopped = false;
  const { sleep, wake: wakeSleep } = wakeableSleep();

  const report = async (): Promise<void> => {
    const c = o.credentials();
    if (!c) return;
    const sent = { ...activity };
    const status: GatewayStatus = { reportedAt: new Date().toISOString(), ...o.snapshot(), activity: sent };
    try {
      const answer = await send({ ...o.target, timeoutMs: 10_000 }, 'POST', GATEWAY_STATUS_PATH, { 'content-type': 'application/json', [GATEWAY_AUTH_HEADER]: gatewayAuth(c.id, c.password) }, Buffer.from(JSON.stringify(status)));
      const fresh = answer.headers[GATEWAY_NEW_PASSWORD_HEADER];
      if (typeof fresh === 'string' && fresh) o.onNewPassword(fresh);
      if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
      // What happened while the report was in flight stays for the next one.
      for (const k of Object.keys(sent) as ActivityKind[]) activity[k] -= sent[k];
    } catch (e) {
      o.onError?.(e instanceof Error ? e.message : String(e));
    }
  };

  const loop = (async () => {
    while (!stopped) {
      const due = lastAttempt + (dirty ? minGapMs : everyMs);
      const now = Date.now();
      if (now < due) {
        await sleep(due - now);
        continue;
      }
      lastAttempt = now;
      dirty = false;
      await report();
    }
  })();

  return {
    count(kind, n = 1) {
      activity = { ...activity, [kind]: activity[kind] + n };
    },
    nudge() {
      dirty = true;
      if (Date.now() >= lastAttempt + minGapMs) wakeSleep();
    },
    stop: async () => {
      stopped = true;
      wakeSleep();
      await loop;
      await report();
    },
  };
}
