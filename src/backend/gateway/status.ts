/**
 * A gateway's status reports (S94, S96): `POST /gateway/v1/status` with a GatewayStatus. The last one is
 * kept with the gateway (GET /api/v1/gateways shows it); a `gateway.status` event goes on the stream
 * when something an operator watches changed — queue depth, forwarding failing or back, store full,
 * Send flag, mailbox state, or activity since the last report — and at least every few minutes
 * otherwise, so the mail screen's "last poll" stays fresh without an event per heartbeat.
 */
import type { GatewayStatus, GatewaySummary } from '../../events/protocol.js';
import type { BackendService } from '../service.js';
import type { GatewayRecord } from './registry-queries.js';
import { gatewayStoreFull } from '../notifications/triggers.js';

/** With nothing new, a report still reaches the stream this often. */
export const STATUS_REFRESH_MS = 5 * 60_000;

/** What must change for a report to become an event before STATUS_REFRESH_MS. */
function watched(s: GatewayStatus): string {
  const a = s.activity;
  return JSON.stringify([s.queue.queued, s.queue.held, s.queue.refused, s.queue.full, s.sendFlag, s.forwarding.state, s.forwarding.lastError, s.mailbox?.state ?? null, s.mailbox?.lastError ?? null, a.queued + a.forwarded + a.refused + a.held + a.purged + a.refusedAtIntake > 0]);
}

export function gatewaySummary(g: Pick<GatewayRecord, 'id' | 'name' | 'company'>): GatewaySummary {
  return { id: g.id, name: g.name, company: g.company };
}

/** Keeps the report and publishes it when it says something new; true when an event went out. */
export async function recordGatewayStatus(service: BackendService, g: GatewayRecord, status: GatewayStatus, now = new Date()): Promise<boolean> {
  let previous: GatewayStatus | null = null;
  try {
    previous = g.status === null ? null : (JSON.parse(g.status) as GatewayStatus);
  } catch {
    previous = null;
  }
  const stale = g.statusPublishedAt === null || now.getTime() - Date.parse(g.statusPublishedAt) >= STATUS_REFRESH_MS;
  const publish = previous === null || stale || watched(previous) !== watched(status);
  await service.store.setGatewayStatus(g.id, JSON.stringify(status), publish ? now.toISOString() : null);
  if (publish) await service.log.append({ type: 'gateway.status', gateway: gatewaySummary(g), status });
  // N26: once per full episode (the store was not full, or the flag off, in the previous report).
  const notify = status.storeFullNotify?.to ?? [];
  if (status.queue.full && notify.length > 0 && !(previous?.queue.full === true && (previous.storeFullNotify?.to.length ?? 0) > 0)) {
    await service.raise((ctx) => gatewayStoreFull(ctx, notify, g, status.queue));
  }
  return publish;
}
