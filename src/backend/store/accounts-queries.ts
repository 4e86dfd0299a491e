/**
 * accounts (issue 15): the queries of companies, users, roles, personal tokens, the audit log and the
 * company of each device, plus the SQL predicate that confines the other queries to a caller's companies.
 */
import { sql, type Expression, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { AuditAction, AuditEntry, Company, Membership, Role, TokenRecord, UserRecord } from '../accounts/model.js';
import type { Database } from './schema.js';
import type { AccountsQueries, Scope } from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

const FALSE = sql<SqlBool>`1 = 0`;

/**
 * Rows whose `serialColumn` names a device of a company in `scope` (the device_companies view: the
 * company it was confirmed for, else its contract's). Null when the scope is everything.
 */
export function serialInScope(scope: Scope, serialColumn: string, notIndexed = false): Expression<SqlBool> | null {
  if (scope === null) return null;
  if (scope.length === 0) return FALSE;
  // store: SQLite's unary + keeps its planner off the serial index (queries.ts serialsPlan says when).
  const column = notIndexed ? sql`+${sql.ref(serialColumn)}` : sql.ref(serialColumn);
  return sql<SqlBool>`${column} IN (SELECT dc.serial FROM device_companies dc WHERE dc.company IN (${sql.join(scope)}))`;
}

/** Rows whose `companyColumn` is a company in `scope`; null when the scope is everything. */
export function companyInScope(scope: Scope, companyColumn: string): Expression<SqlBool> | null {
  if (scope === null) return null;
  if (scope.length === 0) return FALSE;
  return sql<SqlBool>`${sql.ref(companyColumn)} IN (${sql.join(scope)})`;
}

const toUser = (r: Selectable<Database['users']>): UserRecord => ({
  id: r.id,
  name: r.name,
  email: r.email,
  passwordHash: r.password_hash,
  schAdmin: Number(r.sch_admin) === 1,
  caseManagement: Number(r.case_management) === 1,
  profileCompany: r.profile_company,
  profileContracts: JSON.parse(r.profile_contracts) as string[],
  agreementVersion: r.agreement_version,
  agreementAcceptedAt: r.agreement_accepted_at,
  createdAt: r.created_at,
});

const toMembership = (r: Database['memberships']): Membership => ({ userId: r.user_id, companyId: r.company_id, role: r.role as Role, addedBy: r.added_by, addedAt: r.added_at });

const toToken = (r: Database['api_tokens']): TokenRecord => ({
  id: r.id,
  userId: r.user_id,
  hash: r.hash,
  label: r.label,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
  createdFrom: r.created_from,
});

const toAudit = (r: Selectable<Database['audit']>): AuditEntry => ({
  id: Number(r.id),
  at: r.at,
  actor: r.actor,
  action: r.action as AuditAction,
  target: r.target,
  company: r.company,
  remote: r.remote,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

export function createAccountsQueries(db: Db): AccountsQueries {
  return {
    async putCompany(c) {
      await db.insertInto('companies').values({ id: c.id, name: c.name, created_at: c.createdAt }).onConflict((oc) => oc.column('id').doUpdateSet({ name: c.name })).execute();
    },
    async getCompany(id) {
      const r = await db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? { id: r.id, name: r.name, createdAt: r.created_at } : null;
    },
    async listCompanies(scope) {
      const where = companyInScope(scope, 'id');
      const rows = await db
        .selectFrom('companies')
        .selectAll()
        .$if(where !== null, (q) => q.where(where ?? FALSE))
        .orderBy('id')
        .execute();
      return rows.map((r): Company => ({ id: r.id, name: r.name, createdAt: r.created_at }));
    },
    async putUser(u) {
      const values = {
        id: u.id,
        name: u.name,
        email: u.email,
        password_hash: u.passwordHash,
        sch_admin: u.schAdmin ? 1 : 0,
        case_management: u.caseManagement ? 1 : 0,
        profile_company: u.profileCompany,
        profile_contracts: JSON.stringify(u.profileContracts),
        agreement_version: u.agreementVersion,
        agreement_accepted_at: u.agreementAcceptedAt,
        created_at: u.createdAt,
      };
      const { id: _id, created_at: _created, ...changes } = values;
      await db.insertInto('users').values(values).onConflict((oc) => oc.column('id').doUpdateSet(changes)).execute();
    },
    async getUser(id) {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toUser(r) : null;
    },
    async listUsers(scope) {
      const where = companyInScope(scope, 'm.company_id');
      const q =
        where === null
          ? db.selectFrom('users').selectAll()
          : db.selectFrom('users').selectAll().where('id', 'in', db.selectFrom('memberships as m').select('m.user_id').where(where));
      return (await q.orderBy('id').execute()).map(toUser);
    },
    async acceptAgreement(userId, version, at) {
      await db.updateTable('users').set({ agreement_version: version, agreement_accepted_at: at }).where('id', '=', userId).execute();
    },
    async setMembership(m) {
      await db
        .insertInto('memberships')
        .values({ user_id: m.userId, company_id: m.companyId, role: m.role, added_by: m.addedBy, added_at: m.addedAt })
        .onConflict((oc) => oc.columns(['user_id', 'company_id']).doUpdateSet({ role: m.role }))
        .execute();
    },
    async deleteMembership(userId, companyId) {
      const r = await db.deleteFrom('memberships').where('user_id', '=', userId).where('company_id', '=', companyId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async membershipsOf(userId) {
      return (await db.selectFrom('memberships').selectAll().where('user_id', '=', userId).orderBy('company_id').execute()).map(toMembership);
    },
    async listMemberships(scope) {
      const where = companyInScope(scope, 'company_id');
      const rows = await db
        .selectFrom('memberships')
        .selectAll()
        .$if(where !== null, (q) => q.where(where ?? FALSE))
        .orderBy('company_id')
        .orderBy('user_id')
        .execute();
      return rows.map(toMembership);
    },
    async insertToken(t) {
      await db
        .insertInto('api_tokens')
        .values({ id: t.id, user_id: t.userId, hash: t.hash, label: t.label, created_at: t.createdAt, expires_at: t.expiresAt, last_used_at: t.lastUsedAt, revoked_at: t.revokedAt, created_from: t.createdFrom })
        .execute();
    },
    async tokenByHash(hash) {
      const r = await db.selectFrom('api_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
      return r ? toToken(r) : null;
    },
    async getToken(id) {
      const r = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toToken(r) : null;
    },
    async listTokens(userId) {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .$if(userId !== null, (q) => q.where('user_id', '=', userId ?? ''))
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(toToken);
    },
    async revokeToken(id, at) {
      const r = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async revokeTokensOf(userId, at) {
      const rows = await db.updateTable('api_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).returning('id').execute();
      return rows.map((r) => r.id);
    },
    async touchToken(id, at) {
      await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    async appendAudit(e) {
      const r = await db
        .insertInto('audit')
        .values({ at: e.at, actor: e.actor, action: e.action, target: e.target, company: e.company, remote: e.remote, detail: JSON.stringify(e.detail) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAudit(r);
    },
    async listAudit(scope, limit, before) {
      const where = companyInScope(scope, 'company');
      const rows = await db
        .selectFrom('audit')
        .selectAll()
        .$if(where !== null, (q) => q.where(where ?? FALSE))
        .$if(before !== undefined, (q) => q.where('id', '<', before ?? 0))
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toAudit);
    },
    async setDeviceCompany(serial, company) {
      await db.updateTable('devices').set({ company }).where('serial', '=', serial).execute();
    },
    async companiesOfSerials(serials) {
      const unique = [...new Set(serials)].filter((x) => x !== '');
      const found = new Map<string, string>();
      // (An empty IN list is an error on PostgreSQL, hence the loop bound.)
      for (let i = 0; i < unique.length; i += 500) {
        const rows = await db
          .selectFrom('device_companies')
          .select(['serial', 'company'])
          .where('serial', 'in', unique.slice(i, i + 500))
          .execute();
        for (const r of rows) if (r.company !== null) found.set(r.serial, r.company);
      }
      return found;
    },
    async companyHasContract(companyId, contractNumbers) {
      if (contractNumbers.length === 0) return false;
      // entitlement: contracts live in ent_contracts (one row per contract) since the back-office fixtures.
      const r = await db.selectFrom('ent_contracts').select('number').where('company', '=', companyId).where('number', 'in', [...contractNumbers]).limit(1).executeTakeFirst();
      return r !== undefined;
    },
  };
}
