/** One readable line per back-end event, for `callhome events` without --ndjson. */
import { assertNever } from '../util/assert-never.js';
import { BackendEventSchema, type BackendEvent, type BackendEventType, type GatewayStatus } from './protocol.js';

/** Every event type, in protocol order. */
export const EVENT_TYPES: readonly BackendEventType[] = BackendEventSchema.options.map((o) => o.shape.type.value);

/** `#seq time type details` */
export function formatEventLine(event: BackendEvent): string {
  return `#${event.seq} ${event.at} ${event.type} ${describeEvent(event)}`;
}

function describeEvent(event: BackendEvent): string {
  switch (event.type) {
    case 'message.received': {
      const m = event.message;
      return `${m.hostname || '?'} (${m.serial || 'anonymous'}) ${m.type}${m.subType ? `/${m.subType}` : ''} sev ${m.severity} via ${m.transport}: ${m.eventName || m.description}`;
    }
    case 'message.rejected':
      return `via ${event.transport} from ${event.remote ?? 'unknown'}: ${event.reason}`;
    case 'registration.changed':
      return `${event.hostname || '?'} (${event.serial}) ${event.from ?? 'new'} -> ${event.to}${event.trialEndsAt ? ` (trial ends ${event.trialEndsAt})` : ''}`;
    case 'notification.sent': {
      const n = event.notification;
      return `${n.kind} to ${n.to.join(', ') || 'nobody'}${n.delivered ? '' : ' (not delivered)'}: ${n.subject}`;
    }
    case 'device.identity-claimed':
      return `${event.serial}: message ${event.messageId} claims another ${event.fields.join(', ')} (not applied; see the device's identityClaim)`;
    case 'case.opened':
    case 'case.updated':
    case 'case.closed': {
      const c = event.case;
      return `${c.number} ${c.status} P${c.priority} ${c.hostname || '?'} (${c.serial}): ${c.title}`;
    }
    case 'message.processed':
      return `message ${event.id} (${event.serial}) ${event.status}${event.caseNumber ? `, case ${event.caseNumber} ${event.caseAction}` : ''}${event.srFailure ? `, SR not created: ${event.srFailure}` : ''}, notified ${event.notifiedTo.length}`;
    case 'mailserver.status':
      return `${event.server} ${event.state}${event.detail ? `: ${event.detail}` : ''}`;
    case 'audit':
      return `${event.entry.actor} ${event.entry.action} ${event.entry.target}${event.entry.company ? ` (${event.entry.company})` : ''}${event.entry.remote ? ` from ${event.entry.remote}` : ''}`;
    case 'listener.status':
      return `${event.listener} ${event.state}${event.port === null ? '' : ` on port ${event.port}`}${event.error ? `: ${event.error}` : ''}`;
    case 'gateway.registered':
    case 'gateway.deleted':
    case 'gateway.status':
      return describeGatewayEvent(event);
    default:
      return assertNever(event, 'event type');
  }
}

/** `12 queued, 1 held; forwarding failing since …: reason; store full; mailbox connected, last poll …` */
export function describeGatewayStatus(s: GatewayStatus): string {
  const parts = [`${s.queue.queued} queued, ${s.queue.held} held${s.queue.refused > 0 ? `, ${s.queue.refused} refused` : ''}${s.sendFlag ? '' : ' (Send flag No)'}`];
  parts.push(s.forwarding.state === 'ok' ? 'forwarding ok' : `forwarding failing${s.forwarding.since ? ` since ${s.forwarding.since}` : ''}${s.forwarding.lastError ? `: ${s.forwarding.lastError}` : ''}`);
  if (s.queue.full) parts.push('STORE FULL');
  if (s.mailbox) parts.push(`mailbox ${s.mailbox.state}${s.mailbox.lastPoll ? `, last poll ${s.mailbox.lastPoll}` : ''}${s.mailbox.lastError ? `: ${s.mailbox.lastError}` : ''}`);
  return parts.join('; ');
}

/** The details of a gateway event (shared by `callhome events` and the demo's lines). */
export function describeGatewayEvent(e: Extract<BackendEvent, { type: `gateway.${string}` }>): string {
  const who = `${e.gateway.name} (${e.gateway.id})${e.company ? ` of ${e.company}` : ''}`;
  switch (e.type) {
    case 'gateway.registered':
      return `${who} registered by ${e.registeredBy}`;
    case 'gateway.deleted':
      return `${who} deleted`;
    case 'gateway.status':
      return `${who}: ${describeGatewayStatus(e.status)}`;
  }
}
