/**
 * Device preferences as the API shows and changes them (S58, S61, S68): the notification toggle, the SR
 * toggle, the SR contact (an administrator of the device's company with Case Management permissions,
 * when a user directory is configured), the registrant, the privacy flag and the extra e-mail list.
 */
import { err, ok, type Result } from '../../util/result.js';
import type { TxContext } from '../processing/context.js';
import { accountsSrContacts } from '../cases/sr-contact.js';
import type { StoreQueries } from '../store/types.js';
import type { DevicePreferences } from '../store/preferences-queries.js';

/** The stored preferences (store/preferences-queries.ts) plus the device's extra e-mail addresses. */
export type PreferencesView = DevicePreferences & { readonly emails: readonly string[] };

export type PreferencesPatch = {
  readonly notifications?: boolean | undefined;
  readonly serviceRequests?: boolean | undefined;
  readonly srContact?: string | null | undefined;
  readonly registrant?: string | null | undefined;
  readonly removeHostname?: boolean | undefined;
  readonly emails?: readonly string[] | undefined;
};

export type PreferencesFailure = { readonly kind: 'not-found' | 'bad-sr-contact'; readonly message: string };

/** The preferences of a known device, or null. */
export async function preferencesView(store: StoreQueries, serial: string): Promise<PreferencesView | null> {
  const device = await store.getDevice(serial);
  if (!device) return null;
  const p = await store.getPreferences(serial);
  return { serial, notifications: p.notifications, serviceRequests: p.serviceRequests, srContact: p.srContact, registrant: p.registrant, removeHostname: p.removeHostname, replyTo: p.replyTo, emails: device.notifyEmails, updatedAt: p.updatedAt };
}

/** Applies a patch; an SR contact must be one the directory accepts (admin with Case Management), else one e-mail address. */
export async function setPreferences(ctx: TxContext, serial: string, patch: PreferencesPatch): Promise<Result<PreferencesView, PreferencesFailure>> {
  const current = await ctx.store.getPreferences(serial);
  if (!(await ctx.store.getDevice(serial))) return err({ kind: 'not-found', message: `Device ${serial} does not exist.` });
  const contact = patch.srContact?.trim();
  if (contact) {
    // The drop-down of S68: only an administrator of the device's company with Case Management permissions.
    const standing = await (ctx.srContacts ?? accountsSrContacts)(contact, serial, ctx.store);
    if (!standing) return err({ kind: 'bad-sr-contact', message: `${contact} is not a known user; the SR contact is an administrator of the device's company (callhome users).` });
    if (!standing.admin || !standing.caseManagement) return err({ kind: 'bad-sr-contact', message: `${contact} cannot be the SR contact: only an administrator of the device's company with Case Management permissions can.` });
  }
  await ctx.store.putPreferences({
    ...current,
    ...(patch.notifications !== undefined ? { notifications: patch.notifications } : {}),
    ...(patch.serviceRequests !== undefined ? { serviceRequests: patch.serviceRequests } : {}),
    ...(patch.srContact !== undefined ? { srContact: contact || null } : {}),
    ...(patch.registrant !== undefined ? { registrant: patch.registrant } : {}),
    ...(patch.removeHostname !== undefined ? { removeHostname: patch.removeHostname } : {}),
    updatedAt: ctx.now().toISOString(),
  });
  if (patch.emails !== undefined) await ctx.store.setDeviceNotifyEmails(serial, patch.emails);
  const view = await preferencesView(ctx.store, serial);
  return view ? ok(view) : err({ kind: 'not-found', message: `Device ${serial} does not exist.` });
}
