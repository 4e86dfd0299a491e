/**
 * Records notifications (spec §5) and queues them for the relay after commit: the standard fields
 * (S59), the subject with the host name unless the device's privacy flag removes it (S61), and the
 * mail limits on addresses taken from device messages. Which kind goes to whom, and whether it goes
 * at all, is the catalogue's business (../notifications/).
 */
import { z } from 'zod';
import type { CallHomeMessage } from '../../domain/message.js';
import type { NotificationSummary, RegistrationState } from '../../events/protocol.js';
import { kindEntry } from '../notifications/catalogue.js';
import type { NotificationRecord } from '../store/types.js';
import type { TxContext } from './context.js';
import { admitMail } from './mail-limits.js';

export type NotificationContent = {
  readonly kind: string;
  readonly serial: string | null;
  readonly reason: string;
  readonly hostname: string;
  /** Recipients as {@link recipientsFor} gives them: each exactly one address. */
  readonly to: readonly string[];
  /** Addresses an operator or the user directory set (not from device messages): never rate-limited. */
  readonly trusted?: readonly string[];
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

/** Registration states whose device record was bound by a confirmation (issue 11). */
const CONFIRMED: ReadonlySet<RegistrationState> = new Set(['registered', 'trial', 'expired']);

/**
 * Recipients (S57): the device's reply-to address, else its contact, then the preference e-mail list
 * and the person who confirmed the registration. Reply-to and contact come from device messages, so only
 * a value that is exactly one address is used (a list or a line break in it must not add recipients or
 * headers). The message's own addresses count only while the device is not confirmed: a message naming
 * a confirmed device cannot redirect its notifications (issue 11).
 */
export async function recipientsFor(ctx: TxContext, serial: string, m?: CallHomeMessage): Promise<string[]> {
  const { contact, list } = await deviceAddresses(ctx, serial, m);
  return [...new Set([...contact, ...list])];
}

/** The two halves of S57: the reply-to-or-contact address (from messages) and the operator-set list. */
export async function deviceAddresses(ctx: TxContext, serial: string, m?: CallHomeMessage): Promise<{ contact: string[]; list: string[] }> {
  const device = await ctx.store.getDevice(serial);
  const prefs = await ctx.store.getPreferences(serial);
  const confirmed = device !== null && CONFIRMED.has(device.registration);
  const fromMessage = confirmed ? [] : [m?.replyTo ?? '', m?.contactEmail ?? ''];
  const candidates = [...fromMessage, prefs.replyTo ?? '', device?.contactEmail ?? ''].map((a) => a.trim()).filter(isSingleAddress);
  const contact = candidates.slice(0, 1);
  const list = [...(device?.notifyEmails ?? []), prefs.registrant ?? ''].map((a) => a.trim()).filter(isSingleAddress);
  return { contact, list: [...new Set(list)] };
}

/** A host name as IOS allows it (letters, digits, hyphens, dots): the only device text a subject may carry. */
const SAFE_HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * The subject line (S61): `[SCH] <our words for the kind>[ <case number>][ – <host name>]`. The host
 * name is added only for a confirmed device (its record, never a message's claim), only when it is a
 * plain host name, and never when the device's privacy flag removes it.
 */
export function subjectFor(kind: string, caseNumber?: string, hostname?: string): string {
  const text = kindEntry(kind).subject;
  const sr = caseNumber && /^\d{1,12}$/.test(caseNumber) ? ` ${caseNumber}` : '';
  const host = hostname && SAFE_HOSTNAME.test(hostname) ? ` - ${hostname}` : '';
  return `[SCH] ${text}${sr}${host}`;
}

/** Records one notification with the S59 fields; it is published now, or after relay delivery. */
export async function notify(ctx: TxContext, c: NotificationContent): Promise<NotificationRecord> {
  const device = c.serial === null ? null : await ctx.store.getDevice(c.serial);
  const prefs = c.serial === null ? null : await ctx.store.getPreferences(c.serial);
  // Addresses from device messages are mailed within limits; the operator's own (and the directory's) always are.
  const trusted = new Set([...(device?.notifyEmails ?? []), ...(prefs?.registrant ? [prefs.registrant] : []), ...(prefs?.srContact ? [prefs.srContact] : []), ...(c.trusted ?? [])].map((a) => a.toLowerCase()));
  const untrusted = c.to.filter((a) => !trusted.has(a.toLowerCase()));
  const admitted = ctx.mailLimits ? await admitMail(ctx.store, ctx.mailLimits, ctx.now().getTime(), { kind: c.kind, serial: c.serial, source: ctx.source ?? null, untrusted }) : { send: untrusted, heldBack: [] };
  const to = c.to.filter((a) => trusted.has(a.toLowerCase()) || admitted.send.includes(a));
  const m = c.message;
  // Host name and serial come from the device: one line each, in the body and above all in the subject.
  const hostname = oneLine(c.hostname || device?.hostname || '');
  const serial = c.serial === null ? null : oneLine(c.serial);
  const confirmed = device !== null && CONFIRMED.has(device.registration);
  // The contract ID the device reports, else the one its registration is under.
  const contract = m?.contractId || device?.contractNumber || device?.contractId || '';
  const messageName = m ? (m.kind === 'test' ? m.description || 'test' : m.eventName || m.kind) : '';
  // S59: reason, host name, time stamp, message name, series, contract ID, portal link, TAC case link.
  const lines = [
    `Reason: ${oneLine(c.reason)}`,
    `Host name: ${hostname || '(not given)'}`,
    `Serial number: ${serial ?? '(none)'}`,
    `Time stamp: ${oneLine(m?.eventTime ?? '') || ctx.now().toISOString()}`,
    `Message name: ${oneLine(messageName) || '(no message)'}`,
    `Series: ${oneLine(m?.series || device?.series || '') || '(not known)'}`,
    `Contract ID: ${oneLine(contract) || '(none)'}`,
    `Details: ${ctx.portalUrl}/api/v1/devices/${encodeURIComponent(c.serial ?? '')}`,
    ...(c.caseNumber ? [`TAC case: ${ctx.portalUrl}/api/v1/cases/${c.caseNumber}`] : []),
    ...(c.extra ?? []),
    ...admitted.heldBack.map((h) => `Not e-mailed to ${h.address}: rate limit (${h.why}) on mail to addresses taken from device messages.`),
  ];
  const record = await ctx.store.insertNotification({
    kind: c.kind,
    serial: c.serial,
    to,
    subject: subjectFor(c.kind, c.caseNumber, confirmed && !prefs?.removeHostname ? device.hostname : undefined),
    body: `${lines.join('\n')}\n`,
    sentAt: ctx.now().toISOString(),
  });
  if (ctx.relay && record.to.length > 0 && kindEntry(c.kind).mailed) ctx.fx.deliveries.push(record);
  else ctx.emit({ type: 'notification.sent', notification: summary(record) });
  return record;
}

/** The event form of a notification record. */
export function summary(n: NotificationRecord): NotificationSummary {
  return { id: n.id, kind: n.kind, serial: n.serial, to: [...n.to], subject: n.subject, sentAt: n.sentAt, delivered: n.delivered };
}
