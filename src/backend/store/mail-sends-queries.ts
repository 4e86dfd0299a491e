/**
 * The counts behind the limits on mail to addresses from device messages (processing/mail-limits.ts): one row per
 * counted send and key (a recipient, a serial, a source address, a serial's Pending Registration mail), with its
 * time in ms. Kept in the database, so every thread and every replica counts against the same limits, and a
 * transaction that is undone takes its counts with it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type MailSendsTable = { key: string; at: number };

export type MailSendsQueries = {
  /** How many sends under `key` were counted after `since` (ms). */
  mailSendsSince(key: string, since: number): Promise<number>;
  /** Counts one send under each key at `at` (ms). */
  recordMailSends(keys: readonly string[], at: number): Promise<void>;
  /** Forgets the sends counted before `before` (ms); returns how many. */
  purgeMailSends(before: number): Promise<number>;
};

export function createMailSendsQueries(db: Kysely<Database> | Transaction<Database>): MailSendsQueries {
  return {
    async mailSendsSince(key, since) {
      const r = await db.selectFrom('mail_sends').select(sql<number | string>`count(*)`.as('n')).where('key', '=', key).where('at', '>', since).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async recordMailSends(keys, at) {
      if (keys.length > 0) await db.insertInto('mail_sends').values(keys.map((key) => ({ key, at }))).execute();
    },
    async purgeMailSends(before) {
      const r = await db.deleteFrom('mail_sends').where('at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
