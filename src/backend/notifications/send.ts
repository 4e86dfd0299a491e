/**
 * Sends one catalogued notification: the device's notification toggle for optional kinds (S58), the
 * recipients of the kind's audience (S57), the standard fields (S59, in processing/notify.ts) and a copy
 * to SCH Support where the catalogue says so (S62).
 */
import type { CallHomeMessage } from '../../domain/message.js';
import type { TxContext } from '../processing/context.js';
import { deviceAddresses, isSingleAddress, notify } from '../processing/notify.js';
import type { NotificationRecord } from '../store/types.js';
import { NOTIFICATION_KINDS, type NotificationKind } from './catalogue.js';

/** SCH Support's address when the operator gives none (`callhome serve --support-email`). */
export const DEFAULT_SUPPORT_EMAIL = 'sch-support@callhome.local';

export type SendInput = {
  readonly serial: string | null;
  readonly reason: string;
  readonly message?: CallHomeMessage | undefined;
  readonly hostname?: string;
  readonly caseNumber?: string | undefined;
  readonly extra?: readonly string[];
  /** Audience `given`: the addresses; other audiences: added to theirs (the user directory's or an operator's, so not rate-limited). */
  readonly to?: readonly string[];
  /** The SR contact's address for `device+sr` and `sr-contact` (the directory's, else the preference). */
  readonly srContact?: string | null;
  /** False when the caller sends its own SCH Support alert (the catalogue's copy would double it). */
  readonly supportCopy?: boolean;
};

/** What happened: the record, or why nothing was recorded. */
export type Sent = { readonly record: NotificationRecord; readonly support: NotificationRecord | null } | { readonly record: null; readonly skipped: 'notifications-off' };

async function recipients(ctx: TxContext, kind: NotificationKind, input: SendInput): Promise<{ to: string[]; trusted: string[] }> {
  const entry = NOTIFICATION_KINDS[kind];
  const given = (input.to ?? []).filter(isSingleAddress);
  // A request reply may go to the contact a message named: within the mail limits like any such address.
  if (kind === 'request-reply') return { to: given, trusted: [] };
  if (entry.audience === 'given') return { to: given, trusted: given };
  if (entry.audience === 'none' || input.serial === null) return { to: given, trusted: given };
  const { contact, list } = await deviceAddresses(ctx, input.serial, input.message);
  const srContact = input.srContact ?? (await ctx.store.getPreferences(input.serial)).srContact;
  const sr = srContact && isSingleAddress(srContact) ? [srContact] : [];
  const chosen = entry.audience === 'contact' ? contact : entry.audience === 'device' ? [...contact, ...list] : entry.audience === 'device+sr' ? [...contact, ...list, ...sr] : [...sr, ...contact, ...list];
  // `to` adds people the caller knows from the directory (N9: the user whose confirmation was refused).
  return { to: [...new Set([...chosen, ...given])], trusted: [...list, ...sr, ...given] };
}

/** Records (and queues for mail) one notification of `kind`; optional kinds are skipped when the device turned notifications off. */
export async function send(ctx: TxContext, kind: NotificationKind, input: SendInput): Promise<Sent> {
  const entry = NOTIFICATION_KINDS[kind];
  if (entry.class === 'optional' && input.serial !== null && !(await ctx.store.getPreferences(input.serial)).notifications) {
    // S58: the customer's mail is off; SCH Support still hears about failures.
    if (entry.support && input.supportCopy !== false) await supportCopy(ctx, kind, input);
    return { record: null, skipped: 'notifications-off' };
  }
  const { to, trusted } = await recipients(ctx, kind, input);
  const record = await notify(ctx, { kind, serial: input.serial, reason: input.reason, hostname: input.hostname ?? input.message?.hostname ?? '', to, trusted, message: input.message, caseNumber: input.caseNumber, extra: input.extra ?? [] });
  const support = entry.support && input.supportCopy !== false ? await supportCopy(ctx, kind, input) : null;
  return { record, support };
}

/** The addresses a sent notification reached ([] when it was skipped). */
export function sentTo(s: Sent): readonly string[] {
  return s.record?.to ?? [];
}

async function supportCopy(ctx: TxContext, kind: NotificationKind, input: SendInput): Promise<NotificationRecord> {
  return supportAlert(ctx, { serial: input.serial, reason: `${NOTIFICATION_KINDS[kind].trigger} ${kind}: ${input.reason}`, message: input.message, extra: input.extra ?? [] });
}

/**
 * An internal SCH Support alert (S62): processing failures (missing data, parse or mapping errors) and
 * portal support requests. Goes to the operator's support address only, never rate-limited.
 */
export async function supportAlert(ctx: TxContext, a: { readonly serial: string | null; readonly reason: string; readonly message?: CallHomeMessage | undefined; readonly extra?: readonly string[]; readonly kind?: 'support-alert' | 'support-request' }): Promise<NotificationRecord> {
  const address = ctx.supportEmail ?? DEFAULT_SUPPORT_EMAIL;
  return notify(ctx, { kind: a.kind ?? 'support-alert', serial: a.serial, reason: a.reason, hostname: a.message?.hostname ?? '', to: [address], trusted: [address], message: a.message, extra: a.extra ?? [] });
}
