/** Builders for console tests: real-shaped protocol values. */
import type { BackendEvent, MessageSummary } from '../../src/events/protocol.js';

/** A message summary with sensible defaults. */
export function summary(id: number, over: Partial<MessageSummary> = {}): MessageSummary {
  return {
    id,
    messageId: `M${id}:9ABC${id}:6560A0B0`,
    serial: 'FOX1',
    hostname: 'R1',
    model: 'CSR1000V',
    type: 'syslog',
    subType: '',
    alertGroup: 'syslog',
    severity: 5,
    eventName: 'LINK-3-UPDOWN',
    description: `event ${id}`,
    receivedAt: new Date(Date.UTC(2026, 10, 23, 12, 0, id)).toISOString(),
    transport: 'http',
    ...over,
  };
}

/** A message.received event. */
export function received(seq: number, m: MessageSummary = summary(seq)): BackendEvent {
  return { seq, at: m.receivedAt, type: 'message.received', message: m };
}
