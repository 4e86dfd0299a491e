/**
 * The back-end service: ingest with group commit, registration actions, contracts import,
 * notification delivery. Transports (HTTP, SMTP) and the REST API call it; it owns no sockets.
 */
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Transport } from '../events/protocol.js';
import { assertNever } from '../util/assert-never.js';
import type { Result } from '../util/result.js';
import { createEventLog, type BackendEventLog } from './event-log.js';
import { createGroupCommitter, type BatchResult } from './ingest/group-commit.js';
import type { RefusalKind } from './ingest/refusal.js';
import { createRefusalCounter, type RefusalOptions, type RefusalStats, type RejectedEvent } from './refusals.js';
import { beginTx, type ProcessingContext, type TxContext } from './processing/context.js';
import { summary } from './processing/notify.js';
import { ingestMessage, processPending, type IngestOutcome } from './processing/processor.js';
import { confirmRegistration, reevaluate, trialMaintenance, type ConfirmFailure } from './processing/registration.js';
import type { Rule } from './processing/rules.js';
import type { Contract, NewMessage, NotificationRecord, Registration, Store } from './store/types.js';

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
};

export type BackendService = {
  readonly store: Store;
  readonly log: BackendEventLog;
  /** Resolves once the message (and all it caused) is committed. */
  ingest(input: NewMessage): Promise<IngestOutcome>;
  /** Counts a refused request; records it as a `message.rejected` event while under the rate, else in a summary. */
  reject(transport: Transport, kind: RefusalKind, remote: string | null): void;
  /** Refusals counted since start (for /stats). */
  refusalStats(): RefusalStats;
  confirm(serial: string, token: string): Result<Registration, ConfirmFailure>;
  deleteRegistration(serial: string): boolean;
  importContracts(contracts: readonly Contract[]): { imported: number; changed: number };
  maintenance(): void;
  setPortalUrl(url: string): void;
  close(): Promise<void>;
};

/** Creates the service over an open store. */
export function createBackendService(options: ServiceOptions): BackendService {
  const { store, logger } = options;
  const log = createEventLog(store);
  let portalUrl = options.portalUrl;
  const mailer = options.relay ? nodemailer.createTransport({ host: options.relay.host, port: options.relay.port, secure: false, ignoreTLS: true }) : null;
  const base = (): ProcessingContext => ({ store, log, rules: options.rules, now: options.now ?? (() => new Date()), portalUrl, relay: mailer !== null });
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
      .then(({ delivered, error }) => {
        store.setNotificationDelivery(n.id, delivered, error);
        if (error) logger?.warn({ notification: n.id, error }, 'notification delivery failed');
        log.append({ type: 'notification.sent', notification: { ...summary(n), delivered } });
      })
      .catch((e: unknown) => logger?.error({ err: e }, 'recording a notification delivery failed'))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  /** Runs fn in one transaction; publishes events and starts deliveries after commit. */
  const transact = <T>(fn: (ctx: TxContext) => T): T => {
    const ctx = beginTx(base());
    const value = store.transaction(() => fn(ctx));
    log.publish(ctx.fx.events);
    ctx.fx.deliveries.forEach(deliver);
    return value;
  };

  // Rejections ride the same group commit, so a flood of bad requests costs one fsync per batch.
  type Job = { readonly kind: 'message'; readonly input: NewMessage } | { readonly kind: 'rejected'; readonly transport: Transport; readonly reason: string; readonly remote: string | null };
  const runJob = (ctx: TxContext, job: Job): IngestOutcome | null => {
    switch (job.kind) {
      case 'message':
        return ingestMessage(ctx, job.input);
      case 'rejected':
        ctx.emit({ type: 'message.rejected', transport: job.transport, reason: job.reason, remote: job.remote });
        return null;
      default:
        return assertNever(job, 'ingest job');
    }
  };
  const record = (e: RejectedEvent): void => {
    committer.submit({ kind: 'rejected', ...e }).catch((err: unknown) => logger?.error({ err }, 'recording a rejection failed'));
  };
  // A window's summary is written when it ends, even if no refusal follows it.
  const summaries = setInterval(() => refusals.flush().forEach(record), Math.min(60_000, options.refusals?.windowMs ?? 60_000));
  summaries.unref();
  const committer = createGroupCommitter<Job, IngestOutcome | null>((items) => {
    const ctx = beginTx(base());
    const results = store.transaction(() =>
      items.map((item): BatchResult<IngestOutcome | null> => {
        // Each item runs in a savepoint so one failing message does not fail its batch-mates.
        const mark = { events: ctx.fx.events.length, deliveries: ctx.fx.deliveries.length };
        try {
          return { ok: true, value: store.transaction(() => runJob(ctx, item)) };
        } catch (error) {
          ctx.fx.events.length = mark.events;
          ctx.fx.deliveries.length = mark.deliveries;
          logger?.error({ err: error, job: item.kind }, 'processing a message failed');
          return { ok: false, error };
        }
      }),
    );
    log.publish(ctx.fx.events);
    ctx.fx.deliveries.forEach(deliver);
    return results;
  }, options.groupCommit);

  return {
    store,
    log,
    async ingest(input) {
      const outcome = await committer.submit({ kind: 'message', input });
      if (!outcome) throw new Error('a message job produced no outcome');
      return outcome;
    },
    reject(transport, kind, remote) {
      for (const e of refusals.refused(transport, kind, remote)) record(e);
    },
    refusalStats: () => refusals.stats(),
    confirm(serial, token) {
      return transact((ctx) => {
        const r = confirmRegistration(ctx, serial, token);
        if (r.ok) processPending(ctx, serial);
        return r;
      });
    },
    deleteRegistration(serial) {
      return transact((ctx) => {
        const reg = store.getRegistration(serial);
        if (!reg || reg.state === 'deleted') return false;
        store.putRegistration({ ...reg, state: 'deleted', updatedAt: ctx.now().toISOString() });
        ctx.emit({ type: 'registration.changed', serial, hostname: store.getDevice(serial)?.hostname ?? '', from: reg.state, to: 'deleted', trialEndsAt: null });
        return true;
      });
    },
    importContracts(contracts) {
      return transact((ctx) => {
        let changed = 0;
        for (const c of contracts) {
          store.putContract(c);
          const before = store.getRegistration(c.serial);
          const after = reevaluate(ctx, c.serial);
          if (before && after && before.state !== after.state) changed++;
        }
        return { imported: contracts.length, changed };
      });
    },
    maintenance() {
      transact((ctx) => trialMaintenance(ctx));
      // Refusals are not kept forever: the counters stay in /stats, the events expire.
      const removed = store.deleteEvents('message.rejected', new Date((options.now?.() ?? new Date()).getTime() - refusals.retentionMs).toISOString());
      if (removed > 0) logger?.info({ removed }, 'expired message.rejected events deleted');
    },
    setPortalUrl(url) {
      portalUrl = url;
    },
    async close() {
      clearInterval(summaries);
      refusals.flush().forEach(record);
      await committer.flush();
      await Promise.allSettled([...inFlight]);
      mailer?.close();
    },
  };
}

