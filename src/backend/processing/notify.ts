/** Records notifications (spec §5) and queues them for the relay after commit. */
import type { CallHomeMessage } from '../../domain/message.js';
import type { NotificationSummary } from '../../events/protocol.js';
import type { NotificationRecord } from '../store/types.js';
import type { TxContext } from './context.js';

export type NotificationContent = {
  readonly kind: string;
  readonly serial: string | null;
  readonly reason: string;
  readonly hostname: string;
  readonly to: readonly string[];
  readonly message?: CallHomeMessage | undefined;
  readonly caseNumber?: string | undefined;
  readonly extra?: readonly string[];
};

/** Recipients (S57): the message's contact address, then the device's notification list. */
export function recipientsFor(ctx: TxContext, serial: string, m?: CallHomeMessage): string[] {
  const device = ctx.store.getDevice(serial);
  const all = [m?.contactEmail ?? '', device?.contactEmail ?? '', ...(device?.notifyEmails ?? [])].filter((a) => a.includes('@'));
  return [...new Set(all)];
}

/** Records one notification with the S59 fields; it is published now, or after relay delivery. */
export function notify(ctx: TxContext, c: NotificationContent): NotificationRecord {
  const m = c.message;
  const lines = [
    `Reason: ${c.reason}`,
    `Host name: ${c.hostname || '(not given)'}`,
    `Serial number: ${c.serial ?? '(none)'}`,
    ...(m
      ? [`Time stamp: ${m.eventTime}`, `Message name: ${m.kind === 'test' ? m.description || 'test' : m.eventName || m.kind}`, `Series: ${m.series}`, `Contract ID: ${m.contractId || '(none)'}`]
      : []),
    `Details: ${ctx.portalUrl}/api/v1/devices/${encodeURIComponent(c.serial ?? '')}`,
    ...(c.caseNumber ? [`TAC case: ${ctx.portalUrl}/api/v1/cases/${c.caseNumber}`] : []),
    ...(c.extra ?? []),
  ];
  const record = ctx.store.insertNotification({
    kind: c.kind,
    serial: c.serial,
    to: c.to,
    subject: `[SCH] ${c.reason} – ${c.hostname || 'device'} (${c.serial ?? 'unknown'})`,
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
