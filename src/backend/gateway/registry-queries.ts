/**
 * The service's Transport Gateway registry (S81–S83, S66): one row per registered gateway. Only
 * scrypt hashes of its passwords are kept; the previous one stays valid briefly after a rotation so
 * requests already in flight with it are not refused.
 */
import type { Kysely, Transaction } from 'kysely';
import { companyInScope } from '../store/accounts-queries.js';
import type { Scope } from '../store/types.js';
import type { Database } from '../store/schema.js';

export type GatewaysTable = {
  id: string;
  name: string;
  password_hash: string;
  /** When the current password was issued (ISO); it is rotated 30 days later. */
  password_set_at: string;
  previous_hash: string | null;
  previous_valid_until: string | null;
  registered_at: string;
  registered_by: string;
  last_seen_at: string | null;
  /** The company whose administrators manage it (null: not known; events of it then reach administrators of the service only). */
  company: string | null;
  /** The gateway's last report (GatewayStatus as JSON) and when a gateway.status event last went out for it. */
  status: string | null;
  status_published_at: string | null;
};

export type GatewayRecord = {
  readonly id: string;
  readonly name: string;
  readonly passwordHash: string;
  readonly passwordSetAt: string;
  readonly previousHash: string | null;
  readonly previousValidUntil: string | null;
  readonly registeredAt: string;
  readonly registeredBy: string;
  readonly lastSeenAt: string | null;
  readonly company: string | null;
  /** The last GatewayStatus it reported, as JSON. */
  readonly status: string | null;
  readonly statusPublishedAt: string | null;
};

export type GatewayQueries = {
  insertGateway(g: Omit<GatewayRecord, 'previousHash' | 'previousValidUntil' | 'lastSeenAt' | 'status' | 'statusPublishedAt'>): Promise<void>;
  getGateway(id: string): Promise<GatewayRecord | undefined>;
  listGateways(): Promise<GatewayRecord[]>;
  /**
   * Replaces the password; `previous` (hash and until when it still works) may be null. With `ifHash`,
   * only while the current hash is still that one (two requests rotating at once: one wins).
   */
  setGatewayPassword(id: string, hash: string, setAt: string, previous: { hash: string; validUntil: string } | null, ifHash?: string): Promise<boolean>;
  gatewaySeen(id: string, at: string): Promise<void>;
  deleteGateway(id: string): Promise<boolean>;
  /** Keeps a gateway's report; `publishedAt` when an event went out for it (else the previous time stays). */
  setGatewayStatus(id: string, status: string, publishedAt: string | null): Promise<void>;
};

type Row = GatewaysTable;
const record = (r: Row): GatewayRecord => ({
  id: r.id,
  name: r.name,
  passwordHash: r.password_hash,
  passwordSetAt: r.password_set_at,
  previousHash: r.previous_hash,
  previousValidUntil: r.previous_valid_until,
  registeredAt: r.registered_at,
  registeredBy: r.registered_by,
  lastSeenAt: r.last_seen_at,
  company: r.company,
  status: r.status,
  statusPublishedAt: r.status_published_at,
});

/** The queries; with a `scope` (a caller's companies) every read, update and delete sees only those companies' gateways. */
export function createGatewayQueries(db: Kysely<Database> | Transaction<Database>, scope: Scope = null): GatewayQueries {
  const mine = companyInScope(scope, 'company');
  return {
    async insertGateway(g) {
      await db.insertInto('gateways').values({ id: g.id, name: g.name, password_hash: g.passwordHash, password_set_at: g.passwordSetAt, previous_hash: null, previous_valid_until: null, registered_at: g.registeredAt, registered_by: g.registeredBy, last_seen_at: null, company: g.company, status: null, status_published_at: null }).execute();
    },
    async getGateway(id) {
      const r = await db.selectFrom('gateways').selectAll().where('id', '=', id).$if(mine !== null, (q) => q.where(mine!)).executeTakeFirst();
      return r ? record(r) : undefined;
    },
    async listGateways() {
      return (await db.selectFrom('gateways').selectAll().$if(mine !== null, (q) => q.where(mine!)).orderBy('registered_at').execute()).map(record);
    },
    async setGatewayPassword(id, hash, setAt, previous, ifHash) {
      let q = db.updateTable('gateways').set({ password_hash: hash, password_set_at: setAt, previous_hash: previous?.hash ?? null, previous_valid_until: previous?.validUntil ?? null })
        .where('id', '=', id)
        .$if(mine !== null, (q) => q.where(mine!));
      if (ifHash !== undefined) q = q.where('password_hash', '=', ifHash);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async gatewaySeen(id, at) {
      await db.updateTable('gateways').set({ last_seen_at: at }).where('id', '=', id).$if(mine !== null, (q) => q.where(mine!)).execute();
    },
    async setGatewayStatus(id, status, publishedAt) {
      await db.updateTable('gateways').set(publishedAt ? { status, status_published_at: publishedAt } : { status }).where('id', '=', id).$if(mine !== null, (q) => q.where(mine!)).execute();
    },
    async deleteGateway(id) {
      const r = await db.deleteFrom('gateways').where('id', '=', id).$if(mine !== null, (q) => q.where(mine!)).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
