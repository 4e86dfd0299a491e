/**
 * The accounts service (issue 15): log-in with a password (scrypt), personal API tokens (stored as SHA-256,
 * listed, revoked, expiring), the bootstrap token of `serve --token` (an SCH administrator), the legal
 * agreement gate (S29), users' roles per company with the spec's refusals (S28, S30), back-office directory
 * imports (S24) and the append-only audit log (S93), each entry also published as an `audit` event.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BackendEvent } from '../../events/protocol.js';
import { err, ok, type Result } from '../../util/result.js';
import { hashPassword, passwordMatches } from '../gateway/registry.js';
import type { Scope, Store, StoreQueries } from '../store/types.js';
import {
  BOOTSTRAP_USER,
  LEGAL_AGREEMENT,
  publicToken,
  publicUser,
  type AuditAction,
  type AuditEntry,
  type Caller,
  type Company,
  type LegalAgreement,
  type Membership,
  type Role,
  type TokenRecord,
  type UserRecord,
} from './model.js';

/** Default life of a personal token: a week (`serve --token-ttl-hours`). */
export const DEFAULT_TOKEN_TTL_MS = 7 * 24 * 3600_000;
/** `last_used_at` is written at most this often per token (not on every request). */
const TOUCH_EVERY_MS = 60_000;

export type AccountsOptions = {
  /** The bootstrap token (`serve --token`): an SCH administrator, kept working for scripts. */
  readonly bootstrapToken?: string | undefined;
  readonly tokenTtlMs?: number | undefined;
  readonly agreement?: LegalAgreement | undefined;
  readonly now?: (() => Date) | undefined;
  /**
   * Serials of the company's devices whose SR contact is this user (S30 refuses deleting such a user).
   * The device preferences (sr-notify) provide it; without them nobody is an SR contact.
   */
  readonly srContactDevices?: ((store: StoreQueries, userId: string, companyId: string) => Promise<string[]>) | undefined;
  /** triggers: the user-lifecycle mails (N16, N17), sent by the service (notifications/triggers.ts). */
  readonly userNotices?: UserNotices | undefined;
};

/** Tells a user about their registration to a company: added (N16) or deleted (N17) by `by`. */
export type UserNotices = {
  added(u: UserRecord, companyId: string, role: Role, agreementPending: boolean, agreementVersion: string, by: string): Promise<void>;
  deleted(u: UserRecord, companyId: string, by: string): Promise<void>;
};

/** A refused account action: the HTTP status and a clear reason. */
export type Refusal = { readonly status: 400 | 403 | 404 | 409; readonly error: string; readonly reason: string };
const refuse = (status: Refusal['status'], error: string, reason: string): Result<never, Refusal> => err({ status, error, reason });

/** Where a request came from, for the audit log. */
export type Origin = { readonly caller: Caller | null; readonly remote: string | null };

export type Accounts = ReturnType<typeof createAccounts>;

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
/** A personal token: recognisable prefix, 32 random bytes. */
const newToken = (): string => `sch_${randomBytes(32).toString('base64url')}`;
/** The hash a wrong user id is checked against, so an unknown id costs as long as a wrong password. */
const DUMMY_HASH = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function createAccounts(store: Store, publish: (events: readonly BackendEvent[]) => void, options: AccountsOptions = {}) {
  const now = options.now ?? (() => new Date());
  const agreement = options.agreement ?? LEGAL_AGREEMENT;
  const ttlMs = options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
  const bootstrapDigest = options.bootstrapToken ? createHash('sha256').update(options.bootstrapToken).digest() : null;

  const bootstrapCaller: Caller = { userId: BOOTSTRAP_USER, name: 'bootstrap token (serve --token)', schAdmin: true, tokenId: null, roles: new Map(), agreementPending: false };

  const callerFor = async (user: UserRecord, tokenId: string | null): Promise<Caller> => {
    const memberships = await store.membershipsOf(user.id);
    return {
      userId: user.id,
      name: user.name,
      schAdmin: user.schAdmin,
      tokenId,
      roles: new Map(memberships.map((m) => [m.companyId, m.role])),
      agreementPending: user.agreementVersion !== agreement.version,
    };
  };

  /** Writes an audit entry and its event in one transaction, then publishes the event. */
  const audit = async (origin: Origin, action: AuditAction, target: string, company: string | null, detail: Record<string, unknown> = {}): Promise<AuditEntry> => {
    const at = now().toISOString();
    const { entry, events } = await store.transaction(async (tx) => {
      const e = await tx.appendAudit({ at, actor: origin.caller?.userId ?? 'anonymous', action, target, company, remote: origin.remote, detail });
      return { entry: e, events: await tx.appendEvents([{ input: { type: 'audit', entry: e }, at }]) };
    });
    publish(events);
    return entry;
  };

  const issueToken = async (user: UserRecord, label: string, remote: string | null): Promise<{ token: string; record: TokenRecord }> => {
    const token = newToken();
    const at = now();
    const record: TokenRecord = { id: randomBytes(6).toString('hex'), userId: user.id, hash: sha256(token), label, createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + ttlMs).toISOString(), lastUsedAt: null, revokedAt: null, createdFrom: remote };
    await store.insertToken(record);
    return { token, record };
  };

  /** The companies an action may touch: the caller's administered ones, or all for an SCH administrator. */
  const administers = (caller: Caller, company: string): boolean => caller.schAdmin || caller.roles.get(company) === 'administrator';

  const lastAdministrator = async (userId: string, companyId: string): Promise<boolean> => {
    const admins = (await store.listMemberships([companyId])).filter((m) => m.role === 'administrator');
    return admins.length === 1 && admins[0]?.userId === userId;
  };

  return {
    agreement,
    tokenTtlMs: ttlMs,
    audit,

    /** The caller a presented bearer token stands for, or null (unknown, revoked or expired). */
    async authenticate(presented: string): Promise<Caller | null> {
      if (bootstrapDigest && timingSafeEqual(createHash('sha256').update(presented).digest(), bootstrapDigest)) return bootstrapCaller;
      const t = await store.tokenByHash(sha256(presented));
      const at = now();
      if (!t || t.revokedAt !== null || Date.parse(t.expiresAt) <= at.getTime()) return null;
      const user = await store.getUser(t.userId);
      if (!user) return null;
      if (t.lastUsedAt === null || at.getTime() - Date.parse(t.lastUsedAt) >= TOUCH_EVERY_MS) await store.touchToken(t.id, at.toISOString());
      return callerFor(user, t.id);
    },

    /** The caller as of now (roles change while a stream is open); null when the token no longer works. */
    async refresh(caller: Caller): Promise<Caller | null> {
      if (caller.userId === BOOTSTRAP_USER) return caller;
      const user = await store.getUser(caller.userId);
      const t = caller.tokenId === null ? null : await store.getToken(caller.tokenId);
      if (!user || !t || t.revokedAt !== null || Date.parse(t.expiresAt) <= now().getTime()) return null;
      return callerFor(user, t.id);
    },

    /** S32: user id and password → a personal token. Null when either is wrong (the same answer, the same time). */
    async login(userId: string, password: string, label: string, remote: string | null) {
      const user = await store.getUser(userId);
      const matches = await passwordMatches(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || user.passwordHash === null || !matches) return null;
      const { token, record } = await issueToken(user, label, remote);
      const caller = await callerFor(user, record.id);
      await audit({ caller, remote }, 'login', user.id, null, { token: record.id });
      return { token, expiresAt: record.expiresAt, tokenId: record.id, caller, user: await this.describeUser(user.id) };
    },

    async describeUser(userId: string) {
      const u = await store.getUser(userId);
      return u ? publicUser(u, await store.membershipsOf(u.id), agreement.version) : null;
    },

    /** What `GET /me` shows. */
    async me(caller: Caller) {
      const user = caller.userId === BOOTSTRAP_USER ? null : await store.getUser(caller.userId);
      return {
        user: caller.userId,
        name: caller.name,
        schAdmin: caller.schAdmin,
        token: caller.tokenId,
        status: caller.agreementPending ? 'pending-legal-agreement' : 'active',
        legalAgreement: { version: agreement.version, accepted: user?.agreementVersion ?? (caller.userId === BOOTSTRAP_USER ? agreement.version : null) },
        companies: [...caller.roles].map(([company, role]) => ({ company, role })),
      };
    },

    async acceptAgreement(origin: Origin & { caller: Caller }, version: string): Promise<Result<null, Refusal>> {
      if (version !== agreement.version) return refuse(409, 'agreement-version', `The current legal agreement is version ${agreement.version}; read it (GET /api/v1/agreement) and accept that version.`);
      if (origin.caller.userId === BOOTSTRAP_USER) return ok(null);
      await store.acceptAgreement(origin.caller.userId, version, now().toISOString());
      await audit(origin, 'agreement.accepted', origin.caller.userId, null, { version });
      return ok(null);
    },

    /** Users (with their roles) of the companies in scope. */
    async listUsers(scope: Scope) {
      const [users, memberships] = await Promise.all([store.listUsers(scope), store.listMemberships(scope)]);
      return users.map((u) => publicUser(u, memberships.filter((m) => m.userId === u.id), agreement.version));
    },

    async listCompanies(scope: Scope) {
      const [companies, memberships] = await Promise.all([store.listCompanies(scope), store.listMemberships(scope)]);
      return companies.map((c) => ({ ...c, administrators: memberships.filter((m) => m.companyId === c.id && m.role === 'administrator').map((m) => m.userId), users: memberships.filter((m) => m.companyId === c.id).length }));
    },

    /** S28: an Administrator registers a directory user to one of their companies. */
    async addUser(origin: Origin & { caller: Caller }, userId: string, companyId: string, role: Role): Promise<Result<ReturnType<typeof publicUser>, Refusal>> {
      const { caller } = origin;
      if (!administers(caller, companyId)) return refuse(403, 'forbidden', `You are not an Administrator of company ${companyId}.`);
      if (userId === caller.userId) return refuse(403, 'self-registration', 'Self-registration is not supported: ask an Administrator of that company to add you, or confirm a device registration with that company’s contract.');
      const user = await store.getUser(userId);
      if (!user) return refuse(404, 'unknown-user', `There is no Cisco.com (CCO) user ${userId}; check the id.`);
      if (!(await store.getCompany(companyId))) return refuse(404, 'unknown-company', `Company ${companyId} does not exist.`);
      if ((await store.membershipsOf(userId)).some((m) => m.companyId === companyId)) return refuse(409, 'already-registered', `${userId} is already registered to ${companyId}; change the role with PUT /api/v1/users/${userId}/companies/${companyId}.`);
      if (role === 'administrator' && !(await store.companyHasContract(companyId, user.profileContracts))) return refuse(403, 'no-contract', `${userId} can be registered as User only: an Administrator needs a supported contract of ${companyId} in their CCO profile (S28).`);
      await store.setMembership({ userId, companyId, role, addedBy: caller.userId, addedAt: now().toISOString() });
      await audit(origin, 'user.added', userId, companyId, { role });
      await options.userNotices?.added(user, companyId, role, user.agreementVersion !== agreement.version, agreement.version, caller.userId);
      return ok(publicUser(user, await store.membershipsOf(userId), agreement.version));
    },

    /** S30: an Administrator deletes a user's registration to a company (not the CCO account). */
    async deleteUser(origin: Origin & { caller: Caller }, userId: string, companyId: string): Promise<Result<null, Refusal>> {
      const { caller } = origin;
      if (!administers(caller, companyId)) return refuse(403, 'forbidden', `You are not an Administrator of company ${companyId}.`);
      if (!(await store.membershipsOf(userId)).some((m) => m.companyId === companyId)) return refuse(404, 'not-found', `${userId} is not registered to ${companyId}.`);
      const srOf = (await options.srContactDevices?.(store, userId, companyId)) ?? [];
      if (srOf.length > 0) return refuse(409, 'sr-contact', `${userId} is the SR contact of ${srOf.join(', ')}; choose another SR contact in those devices' preferences first.`);
      if (await lastAdministrator(userId, companyId)) return refuse(409, 'last-administrator', `${userId} is the last Administrator of ${companyId} (and of its Transport Gateways); add another Administrator first.`);
      await store.deleteMembership(userId, companyId);
      await audit(origin, 'user.deleted', userId, companyId);
      const user = await store.getUser(userId);
      if (user) await options.userNotices?.deleted(user, companyId, caller.userId);
      return ok(null);
    },

    /** An Administrator changes a user's role in a company (the spec's delete-and-re-add, in one step). */
    async setRole(origin: Origin & { caller: Caller }, userId: string, companyId: string, role: Role): Promise<Result<ReturnType<typeof publicUser>, Refusal>> {
      const { caller } = origin;
      if (!administers(caller, companyId)) return refuse(403, 'forbidden', `You are not an Administrator of company ${companyId}.`);
      const user = await store.getUser(userId);
      const current = (await store.membershipsOf(userId)).find((m) => m.companyId === companyId);
      if (!user || !current) return refuse(404, 'not-found', `${userId} is not registered to ${companyId}.`);
      if (current.role === role) return ok(publicUser(user, await store.membershipsOf(userId), agreement.version));
      if (role === 'administrator' && !(await store.companyHasContract(companyId, user.profileContracts))) return refuse(403, 'no-contract', `${userId} cannot be an Administrator: no supported contract of ${companyId} in their CCO profile (S28).`);
      if (role === 'user' && (await lastAdministrator(userId, companyId))) return refuse(409, 'last-administrator', `${userId} is the last Administrator of ${companyId}; make someone else Administrator first.`);
      await store.setMembership({ ...current, role });
      await audit(origin, 'user.role-changed', userId, companyId, { from: current.role, to: role });
      return ok(publicUser(user, await store.membershipsOf(userId), agreement.version));
    },

    /** S27: the user who confirms a device registration becomes Administrator of the device's company. */
    async confirmedBy(origin: Origin & { caller: Caller }, serial: string, companyId: string | null): Promise<void> {
      const { caller } = origin;
      if (companyId !== null) {
        // The device got the company inside the confirming transaction (service.confirm); roles need the row.
        await this.ensureCompanies([companyId]);
        if (caller.userId !== BOOTSTRAP_USER && caller.roles.get(companyId) !== 'administrator') {
          await store.setMembership({ userId: caller.userId, companyId, role: 'administrator', addedBy: caller.userId, addedAt: now().toISOString() });
        }
      }
      await audit(origin, 'registration.confirmed', serial, companyId);
    },

    /** Companies named by contracts or profiles get a row (named by their id) so roles can refer to them. */
    async ensureCompanies(ids: readonly string[]): Promise<void> {
      const at = now().toISOString();
      for (const id of new Set(ids)) if (id !== '' && !(await store.getCompany(id))) await store.putCompany({ id, name: id, createdAt: at });
    },

    /** The caller's tokens (an SCH administrator may list anyone's, or all with `user` null). */
    async listTokens(caller: Caller, user: string | null) {
      const at = now();
      const whose = caller.schAdmin ? user : caller.userId;
      return (await store.listTokens(whose)).map((t) => publicToken(t, at));
    },

    /** A further personal token for the caller (scripts), with a label. */
    async createToken(origin: Origin & { caller: Caller }, label: string): Promise<Result<{ token: string; id: string; expiresAt: string }, Refusal>> {
      const user = await store.getUser(origin.caller.userId);
      if (!user) return refuse(403, 'forbidden', 'The bootstrap token cannot issue personal tokens; log in as a user (POST /api/v1/login).');
      const { token, record } = await issueToken(user, label, origin.remote);
      await audit(origin, 'token.created', record.id, null, { user: user.id, label });
      return ok({ token, id: record.id, expiresAt: record.expiresAt });
    },

    /** Revokes a token: the caller's own, or anyone's for an SCH administrator. Its open streams close at once. */
    async revokeToken(origin: Origin & { caller: Caller }, id: string): Promise<Result<null, Refusal>> {
      const t = await store.getToken(id);
      if (!t || (!origin.caller.schAdmin && t.userId !== origin.caller.userId)) return refuse(404, 'not-found', `You have no token ${id}.`);
      if (t.revokedAt !== null) return ok(null);
      await store.revokeToken(id, now().toISOString());
      await audit(origin, 'token.revoked', id, null, { user: t.userId });
      return ok(null);
    },

    /** S24: the simulated back office's companies and CCO users (an SCH administrator imports them). */
    async importDirectory(origin: Origin & { caller: Caller }, dir: DirectoryInput): Promise<{ companies: number; users: number; memberships: number }> {
      const at = now().toISOString();
      for (const c of dir.companies) await store.putCompany({ id: c.id, name: c.name, createdAt: at });
      let memberships = 0;
      for (const u of dir.users) {
        const existing = await store.getUser(u.id);
        const passwordHash = u.password !== undefined ? await hashPassword(u.password) : (u.passwordHash ?? existing?.passwordHash ?? null);
        await store.putUser({
          id: u.id,
          name: u.name,
          email: u.email,
          passwordHash,
          schAdmin: u.schAdmin,
          caseManagement: u.caseManagement,
          profileCompany: u.profileCompany ?? null,
          profileContracts: u.contracts,
          agreementVersion: existing?.agreementVersion ?? null,
          agreementAcceptedAt: existing?.agreementAcceptedAt ?? null,
          createdAt: existing?.createdAt ?? at,
        });
        for (const [companyId, role] of Object.entries(u.companies)) {
          if (!(await store.getCompany(companyId))) await store.putCompany({ id: companyId, name: companyId, createdAt: at });
          await store.setMembership({ userId: u.id, companyId, role, addedBy: origin.caller.userId, addedAt: at });
          memberships++;
        }
      }
      await audit(origin, 'directory.imported', 'directory', null, { companies: dir.companies.length, users: dir.users.length });
      return { companies: dir.companies.length, users: dir.users.length, memberships };
    },

    listAudit: (scope: Scope, limit: number, before?: number) => store.listAudit(scope, limit, before),
  };
}

/** A directory import (YAML/CSV file or `POST /api/v1/directory`); see directory-file.ts. */
export type DirectoryInput = {
  readonly companies: readonly Pick<Company, 'id' | 'name'>[];
  readonly users: readonly {
    readonly id: string;
    readonly name: string;
    readonly email: string;
    readonly password?: string | undefined;
    readonly passwordHash?: string | undefined;
    readonly schAdmin: boolean;
    readonly caseManagement: boolean;
    readonly profileCompany?: string | undefined;
    readonly contracts: readonly string[];
    readonly companies: Readonly<Record<string, Role>>;
  }[];
};

export type { Membership };
