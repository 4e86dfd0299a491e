/** One readable line per back-end event, for `callhome events` without --ndjson. */
import { assertNever } from '../util/assert-never.js';
import { BackendEventSchema, type BackendEvent, type BackendEventType } from './protocol.js';

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
    case 'case.updated': {
      const c = event.case;
      return `${c.number} ${c.status} P${c.priority} ${c.hostname || '?'} (${c.serial}): ${c.title}`;
    }
    case 'audit':
      return `${event.entry.actor} ${event.entry.action} ${event.entry.target}${event.entry.company ? ` (${event.entry.company})` : ''}${event.entry.remote ? ` from ${event.entry.remote}` : ''}`;
    case 'listener.status':
      return `${event.listener} ${event.state}${event.port === null ? '' : ` on port ${event.port}`}${event.error ? `: ${event.error}` : ''}`;
    default:
      return assertNever(event, 'event type');
  }
}
