/**
 * Queries of the entitlement back-office fixtures (service contracts and the serials they cover, the
 * Installed Base, the per-user token lock-out and the add-contract requests. Also the
 * older one-row-per-serial contract view (`putContract` / `getContract` / `listContracts`), now kept
 * over the same tables.
 */
import type { Kysely, Transaction } from 'kysely';
import { sql, type Expression, type SqlBool } from 'kysely';
import { ContractTypeSchema, type InstalledBaseEntry, type ServiceContract } from '../entitlement/model.js';
import { companyInScope } from './accounts-queries.js';
import type { Database } from './schema.js';
import type { Contract, Scope } from './types.js';

export type EntContractsTable = { number: string; type: string; company: string; expires_at: string | null; remote_support: number; families: string };
export type EntCoverageTable = { contract_number: string; serial: string };
export type EntInstalledBaseTable = { serial: string; family: string; pid: string; company: string; warranty_expires_at: string | null; warranty_company: string };
export type EntLockoutsTable = { user_id: string; failed: number; locked_at: string | null };
export type EntContractRequestsTable = { cco_id: string; contract_number: string; serial: string; requested_at: string };

export type Lockout = { readonly user: string; readonly failed: number; readonly lockedAt: string | null };
export type ContractRequest = { readonly ccoId: string; readonly contractNumber: string; readonly serial: string; readonly requestedAt: string };

export type EntitlementQueries = {
  /** Adds or replaces a contract, and the list of serials it covers. */
  putServiceContract(c: ServiceContract): Promise<void>;
  getServiceContract(number: string): Promise<ServiceContract | null>;
  listServiceContracts(): Promise<ServiceContract[]>;
  /** Contracts that list the serial (active or not). */
  coveringContracts(serial: string): Promise<ServiceContract[]>;
  /** Families of the installed-base serials each of these contracts covers, by contract number. */
  familiesCoveredBy(numbers: readonly string[]): Promise<Map<string, string[]>>;
  putInstalledBase(e: InstalledBaseEntry): Promise<void>;
  getInstalledBase(serial: string): Promise<InstalledBaseEntry | null>;
  listInstalledBase(): Promise<InstalledBaseEntry[]>;
  getLockout(user: string): Promise<Lockout | null>;
  putLockout(l: Lockout): Promise<void>;
  listLockouts(): Promise<Lockout[]>;
  clearLockout(user: string): Promise<boolean>;
  addContractRequest(r: ContractRequest): Promise<void>;
  listContractRequests(): Promise<ContractRequest[]>;
  /** True when this call deleted it (so, with several replicas, exactly one of them acts on it). */
  deleteContractRequest(r: Pick<ContractRequest, 'ccoId' | 'contractNumber' | 'serial'>): Promise<boolean>;
  /** The older per-serial form: the serial joins the installed base and is covered by exactly this contract ('' = none). */
  putContract(c: Contract): Promise<void>;
  /** The per-serial view: its first covering contract (or an uncovered installed-base row). */
  getContract(serial: string): Promise<Contract | null>;
  listContracts(): Promise<Contract[]>;
};

type Db = Kysely<Database> | Transaction<Database>;

const list = (text: string): string[] => {
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? v.map(String) : [];
};

function toServiceContract(r: EntContractsTable, serials: readonly string[]): ServiceContract {
  return { number: r.number, type: ContractTypeSchema.safeParse(r.type).data ?? 'other', company: r.company, expiresAt: r.expires_at, remoteSupport: Number(r.remote_support) === 1, families: list(r.families), serials };
}
const toInstalledBase = (r: EntInstalledBaseTable): InstalledBaseEntry => ({ serial: r.serial, family: r.family, pid: r.pid, company: r.company, warrantyExpiresAt: r.warranty_expires_at, warrantyCompany: r.warranty_company });
const toLockout = (r: EntLockoutsTable): Lockout => ({ user: r.user_id, failed: Number(r.failed), lockedAt: r.locked_at });

/** With a scope (accounts), the lists and the per-serial view show only contracts and installed base of those companies. */
export function createEntitlementQueries(db: Db, scope: Scope = null): EntitlementQueries {
  const inScope = (column: string): Expression<SqlBool> => companyInScope(scope, column) ?? sql<SqlBool>`1 = 1`;
  const serialsOf = async (numbers: readonly string[]): Promise<Map<string, string[]>> => {
    const out = new Map<string, string[]>(numbers.map((n) => [n, []]));
    if (numbers.length === 0) return out;
    for (const r of await db.selectFrom('ent_coverage').selectAll().where('contract_number', 'in', numbers).orderBy('serial').execute()) out.get(r.contract_number)?.push(r.serial);
    return out;
  };
  const withSerials = async (rows: EntContractsTable[]): Promise<ServiceContract[]> => {
    const serials = await serialsOf(rows.map((r) => r.number));
    return rows.map((r) => toServiceContract(r, serials.get(r.number) ?? []));
  };
  const upsertContractRow = async (c: Omit<ServiceContract, 'serials'>): Promise<void> => {
    const values = { number: c.number, type: c.type, company: c.company, expires_at: c.expiresAt, remote_support: c.remoteSupport ? 1 : 0, families: JSON.stringify(c.families) };
    const { number: _key, ...changes } = values;
    await db.insertInto('ent_contracts').values(values).onConflict((oc) => oc.column('number').doUpdateSet(changes)).execute();
  };
  const q: EntitlementQueries = {
    async putServiceContract(c) {
      await upsertContractRow(c);
      await db.deleteFrom('ent_coverage').where('contract_number', '=', c.number).execute();
      const serials = [...new Set(c.serials)];
      for (let i = 0; i < serials.length; i += 500) {
        await db
          .insertInto('ent_coverage')
          .values(serials.slice(i, i + 500).map((serial) => ({ contract_number: c.number, serial })))
          .execute();
      }
    },
    async getServiceContract(number) {
      const r = await db.selectFrom('ent_contracts').selectAll().where('number', '=', number).executeTakeFirst();
      return r ? ((await withSerials([r]))[0] ?? null) : null;
    },
    async listServiceContracts() {
      return withSerials(await db.selectFrom('ent_contracts').selectAll().where(inScope('company')).orderBy('number').execute());
    },
    async coveringContracts(serial) {
      const rows = await db.selectFrom('ent_contracts as c').innerJoin('ent_coverage as v', 'v.contract_number', 'c.number').selectAll('c').where('v.serial', '=', serial).orderBy('c.number').execute();
      return withSerials(rows);
    },
    async familiesCoveredBy(numbers) {
      const out = new Map<string, string[]>(numbers.map((n) => [n, []]));
      if (numbers.length === 0) return out;
      const rows = await db
        .selectFrom('ent_coverage as v')
        .innerJoin('ent_installed_base as b', 'b.serial', 'v.serial')
        .select(['v.contract_number', 'b.family'])
        .distinct()
        .where('v.contract_number', 'in', numbers)
        .where('b.family', '<>', '')
        .execute();
      for (const r of rows) out.get(r.contract_number)?.push(r.family);
      return out;
    },
    async putInstalledBase(e) {
      const values = { serial: e.serial, family: e.family, pid: e.pid, company: e.company, warranty_expires_at: e.warrantyExpiresAt, warranty_company: e.warrantyCompany };
      const { serial: _key, ...changes } = values;
      await db.insertInto('ent_installed_base').values(values).onConflict((oc) => oc.column('serial').doUpdateSet(changes)).execute();
    },
    async getInstalledBase(serial) {
      const r = await db.selectFrom('ent_installed_base').selectAll().where('serial', '=', serial).executeTakeFirst();
      return r ? toInstalledBase(r) : null;
    },
    async listInstalledBase() {
      return (await db.selectFrom('ent_installed_base').selectAll().where(inScope('company')).orderBy('serial').execute()).map(toInstalledBase);
    },
    async getLockout(user) {
      const r = await db.selectFrom('ent_lockouts').selectAll().where('user_id', '=', user).executeTakeFirst();
      return r ? toLockout(r) : null;
    },
    async putLockout(l) {
      const values = { user_id: l.user, failed: l.failed, locked_at: l.lockedAt };
      await db
        .insertInto('ent_lockouts')
        .values(values)
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ failed: l.failed, locked_at: l.lockedAt }))
        .execute();
    },
    async listLockouts() {
      return (await db.selectFrom('ent_lockouts').selectAll().orderBy('user_id').execute()).map(toLockout);
    },
    async clearLockout(user) {
      const r = await db.deleteFrom('ent_lockouts').where('user_id', '=', user).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async addContractRequest(r) {
      await db
        .insertInto('ent_contract_requests')
        .values({ cco_id: r.ccoId, contract_number: r.contractNumber, serial: r.serial, requested_at: r.requestedAt })
        .onConflict((oc) => oc.columns(['cco_id', 'contract_number', 'serial']).doNothing())
        .execute();
    },
    async listContractRequests() {
      return (await db.selectFrom('ent_contract_requests').selectAll().orderBy('requested_at').execute()).map((r) => ({ ccoId: r.cco_id, contractNumber: r.contract_number, serial: r.serial, requestedAt: r.requested_at }));
    },
    async deleteContractRequest(r) {
      const d = await db.deleteFrom('ent_contract_requests').where('cco_id', '=', r.ccoId).where('contract_number', '=', r.contractNumber).where('serial', '=', r.serial).executeTakeFirst();
      return Number(d.numDeletedRows) > 0;
    },
    async putContract(c) {
      const ib = await q.getInstalledBase(c.serial);
      await q.putInstalledBase({ serial: c.serial, family: ib?.family ?? '', pid: ib?.pid ?? '', company: c.company || (ib?.company ?? ''), warrantyExpiresAt: ib?.warrantyExpiresAt ?? null, warrantyCompany: ib?.warrantyCompany || c.company });
      await db.deleteFrom('ent_coverage').where('serial', '=', c.serial).execute();
      if (c.contractNumber === '') return;
      await upsertContractRow({ number: c.contractNumber, type: ContractTypeSchema.safeParse(c.contractType).data ?? 'direct', company: c.company, expiresAt: c.expiresAt, remoteSupport: true, families: [] });
      await db.insertInto('ent_coverage').values({ contract_number: c.contractNumber, serial: c.serial }).onConflict((oc) => oc.doNothing()).execute();
    },
    async getContract(serial) {
      return (await perSerial(db, serial, inScope))[0] ?? null;
    },
    async listContracts() {
      return perSerial(db, null, inScope);
    },
  };
  return q;
}

/** One row per installed-base or covered serial: its first covering contract, or none. */
async function perSerial(db: Db, serial: string | null, inScope: (column: string) => Expression<SqlBool>): Promise<Contract[]> {
  let covered = db.selectFrom('ent_coverage as v').innerJoin('ent_contracts as c', 'c.number', 'v.contract_number').select(['v.serial', 'c.number', 'c.type', 'c.company', 'c.expires_at']).where(inScope('c.company'));
  let base = db.selectFrom('ent_installed_base').select(['serial', 'company']).where(inScope('company'));
  if (serial !== null) {
    covered = covered.where('v.serial', '=', serial);
    base = base.where('serial', '=', serial);
  }
  const rows = new Map<string, Contract>();
  for (const r of await covered.orderBy('v.serial').orderBy('c.number').execute()) {
    if (!rows.has(r.serial)) rows.set(r.serial, { serial: r.serial, contractNumber: r.number, contractType: r.type, company: r.company, expiresAt: r.expires_at });
  }
  for (const r of await base.execute()) {
    if (!rows.has(r.serial)) rows.set(r.serial, { serial: r.serial, contractNumber: '', contractType: '', company: r.company, expiresAt: null });
  }
  return [...rows.values()].sort((a, b) => a.serial.localeCompare(b.serial));
}
