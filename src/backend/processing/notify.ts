/** Records notifications (spec §5) and queues them for the relay after commit. */
import { z } from 'zod';
import type { CallHomeMessage } from '../../domain/message.js';
import type { NotificationSummary } from '../../events/protocol.js';
import type { NotificationRecord } from '../store/types.js';
import type { TxContext } from './context.js';

export type NotificationContent = {
  readonly kind: string;
  readonly serial: string | null;
  readonly reason: string;
  readonly hostname: string;
  /** Recipients as {@link recipientsFor} gives them: each exactly one address. */
  readonly to: readonly string[];
  readonly message?: CallHomeMessage | undefined;
  readonly caseNumber?: string | undefined;
  readonly extra?: readonly string[];
};

/** One plain address (no display name, list, comment or line break): what a device may name as its contact. */
const SingleAddress = z.email();

/** True when `a` is exactly one e-mail address; anything else from a device is not mailed to. */
export function isSingleAddress(a: string): boolean {
  return SingleAddress.safeParse(a).success;
}

/** A header-safe line: control characters (CR, LF, tab…) and Unicode line separators become spaces. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').trim();
}

/**
 * Recipients (S57): the device's contact address, then its notification list. The contact comes from
 * device messages, so only a value that is exactly one address is used (a list or a line break in it
 * must not add recipients or headers). The message's own contact counts only when the device has no
 * record yet: a message naming a confirmed device cannot redirect its notifications (issue 11).
 */
export async function recipientsFor(ctx: TxContext, serial: string, m?: CallHomeMessage): Promise<string[]> {
  const device = await ctx.store.getDevice(serial);
  const all = [device ? '' : (m?.contactEmail ?? ''), device?.contactEmail ?? '', ...(device?.notifyEmails ?? [])].map((a) => a.trim()).filter(isSingleAddress);
  return [...new Set(all)];
}

/** The subject line: our words for the kind of notification, never device text (a host name or event name is the sender's choice). */
export function subjectFor(kind: string, caseNumber?: string): string {
  const known: Record<string, string> = {
    'pending-registration': 'Pending Registration',
    'registration-complete': 'Registration complete',
    'trial-registered': 'Registered for a trial',
    'trial-reminder': 'Trial registration reminder',
    'entitlement-expired': 'Device no longer entitled',
    test: 'Test message received',
    'case-created': 'Service request opened',
    'case-updated': 'Service request updated',
    // processing (processing-notices.ts): N2, N3, N7, N8, N19, N27 and the S62 support alert.
    'inventory-updated': 'Updated inventory report available',
    'configuration-updated': 'Updated configuration report available',
    'unsupported-message': 'Unsupported Call Home message received',
    'missing-information': 'Call Home message missing information',
    'message-failed': 'Call Home message failed',
    'request-reply': 'Response to your call-home request',
    'support-alert': 'SCH Support alert',
  };
  const text = known[kind] ?? (/^[a-z-]{1,20}$/.test(kind) ? `${kind} alert` : 'Notification');
  return `[SCH] ${text}${caseNumber && /^\d{1,12}$/.test(caseNumber) ? ` ${caseNumber}` : ''}`;
}

/** Records one notification with the S59 fields; it is published now, or after relay delivery. */
export async function notify(ctx: TxContext, c: NotificationContent): Promise<NotificationRecord> {
  // Addresses from device messages are mailed within limits; the operator's own list always is.
  const trusted = new Set(c.serial === null ? [] : ((await ctx.store.getDevice(c.serial))?.notifyEmails ?? []).map((a) => a.toLowerCase()));
  const untrusted = c.to.filter((a) => !trusted.has(a.toLowerCase()));
  const admitted = ctx.mailLimiter?.admit({ kind: c.kind, serial: c.serial, source: ctx.source ?? null, untrusted }) ?? { send: untrusted, heldBack: [] };
  const to = c.to.filter((a) => trusted.has(a.toLowerCase()) || admitted.send.includes(a));
  const m = c.message;
  // Host name and serial come from the device: one line each, in the body and above all in the subject.
  const hostname = oneLine(c.hostname);
  const serial = c.serial === null ? null : oneLine(c.serial);
  const lines = [
    `Reason: ${oneLine(c.reason)}`,
    `Host name: ${hostname || '(not given)'}`,
    `Serial number: ${serial ?? '(none)'}`,
    ...(m
      ? [`Time stamp: ${m.eventTime}`, `Message name: ${m.kind === 'test' ? m.description || 'test' : m.eventName || m.kind}`, `Series: ${m.series}`, `Contract ID: ${m.contractId || '(none)'}`]
      : []),
    `Details: ${ctx.portalUrl}/api/v1/devices/${encodeURIComponent(c.serial ?? '')}`,
    ...(c.caseNumber ? [`TAC case: ${ctx.portalUrl}/api/v1/cases/${c.caseNumber}`] : []),
    ...(c.extra ?? []),
    ...admitted.heldBack.map((h) => `Not e-mailed to ${h.address}: rate limit (${h.why}) on mail to addresses taken from device messages.`),
  ];
  const record = await ctx.store.insertNotification({
    kind: c.kind,
    serial: c.serial,
    to,
    subject: subjectFor(c.kind, c.caseNumber),
    body: `${lines.join('\n')}\n`,
    sentAt: ctx.now().toISOString(),
  });
  if (ctx.relay && record.to.length > 0) ctx.fx.deliveries.push(record);
  else ctx.emit({ type: 'notification.sent', notification: summary(record) });
  return record;
}

/** The event form of a notification record. */
export function summary(n: NotificationRecord): NotificationSummary {
  return { id: n.id, kind: n.kind, serial: n.serial, to: [...n.to], subject: n.subject, sentAt: n.sentAt, delivered: n.delivered };
}
