/**
 * Device preferences (S58, S61, S68, §3.6): the notification toggle, the service-request toggle, the
 * SR contact, the person who confirmed the registration, the privacy flag for subjects and the
 * reply-to address recorded while the device was pending. The extra e-mail list stays in
 * `devices.notify_emails`. A device without a row has the defaults (both toggles on, no SR contact).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export type DevicePreferencesTable = {
  serial: string;
  notifications: number;
  service_requests: number;
  sr_contact: string | null;
  registrant: string | null;
  remove_hostname: number;
  reply_to: string | null;
  updated_at: string;
};

export type DevicePreferences = {
  readonly serial: string;
  /** Optional notifications (S58); SR and registration mails go regardless. */
  readonly notifications: boolean;
  /** Create/update SRs automatically (§3.6 condition 2). */
  readonly serviceRequests: boolean;
  /** The SR contact person (a CCO ID / e-mail address), or null. */
  readonly srContact: string | null;
  /** Who confirmed the registration: always among the recipients (S57). */
  readonly registrant: string | null;
  /** Privacy: keep the host name out of notification subjects (S61). */
  readonly removeHostname: boolean;
  /** The device's reply-to address, taken from the message that started its registration. */
  readonly replyTo: string | null;
  readonly updatedAt: string | null;
};

export const DEFAULT_PREFERENCES: Omit<DevicePreferences, 'serial'> = { notifications: true, serviceRequests: true, srContact: null, registrant: null, removeHostname: false, replyTo: null, updatedAt: null };

export type PreferencesQueries = {
  /** The device's preferences, or the defaults when none were set. */
  getPreferences(serial: string): Promise<DevicePreferences>;
  /** Writes the preferences (the whole record). */
  putPreferences(p: DevicePreferences & { readonly updatedAt: string }): Promise<void>;
  /** Serials of `companyId` whose SR contact is one of `contacts` (a user's ID and e-mail): the preference's, else the registrant (S30). */
  srContactSerials(contacts: readonly string[], companyId: string): Promise<string[]>;
};

const record = (r: DevicePreferencesTable): DevicePreferences => ({
  serial: r.serial,
  notifications: Number(r.notifications) !== 0,
  serviceRequests: Number(r.service_requests) !== 0,
  srContact: r.sr_contact,
  registrant: r.registrant,
  removeHostname: Number(r.remove_hostname) !== 0,
  replyTo: r.reply_to,
  updatedAt: r.updated_at,
});

export function createPreferencesQueries(db: Kysely<Database> | Transaction<Database>): PreferencesQueries {
  return {
    async getPreferences(serial) {
      const r = await db.selectFrom('device_preferences').selectAll().where('serial', '=', serial).executeTakeFirst();
      return r ? record(r) : { serial, ...DEFAULT_PREFERENCES };
    },
    async putPreferences(p) {
      const row = { notifications: p.notifications ? 1 : 0, service_requests: p.serviceRequests ? 1 : 0, sr_contact: p.srContact, registrant: p.registrant, remove_hostname: p.removeHostname ? 1 : 0, reply_to: p.replyTo, updated_at: p.updatedAt };
      await db
        .insertInto('device_preferences')
        .values({ serial: p.serial, ...row })
        .onConflict((oc) => oc.column('serial').doUpdateSet(row))
        .execute();
    },
    async srContactSerials(contacts, companyId) {
      if (contacts.length === 0) return [];
      const rows = await db
        .selectFrom('device_preferences as p')
        .innerJoin('device_companies as c', 'c.serial', 'p.serial')
        .select('p.serial')
        .where('c.company', '=', companyId)
        .where((eb) => eb.or([eb('p.sr_contact', 'in', [...contacts]), eb.and([eb('p.sr_contact', 'is', null), eb('p.registrant', 'in', [...contacts])])]))
        .orderBy('p.serial')
        .execute();
      return rows.map((r) => r.serial);
    },
  };
}
