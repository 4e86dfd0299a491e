/**
 * One group-commit batch of ingest jobs (group-commit.ts): one transaction holding the batch's device locks;
 * a job that throws fails alone (the batch is then run again with a savepoint per job, see runIngestBatch).
 *
 * The batch runs where the store's connection is. For PostgreSQL and an in-thread SQLite store that is the
 * event loop's thread. For `callhome serve` on SQLite it is the database thread (sqlite-worker.ts): the service
 * hands it the whole batch in one request, so a batch costs one round trip to that thread instead of one per
 * statement (about five per message, each waiting for the event loop to come round again). Everything that
 * crosses to that thread is data ({@link BatchContext}): the rules, the clock as a time, the SR tracker's state.
 */
import type { Transport } from '../../events/protocol.js';
import { assertNever } from '../../util/assert-never.js';
import type { SrTracker } from '../cases/tracker.js';
import { inTransaction, type Committed, type ProcessingContext, type TxContext } from '../processing/context.js';
import type { MailLimitOptions } from '../processing/mail-limits.js';
import { ingestMessage, type IngestOutcome } from '../processing/processor.js';
import type { Rule } from '../processing/rules.js';
import type { NewMessage, Store } from '../store/types.js';
import type { BatchResult } from './group-commit.js';

/** What the group committer queues: a message, or a refusal to record (a flood of bad requests costs one fsync per batch too). */
export type IngestJob =
  | { readonly kind: 'message'; readonly input: NewMessage }
  | { readonly kind: 'rejected'; readonly transport: Transport; readonly reason: string; readonly remote: string | null };

/** Per job: the outcome (null for a recorded refusal), or the error that undid that job alone. */
export type JobResult = BatchResult<IngestOutcome | null>;

/** A committed batch: each job's result, and the events and deliveries to publish and start after commit. */
export type IngestBatch = Committed<JobResult[]>;

/** The serials whose locks a batch holds. */
function serialsOf(jobs: readonly IngestJob[]): string[] {
  return jobs.flatMap((j) => (j.kind === 'message' ? [j.input.message.serialNumber] : []));
}

async function runJob(ctx: TxContext, job: IngestJob): Promise<IngestOutcome | null> {
  switch (job.kind) {
    case 'message':
      return ingestMessage(ctx, job.input);
    case 'rejected':
      ctx.emit({ type: 'message.rejected', transport: job.transport, reason: job.reason, remote: job.remote });
      return null;
    default:
      return assertNever(job, 'ingest job');
  }
}

/**
 * Runs one batch in one transaction. Jobs run one after the other without savepoints (a savepoint and its release
 * per message cost about a tenth of SQLite's ingest time, and two round trips each on PostgreSQL); if a job throws,
 * the whole transaction is undone and the batch runs again with each job in a savepoint, so that only the failing
 * job fails (the undone run's mail-limit counts are undone with it: they are rows of the transaction).
 */
export async function runIngestBatch(store: Store, ctx: ProcessingContext, jobs: readonly IngestJob[]): Promise<IngestBatch> {
  let jobThrew = false;
  try {
    return await inTransaction(store, ctx, serialsOf(jobs), async (tx) => {
      const results: JobResult[] = [];
      for (const job of jobs) {
        try {
          results.push({ ok: true, value: await runJob(tx, job) });
        } catch (e) {
          jobThrew = true;
          throw e;
        }
      }
      return results;
    });
  } catch (e) {
    // The transaction itself failed (its locks, the events' write, the commit): run again it would fail again.
    if (!jobThrew) throw e;
    return runIsolated(store, ctx, jobs);
  }
}

/** The batch with each job in a savepoint: a job that throws is rolled back alone and reported in its result. */
function runIsolated(store: Store, ctx: ProcessingContext, jobs: readonly IngestJob[]): Promise<IngestBatch> {
  return inTransaction(store, ctx, serialsOf(jobs), async (tx) => {
    const results: JobResult[] = [];
    for (const job of jobs) {
      const mark = { events: tx.fx.events.length, deliveries: tx.fx.deliveries.length };
      try {
        results.push({ ok: true, value: await tx.store.savepoint(() => runJob(tx, job)) });
      } catch (error) {
        tx.fx.events.length = mark.events;
        tx.fx.deliveries.length = mark.deliveries;
        // It crosses threads by structured clone: an Error keeps its name, message and stack; anything else is described.
        results.push({ ok: false, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
    return results;
  });
}

/**
 * What the database thread needs of the service's processing context to run a batch: data only. `nowMs` is the
 * service's clock when the batch was handed over (its injected clock in tests); the thread's clock runs on from it.
 */
export type BatchContext = {
  readonly rules: readonly Rule[];
  readonly portalUrl: string;
  readonly relay: boolean;
  readonly supportEmail: string | undefined;
  readonly nowMs: number;
  readonly srTracker: { readonly available: boolean; readonly reason: string };
  /** Limits on mail to addresses from messages (their counts are in the store; undefined: the defaults). */
  readonly mailLimits: MailLimitOptions | undefined;
};

/** The SR tracker as the service saw it when it handed the batch over (operators change it through the API). */
function trackerAsSeen(seen: BatchContext['srTracker']): SrTracker {
  return {
    available: () => seen.available,
    reason: () => seen.reason,
    set: () => {
      throw new Error('the SR tracker is set through the service, not inside a batch');
    },
  };
}

/**
 * The database thread's side: the processing context of one batch, from the data the service sent. The mail limits'
 * counts are in the store, so the batches and the service's own work count against the same limits.
 */
export function batchProcessingContext(c: BatchContext): ProcessingContext {
  const handedOver = Date.now();
  return {
    rules: c.rules,
    now: () => new Date(c.nowMs + (Date.now() - handedOver)),
    portalUrl: c.portalUrl,
    relay: c.relay,
    mailLimits: c.mailLimits ?? {},
    supportEmail: c.supportEmail,
    srTracker: trackerAsSeen(c.srTracker),
  };
}
