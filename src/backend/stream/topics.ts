/**
 * Stream topics of S94 published outside message processing: gateway status (registered, connected,
 * password rotated or reset — N24 is this audit trail, never a mail — deleted) and mail-server status
 * (a gateway's mailbox; the service's own relay is published by service.ts as deliveries succeed or fail).
 */
import type { EventLog } from '../event-log.js';
import type { GatewayRecord } from '../gateway/registry-queries.js';

/** A gateway silent for this long is announced as connected again when it next calls. */
export const GATEWAY_QUIET_MS = 5 * 60_000;

type GatewayState = 'registered' | 'connected' | 'password-rotated' | 'password-reset' | 'deleted';

/** Publishes one gateway.status event. */
export async function gatewayStatus(log: EventLog, g: { readonly id: string; readonly name: string; readonly lastSeenAt: string | null }, state: GatewayState): Promise<void> {
  await log.append({ type: 'gateway.status', gatewayId: g.id, name: g.name, state, lastSeenAt: g.lastSeenAt });
}

/**
 * An authenticated gateway request: `connected` when the gateway had not been seen for a while (not on
 * every request), `password-rotated` when this answer carries its new password (N24, audit only).
 */
export async function gatewayCalled(log: EventLog, before: GatewayRecord, rotated: boolean, now = new Date()): Promise<void> {
  const seen = { id: before.id, name: before.name, lastSeenAt: now.toISOString() };
  if (rotated) await gatewayStatus(log, seen, 'password-rotated');
  else if (before.lastSeenAt === null || now.getTime() - Date.parse(before.lastSeenAt) >= GATEWAY_QUIET_MS) await gatewayStatus(log, seen, 'connected');
}

/** A gateway's mailbox connection state (S84, S96), for the gateway to report. */
export async function mailboxStatus(log: EventLog, gatewayId: string, state: 'up' | 'down', detail: string): Promise<void> {
  await log.append({ type: 'mailserver.status', server: 'gateway-mailbox', gatewayId, state, detail: detail.slice(0, 200) });
}
