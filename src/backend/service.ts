/**
 * The back-end service: ingest with group commit, registration actions, contracts import,
 * notification delivery. Transports (HTTP, SMTP) and the REST API call it; it owns no sockets.
 */
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Transport } from '../events/protocol.js';
import type { Result } from '../util/result.js';
import { createEventLog, type BackendEventLog } from './event-log.js';
import { createGroupCommitter } from './ingest/group-commit.js';
import { runIngestBatch, type BatchContext, type IngestBatch, type IngestJob } from './ingest/batch.js';
import type { RefusalKind } from './ingest/refusal.js';
import { mailCountsKeptMs, type MailLimitOptions } from './processing/mail-limits.js';
import { createRefusalCounter, type RefusalOptions, type RefusalStats, type RejectedEvent } from './refusals.js';
import { inTransaction, type Committed, type ProcessingContext, type TxContext } from './processing/context.js';
import { summary } from './processing/notify.js';
import { processPending, type IngestOutcome } from './processing/processor.js';
import { confirmedSerials, confirmRegistration, confirmSelected, contractsAdded, editContract, maintainRegistration, reevaluate, type ConfirmFailure, type ConfirmOptions, type Confirmed } from './processing/registration.js';
import type { BackOffice } from './entitlement/model.js';
import type { Rule } from './processing/rules.js';
import type { Contract, DeviceDetail, NewMessage, NotificationRecord, Registration, Store } from './store/types.js';
// sr-notify: SR lifecycle, preferences, support requests, the simulated tracker.
import { changeCase, findCase, type CaseChange, type CaseChangeFailure } from './cases/service-requests.js';
import type { SrContactDirectory } from './cases/sr-contact.js';
import { createSrTracker, type SrTracker } from './cases/tracker.js';
import { setPreferences, type PreferencesPatch, type PreferencesFailure, type PreferencesView } from './notifications/preferences.js';
import { supportAlert } from './notifications/send.js';
import type { CaseRecord } from './store/types.js';
import { createAccounts, type Accounts, type AccountsOptions } from './accounts/accounts.js';
// triggers: the user-lifecycle mails accounts asks for (N16, N17).
import { userCreated, userDeleted } from './notifications/triggers.js';

export type ServiceOptions = {
  readonly store: Store;
  readonly rules: readonly Rule[];
  readonly portalUrl: string;
  readonly relay?: { readonly host: string; readonly port: number } | undefined;
  readonly logger?: Logger | undefined;
  readonly now?: () => Date;
  readonly groupCommit?: { readonly maxDelayMs?: number; readonly maxBatch?: number };
  /** How refusals are counted, recorded and expired (defaults in refusals.ts). */
  readonly refusals?: RefusalOptions;
  /** Limits on mail to addresses taken from device messages (defaults in processing/mail-limits.ts). */
  readonly mailLimits?: MailLimitOptions;
  /** Messages and events older than this many days are purged by the maintenance pass (default 92: the guides keep 3 months). */
  readonly retentionDays?: number;
  // sr-notify
  /** SCH Support's address for internal alerts (S62); default notifications/send.ts DEFAULT_SUPPORT_EMAIL. */
  readonly supportEmail?: string | undefined;
  /** Who may be an SR contact (the user directory); without it a device preference's address is taken at its word. */
  readonly srContacts?: SrContactDirectory | undefined;
  /** accounts: bootstrap token, token life, legal agreement (accounts/accounts.ts). */
  readonly accounts?: AccountsOptions;
};

export type BackendService = {
  readonly store: Store;
  readonly log: BackendEventLog;
  /** accounts: users, companies, roles, tokens, audit (issue 15). */
  readonly accounts: Accounts;
  /** Resolves once the message (and all it caused) is committed. */
  ingest(input: NewMessage): Promise<IngestOutcome>;
  /** Counts a refused request; records it as a `message.rejected` event while under the rate, else in a summary. */
  reject(transport: Transport, kind: RefusalKind, remote: string | null): void;
  /** Refusals counted since start (for /stats). */
  refusalStats(): RefusalStats;
  /**
   * Confirms a pending registration with its token (S11) and processes what it sent meanwhile (S18); the device
   * goes to the company of the contract it registered under, else `options.company` (accounts, S27), in the same transaction.
   */
  confirm(serial: string, token: string, options: ConfirmOptions): Promise<Result<Confirmed, ConfirmFailure>>;
  /** Confirms pending devices picked from the list, without tokens (S12); one result per serial. */
  confirmSelected(serials: readonly string[], options: ConfirmOptions): Promise<{ serial: string; result: Result<Confirmed, ConfirmFailure> }[]>;
  /** Moves a registration to another contract within the coverage rules (S22). */
  editContract(serial: string, contract: string, options: ConfirmOptions): Promise<Result<Registration, ConfirmFailure>>;
  /** Lifts a user's token lock-out (S17: SCH Support does it); false when the user was not counted. */
  unlock(user: string): Promise<boolean>;
  /** Adds or replaces back-office fixtures (contracts, installed base, profiles) and re-checks every confirmed registration they touch. */
  importBackOffice(data: BackOffice): Promise<{ imported: number; changed: number }>;
  /** The daily entitlement pass (S21): expiry, "about to expire" warnings, trial reminders; safe on several replicas. */
  entitlementPass(): Promise<{ checked: number }>;
  deleteRegistration(serial: string): Promise<boolean>;
  /**
   * Applies the identity a flagged message claimed (host name, contact…) to its confirmed device: the
   * rule of issue 11 is that only an API-token holder, acting for the device's company, changes it.
   */
  acceptIdentity(serial: string, messageId: number): Promise<DeviceDetail | null>;
  importContracts(contracts: readonly Contract[]): Promise<{ imported: number; changed: number }>;
  /** Expiry of refusal events, then the retention purge (hourly). */
  maintenance(): Promise<void>;
  /** Deletes messages and events older than the retention setting, in small batches. */
  purge(): Promise<{ messages: number; events: number }>;
  setPortalUrl(url: string): void;
  /** The service's clock (injectable for tests of expiry). */
  now(): Date;
  close(): Promise<void>;
  // sr-notify
  /** An operator's change to a case (S55): update, resolve, reopen, close. */
  changeCase(key: string, change: CaseChange): Promise<Result<CaseRecord, CaseChangeFailure>>;
  /** Changes a device's preferences (S58, S61, S68); validates the SR contact against the directory. */
  setPreferences(serial: string, patch: PreferencesPatch): Promise<Result<PreferencesView, PreferencesFailure>>;
  /** A portal "request support" submission (S62, S78): mailed to SCH Support with what the user was doing. */
  supportRequest(r: { readonly serial: string | null; readonly summary: string; readonly action: string; readonly parameters: Readonly<Record<string, string>> }): Promise<NotificationRecord>;
  /** The simulated TAC SR tracker (S55): can be made unavailable to rehearse S53's back-end failure. */
  readonly srTracker: SrTracker;
  // triggers
  /** Runs trigger functions (notifications/triggers.ts) in one transaction; their mails and events go after commit. */
  raise<T>(fn: (ctx: TxContext) => Promise<T>): Promise<T>;
};

/** Serials per maintenance transaction. */
const MAINTENANCE_CHUNK = 25;
/** Rows per purge statement: each is its own short transaction. */
const PURGE_BATCH = 300;
export const DEFAULT_RETENTION_DAYS = 92;

/** Creates the service over an open store. */
export function createBackendService(options: ServiceOptions): BackendService {
  const { store, logger } = options;
  const log = createEventLog(store, (e) => logger?.error({ err: e }, 'reading the event log failed'));
  let portalUrl = options.portalUrl;
  const mailer = options.relay ? nodemailer.createTransport({ host: options.relay.host, port: options.relay.port, secure: false, ignoreTLS: true }) : null;
  const srTracker = createSrTracker();
  const base = (): ProcessingContext => ({ rules: options.rules, now: options.now ?? (() => new Date()), portalUrl, relay: mailer !== null, mailLimits: options.mailLimits ?? {}, supportEmail: options.supportEmail, srContacts: options.srContacts, srTracker });
  /** The relay as last seen: a change is published as mailserver.status (S94, S96). */
  let relayState: 'up' | 'down' | null = null;
  const relaySeen = async (state: 'up' | 'down', detail: string): Promise<void> => {
    if (state === relayState) return;
    relayState = state;
    await log.append({ type: 'mailserver.status', server: 'relay', state, detail: detail.slice(0, 200) });
  };
  const inFlight = new Set<Promise<void>>();
  const refusals = createRefusalCounter(options.refusals);

  const deliver = (n: NotificationRecord): void => {
    if (!mailer) return;
    const p = mailer
      .sendMail({ from: 'call-home-notify@callhome.local', to: n.to.join(', '), subject: n.subject, text: n.body })
      .then(
        () => ({ delivered: true, error: null }),
        (e: unknown) => ({ delivered: false, error: e instanceof Error ? e.message : String(e) }),
      )
      .then(async ({ delivered, error }) => {
        await store.setNotificationDelivery(n.id, delivered, error);
        if (error) logger?.warn({ notification: n.id, error }, 'notification delivery failed');
        await relaySeen(delivered ? 'up' : 'down', error ?? `${options.relay?.host ?? ''}:${options.relay?.port ?? ''} accepted a notification`);
        await log.append({ type: 'notification.sent', notification: { ...summary(n), delivered } });
      })
      .catch((e: unknown) => logger?.error({ err: e }, 'recording a notification delivery failed'))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  /** After commit: publish what a transaction emitted and start its deliveries. */
  const afterCommit = <T>(c: Committed<T>): T => {
    log.published(c.events);
    c.deliveries.forEach(deliver);
    return c.value;
  };
  /** Runs fn in one transaction holding the locks of `serials` (processing/context.ts inTransaction), then publishes. */
  const transact = async <T>(serials: readonly string[], fn: (ctx: TxContext) => Promise<T>): Promise<T> => afterCommit(await inTransaction(store, base(), serials, fn));

  /**
   * The database thread runs a batch given data alone (ingest/batch.ts BatchContext); an injected SR-contact
   * directory is a function, so with one the service runs its batches itself.
   */
  const batchesInStore = store.runIngestBatch !== undefined && options.srContacts === undefined;
  const batchContext = (): BatchContext => ({
    rules: options.rules,
    portalUrl,
    relay: mailer !== null,
    supportEmail: options.supportEmail,
    nowMs: (options.now ?? (() => new Date()))().getTime(),
    srTracker: { available: srTracker.available(), reason: srTracker.reason() },
    mailLimits: options.mailLimits,
  });
  const runBatch = (jobs: readonly IngestJob[]): Promise<IngestBatch> =>
    batchesInStore && store.runIngestBatch ? store.runIngestBatch(jobs, batchContext()) : runIngestBatch(store, base(), jobs);

  const record = (e: RejectedEvent): void => {
    committer.submit({ kind: 'rejected', ...e }).catch((err: unknown) => logger?.error({ err }, 'recording a rejection failed'));
  };
  // A window's summary is written when it ends, even if no refusal follows it.
  const summaries = setInterval(() => refusals.flush().forEach(record), Math.min(60_000, options.refusals?.windowMs ?? 60_000));
  summaries.unref();
  const committer = createGroupCommitter<IngestJob, IngestOutcome | null>(async (jobs) => {
    const results = afterCommit(await runBatch(jobs));
    results.forEach((r, i) => {
      if (!r.ok) logger?.error({ err: r.error, job: jobs[i]?.kind }, 'processing a message failed');
    });
    return results;
  }, options.groupCommit);

  /** Retention: deletes what is older than the setting, a small batch at a time, yielding between batches. */
  const purge = async (): Promise<{ messages: number; events: number }> => {
    const now = (options.now ?? (() => new Date()))();
    const cutoff = new Date(now.getTime() - (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000).toISOString();
    const total = { messages: 0, events: 0 };
    await store.purgeMailSends(now.getTime() - mailCountsKeptMs(options.mailLimits));
    for (;;) {
      const r = await store.purgeBefore(cutoff, PURGE_BATCH);
      total.messages += r.messages;
      total.events += r.events;
      if (r.messages < PURGE_BATCH && r.events < PURGE_BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (total.messages + total.events > 0) logger?.info({ ...total, before: cutoff }, 'retention purge');
    return total;
  };

  /** Re-checks confirmed registrations in chunks under their locks; returns how many changed state. */
  const recheckSerials = async (serials: readonly string[]): Promise<number> => {
    let changed = 0;
    for (let i = 0; i < serials.length; i += MAINTENANCE_CHUNK) {
      const chunk = serials.slice(i, i + MAINTENANCE_CHUNK);
      changed += await transact(chunk, async (ctx) => {
        let n = 0;
        for (const serial of chunk) {
          const before = await ctx.store.getRegistration(serial);
          const after = await reevaluate(ctx, serial);
          if (before && after && before.state !== after.state) n++;
        }
        return n;
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    return changed;
  };

  return {
    store,
    log,
    accounts: createAccounts(store, (events) => log.published(events), {
      now: options.now,
      // S30: a user who is a device's SR contact is not deleted until another contact is chosen.
      srContactDevices: async (s, userId, companyId) => {
        const user = await s.getUser(userId);
        return s.srContactSerials(user ? [userId, user.email] : [userId], companyId);
      },
      userNotices: {
        added: (u, company, role, agreementPending, agreementVersion, by) => transact([], async (ctx) => void (await userCreated(ctx, { userId: u.id, email: u.email, company, role: role === 'administrator' ? 'Administrator' : 'User', agreementPending, agreementVersion }, by))),
        deleted: (u, company, by) => transact([], async (ctx) => void (await userDeleted(ctx, { userId: u.id, email: u.email, company }, by))),
      },
      ...options.accounts,
    }),
    purge,
    async ingest(input) {
      // A packed body holds the raw text: the batch need not carry (and copy to the database thread) it twice.
      const outcome = await committer.submit({ kind: 'message', input: input.packed ? { ...input, raw: '' } : input });
      if (!outcome) throw new Error('a message job produced no outcome');
      return outcome;
    },
    reject(transport, kind, remote) {
      for (const e of refusals.refused(transport, kind, remote)) record(e);
    },
    refusalStats: () => refusals.stats(),
    confirm(serial, token, o) {
      return transact([serial], async (ctx) => {
        const r = await confirmRegistration(ctx, serial, token, o);
        // Before the events are written, so they (and the processing's) carry the device's company.
        if (r.ok && r.value.company !== null) await ctx.store.setDeviceCompany(serial, r.value.company);
        if (r.ok) await processPending(ctx, serial);
        return r;
      });
    },
    async confirmSelected(serials, o) {
      const out: { serial: string; result: Result<Confirmed, ConfirmFailure> }[] = [];
      // One transaction per device: one refusal or failure does not undo the others.
      for (const serial of [...new Set(serials)]) {
        out.push({
          serial,
          result: await transact([serial], async (ctx) => {
            const r = await confirmSelected(ctx, serial, o);
            if (r.ok && r.value.company !== null) await ctx.store.setDeviceCompany(serial, r.value.company);
            if (r.ok) await processPending(ctx, serial);
            return r;
          }),
        });
      }
      return out;
    },
    editContract(serial, contract, o) {
      return transact([serial], (ctx) => editContract(ctx, serial, contract, o));
    },
    unlock(user) {
      return transact([], (ctx) => ctx.store.clearLockout(user));
    },
    async importBackOffice(data) {
      const touched = new Set([...data.contracts.flatMap((c) => c.serials), ...data.installedBase.map((e) => e.serial)]);
      // A contract whose coverage shrinks leaves serials it no longer names: re-check those too.
      for (const c of data.contracts) for (const s of (await store.getServiceContract(c.number))?.serials ?? []) touched.add(s);
      const contractsChanged = data.contracts.map((c) => c.number);
      await transact([], async (ctx) => {
        for (const c of data.contracts) await ctx.store.putServiceContract(c);
        for (const e of data.installedBase) await ctx.store.putInstalledBase(e);
        // CCO profiles are the directory users' profile fields (accounts keeps the users); a new one is a user without a password.
        for (const p of data.profiles) {
          const u = await ctx.store.getUser(p.ccoId);
          const at = ctx.now().toISOString();
          await ctx.store.putUser({
            id: p.ccoId,
            name: u?.name ?? p.ccoId,
            email: p.email || (u?.email ?? ''),
            passwordHash: u?.passwordHash ?? null,
            schAdmin: u?.schAdmin ?? false,
            caseManagement: p.caseManagement,
            profileCompany: p.company || null,
            profileContracts: p.contracts,
            agreementVersion: u?.agreementVersion ?? null,
            agreementAcceptedAt: u?.agreementAcceptedAt ?? null,
            createdAt: u?.createdAt ?? at,
          });
        }
        await contractsAdded(ctx);
      });
      // Registrations resting on an imported contract (trial or same-family ones name no serial in it).
      for (const r of await store.listRegistrations()) if (r.contractNumber !== null && contractsChanged.includes(r.contractNumber)) touched.add(r.serial);
      const changed = await recheckSerials([...touched].sort());
      return { imported: data.contracts.length + data.installedBase.length + data.profiles.length, changed };
    },
    async entitlementPass() {
      const serials = await confirmedSerials(store);
      for (let i = 0; i < serials.length; i += MAINTENANCE_CHUNK) {
        const chunk = serials.slice(i, i + MAINTENANCE_CHUNK);
        // Each chunk holds its serials' locks: a replica running the pass at the same time finds the work done.
        await transact(chunk, async (ctx) => {
          for (const serial of chunk) await maintainRegistration(ctx, serial);
        });
        // store (issue 14): on SQLite every await above resolves at once; the loop is given back per chunk.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // N23 for profiles changed by a directory import since (accounts' `users import` does not call us).
      await transact([], (ctx) => contractsAdded(ctx));
      return { checked: serials.length };
    },
    acceptIdentity(serial, messageId) {
      return transact([serial], async (ctx) => {
        const claim = await ctx.store.getMessage(messageId);
        if (!claim || claim.serial !== serial || !claim.flags.includes('identity-claim')) return null;
        await ctx.store.upsertDevice({ ...claim.fields, serialNumber: serial }, claim.receivedAt);
        return ctx.store.getDevice(serial);
      });
    },
    deleteRegistration(serial) {
      return transact([serial], async (ctx) => {
        const reg = await ctx.store.getRegistration(serial);
        if (!reg || reg.state === 'deleted') return false;
        await ctx.store.putRegistration({ ...reg, state: 'deleted', updatedAt: ctx.now().toISOString() });
        ctx.emit({ type: 'registration.changed', serial, hostname: (await ctx.store.getDevice(serial))?.hostname ?? '', from: reg.state, to: 'deleted', trialEndsAt: null });
        return true;
      });
    },
    async importContracts(contracts) {
      await transact([], async (ctx) => {
        for (const c of contracts) await ctx.store.putContract(c);
      });
      return { imported: contracts.length, changed: await recheckSerials([...new Set(contracts.map((c) => c.serial))].sort()) };
    },
    async maintenance() {
      // Refusals are not kept forever: the counters stay in /stats, the events expire.
      const removed = await store.deleteEvents('message.rejected', new Date((options.now?.() ?? new Date()).getTime() - refusals.retentionMs).toISOString());
      if (removed > 0) logger?.info({ removed }, 'expired message.rejected events deleted');
      await purge();
    },
    setPortalUrl(url) {
      portalUrl = url;
    },
    now: () => (options.now ?? (() => new Date()))(),
    srTracker,
    async changeCase(key, change) {
      // The case's serial is known only once it is read; its lock is taken then (SQLite has one writer).
      const serial = (await findCase({ store }, key))?.serial;
      return transact(serial ? [serial] : [], (ctx) => changeCase(ctx, key, change));
    },
    setPreferences(serial, patch) {
      return transact([serial], (ctx) => setPreferences(ctx, serial, patch));
    },
    supportRequest(r) {
      return transact(r.serial ? [r.serial] : [], (ctx) =>
        supportAlert(ctx, { kind: 'support-request', serial: r.serial, reason: `Portal support request: ${r.summary}`, extra: [`Action: ${r.action}`, ...Object.entries(r.parameters).map(([k, v]) => `Parameter ${k}: ${v}`)] }),
      );
    },
    raise: (fn) => transact([], fn),
    async close() {
      clearInterval(summaries);
      refusals.flush().forEach(record);
      await committer.flush();
      await Promise.allSettled([...inFlight]);
      await log.close();
      mailer?.close();
    },
  };
}

