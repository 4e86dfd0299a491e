/**
 * The notifications message processing raises (spec §5.4), by catalogue number, and the SCH Support
 * alerts of S62 — kept in one table so the notification catalogue can take them over as they are.
 * Each goes through notify() (recipients, limits, S59 fields, relay).
 */
import type { CallHomeMessage } from '../../domain/message.js';
import type { NotificationRecord } from '../store/types.js';
import type { TxContext } from './context.js';
// sr-notify: the catalogue took these over (recipients S57, toggle S58, SCH Support's address S62).
import { send, sentTo, supportAlert as alertSupport } from '../notifications/send.js';

/** Processing's triggers: notification kind and reason line. */
export const PROCESSING_TRIGGERS = {
  /** Full inventory received; device inventory updated (optional). */
  N2: { kind: 'inventory-updated', reason: 'Updated device inventory report available' },
  /** Full configuration received; device configuration updated (optional). */
  N3: { kind: 'configuration-updated', reason: 'Updated device configuration report available' },
  /** Test message received (optional); its message name is the user's text (S59). */
  N6: { kind: 'test', reason: 'Test message received' },
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
export async function raiseTrigger(ctx: TxContext, n: ProcessingTrigger, m: CallHomeMessage, details: { readonly lines: readonly string[]; readonly to?: readonly string[]; readonly reason?: string }): Promise<{ readonly to: readonly string[] }> {
  const t = PROCESSING_TRIGGERS[n];
  // The processor sends its own, more detailed SCH Support alert (supportAlert below): no second copy.
  const sent = await send(ctx, t.kind, { serial: m.serialNumber || null, message: m, reason: details.reason ?? t.reason, extra: details.lines, supportCopy: false, ...(details.to ? { to: details.to } : {}) });
  return { to: sentTo(sent) };
}

/** An internal alert to SCH Support (S62) about a message that could not be processed, to the support address (`--support-email`). */
export async function supportAlert(ctx: TxContext, m: CallHomeMessage, messageId: number, what: string, lines: readonly string[]): Promise<NotificationRecord> {
  return alertSupport(ctx, { kind: SUPPORT_ALERT_KIND, serial: m.serialNumber || null, reason: `SCH Support: ${what}`, message: m, extra: [`Stored message: ${ctx.portalUrl}/api/v1/messages/${messageId}`, ...lines] });
}
