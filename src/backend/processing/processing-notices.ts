/**
 * The notifications message processing raises (spec §5.4), by catalogue number, and the SCH Support
 * alerts of S62 — kept in one table so the notification catalogue can take them over as they are.
 * Each goes through notify() (recipients, limits, S59 fields, relay).
 */
import type { CallHomeMessage } from '../../domain/message.js';
import type { NotificationRecord } from '../store/types.js';
import type { TxContext } from './context.js';
import { notify, recipientsFor } from './notify.js';

/** Processing's triggers: notification kind and reason line. */
export const PROCESSING_TRIGGERS = {
  /** Full inventory received; device inventory updated (optional). */
  N2: { kind: 'inventory-updated', reason: 'Updated device inventory report available' },
  /** Full configuration received; device configuration updated (optional). */
  N3: { kind: 'configuration-updated', reason: 'Updated device configuration report available' },
  /** Unsupported message received: not XML, or a sub-type the service does not support. */
  N7: { kind: 'unsupported-message', reason: 'Receipt of an unsupported Call Home message' },
  /** Message missing information (customer copy; support gets an S62 alert). */
  N8: { kind: 'missing-information', reason: 'Call Home message missing information' },
  /** Message processing / inventory mapping failed (customer copy; support gets an S62 alert). */
  N19: { kind: 'message-failed', reason: 'Call Home message failed' },
  /** Reply to a `call-home request`. */
  N27: { kind: 'request-reply', reason: 'Response to your call-home request' },
} as const;
export type ProcessingTrigger = keyof typeof PROCESSING_TRIGGERS;

/** The notification kind of the internal SCH Support alert (S62). */
export const SUPPORT_ALERT_KIND = 'support-alert';

/**
 * Raises trigger `n` for a message's device: to the device's recipients (S57) unless `to` is given.
 * `reason` overrides the trigger's wording (e.g. "Inventory Call Home message failed").
 */
export async function raiseTrigger(ctx: TxContext, n: ProcessingTrigger, m: CallHomeMessage, details: { readonly lines: readonly string[]; readonly to?: readonly string[]; readonly reason?: string }): Promise<NotificationRecord> {
  const t = PROCESSING_TRIGGERS[n];
  const serial = m.serialNumber || null;
  const to = details.to ?? (serial === null ? [] : await recipientsFor(ctx, serial, m));
  return notify(ctx, { kind: t.kind, serial, hostname: m.hostname, reason: details.reason ?? t.reason, to, message: m, extra: details.lines });
}

/**
 * An internal alert to SCH Support (S62) about a message that could not be processed. There is no
 * support mailbox setting yet, so the alert is recorded (and published) with no recipient.
 */
export async function supportAlert(ctx: TxContext, m: CallHomeMessage, messageId: number, what: string, lines: readonly string[]): Promise<NotificationRecord> {
  return notify(ctx, {
    kind: SUPPORT_ALERT_KIND,
    serial: m.serialNumber || null,
    hostname: m.hostname,
    reason: `SCH Support: ${what}`,
    to: [],
    message: m,
    extra: [`Stored message: ${ctx.portalUrl}/api/v1/messages/${messageId}`, ...lines],
  });
}
