/** One human line per back-end event, for `callhome demo --headless`. */
import type { BackendEvent } from '../events/protocol.js';
import { assertNever } from '../util/assert-never.js';
import { describeGatewayEvent } from '../events/format.js';

/** `#12 message R1 syslog sev 4 LINK-3-UPDOWN via http` and the like. */
export function eventLine(e: BackendEvent): string {
  switch (e.type) {
    case 'message.received': {
      const m = e.message;
      return `#${e.seq} message ${m.hostname || m.serial} ${m.type} sev ${m.severity} ${m.eventName} via ${m.transport}: ${m.description}`;
    }
    case 'message.rejected':
      return `#${e.seq} rejected ${e.transport} message: ${e.reason}`;
    case 'registration.changed':
      return `#${e.seq} registration ${e.hostname} (${e.serial}) ${e.from ?? 'new'} → ${e.to}`;
    case 'notification.sent':
      return `#${e.seq} notification ${e.notification.kind} to ${e.notification.to.join(', ')}: ${e.notification.subject}`;
    case 'device.identity-claimed':
      return `#${e.seq} identity claim on ${e.serial} (${e.fields.join(', ')}), not applied`;
    case 'case.opened':
    case 'case.updated':
    case 'case.closed':
      return `#${e.seq} case ${e.type.slice(5)} ${e.case.number} ${e.case.hostname}: ${e.case.title}`;
    case 'message.processed':
      return `#${e.seq} processed message ${e.id} (${e.serial}) ${e.status}${e.caseNumber ? ` case ${e.caseNumber} ${e.caseAction}` : ''}`;
    case 'mailserver.status':
      return `#${e.seq} mail server ${e.server} ${e.state}${e.detail ? `: ${e.detail}` : ''}`;
    case 'audit':
      return `#${e.seq} audit ${e.entry.actor} ${e.entry.action} ${e.entry.target}`;
    case 'listener.status':
      return `#${e.seq} listener ${e.listener} ${e.state}${e.port !== null ? ` on ${e.port}` : ''}${e.error !== null ? `: ${e.error}` : ''}`;
    case 'gateway.registered':
    case 'gateway.deleted':
    case 'gateway.status':
      return `#${e.seq} gateway ${describeGatewayEvent(e)}`;
    default:
      return assertNever(e, 'backend event');
  }
}
