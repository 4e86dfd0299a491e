/**
 * The parse pool (issue 14, "one machine, every core"): worker threads that turn bodies and mails into
 * messages or typed refusals, so the main thread only does I/O, group commit and publish.
 *
 * - `workers` threads take the ordinary jobs; bodies over LARGE_JOB_BYTES go to a lane of their own
 *   (one more thread), so a 3 MiB body never queues another device's small message behind it.
 * - `workers: 0` parses XML bodies up to INLINE_XML_BYTES on the calling thread (at most a few ms each,
 *   hostile shapes included) and sends every other job to the large lane's thread: the default on one
 *   core. From two cores the default is cores − 1 threads, as issue 14 states. (On two cores the two settings
 *   reach about the same max rate: inline 0.96–1.06× the thread in four bench:ingest runs of 2026-12-07.)
 * - Threads start on the first job that needs them and are unref'd: an idle pool costs nothing. A
 *   server calls warm() as it starts, so the first device's message does not wait for a thread to
 *   load (about 1.5 s under tsx: longer than a device's HTTP timeout may be), and the first large body
 *   does not start the large lane's thread under load (bench:ingest: that start, not the 3 MiB parse,
 *   moved the stream's p99 by 350 ms at 600 msg/s; later large bodies moved it by 0–34 ms).
 * - Each job has a hard deadline (past the parser's own, which it checks as it reads): a thread that
 *   overruns it is replaced and its job refused as too complex; a thread that dies is replaced and its
 *   job fails (a 5xx / SMTP 451: the device retries).
 * - Threads start through ../spawn-worker.ts (parse-worker.ts under tsx, the parse-worker.js chunk when built).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ParseRefusal } from '../../callhome/refusal.js';
import { XML_LIMITS } from '../../callhome/xml-parse.js';
import type { CallHomeMessage } from '../../domain/message.js';
import type { Result } from '../../util/result.js';
import { spawnWorker } from '../spawn-worker.js';
import type { PackedBody } from '../store/packed-body.js';
import type { MailContent } from './mail-content.js';
import { runParseJob, type ParseAnswer, type ParseJob } from './parse-jobs.js';

/** Bodies from this size on take the large lane. */
export const LARGE_JOB_BYTES = 256 * 1024;

/**
 * With `workers: 0`, XML bodies up to this size are parsed on the calling thread: the slowest 32 KiB
 * shape (tens of thousands of empty elements) costs about 16 ms of CPU there, a 10 KB message about 0.1 ms.
 */
export const INLINE_XML_BYTES = 32 * 1024;

/** How long a thread may hold one job before it is replaced: the parser's deadline, then as much again. */
const HARD_DEADLINE_MS = 2 * XML_LIMITS.deadlineMs + 1_000;

/**
 * Default thread count: one per core but the main thread's; on one core none (small bodies are parsed
 * inline, see the module comment; `npm run bench:ingest` measures the default against the other setting).
 */
export function defaultParseWorkers(cores = availableParallelism()): number {
  return Math.max(0, cores - 1);
}

/** A parse result, with the body packed for the store (../store/packed-body.ts) unless it is small. */
export type Parsed<T> = Result<T, ParseRefusal> & { readonly packed?: PackedBody | undefined };

export type ParsePool = {
  /** Parses in a worker; rejects only when the worker could not read the job at all (a broken mail). */
  parse(job: ParseJob): Promise<ParseAnswer>;
  /**
   * One Call Home XML body: its text, or its bytes (decoded in the thread; a large body's bytes are handed over,
   * not copied, and the caller must not use them again). Parsed from bytes and not packed, the text comes back as `raw`.
   */
  xml(body: string | Uint8Array): Promise<Parsed<CallHomeMessage> & { readonly raw?: string }>;
  /** One mail's bytes, as received (a large mail's bytes are handed over, not copied: the caller must not use them again). */
  mail(bytes: Uint8Array): Promise<Parsed<MailContent>>;
  /** Starts one thread of the ordinary lane and the large lane's thread now, without waiting for them to load. */
  warm(): void;
  /** Threads started so far (both lanes). */
  readonly started: number;
  /** Ends every thread; later jobs are refused. */
  close(): Promise<void>;
};

/**
 * Jobs an ordinary thread is given before it answers the first: it works through them in order while the main
 * thread is busy elsewhere. With one at a time a thread waited a turn of the event loop between jobs, so under
 * load it parsed about one message per turn (bench:ingest at 1,000 msg/s: a 10 KB message waited up to 90 ms).
 * The large lane takes one at a time: a 3 MiB body is work enough.
 */
const PIPELINE_DEPTH = 8;

type Pending = { readonly job: ParseJob; resolve(a: ParseAnswer): void; reject(e: Error): void };
/** A thread and the jobs it was given, oldest (the one it works on) first; the timer is that job's deadline. */
type Slot = { worker: Worker | null; inFlight: Pending[]; timer: NodeJS.Timeout | null };
type Reply = { readonly ok: true; readonly answer: ParseAnswer } | { readonly ok: false; readonly error: string };

/** The refusal a job gets when its thread had to be stopped or died under it. */
function stopped(job: ParseJob, why: string): ParseAnswer {
  const result = { ok: false as const, error: { kind: 'too-complex' as const, reason: `The message was refused: parsing it ${why}.` } };
  return job.kind === 'xml' ? { kind: 'xml', result } : { kind: 'mail', result };
}

function sizeOf(job: ParseJob): number {
  if (job.kind === 'mail') return job.mail.byteLength;
  return typeof job.body === 'string' ? job.body.length : job.body.byteLength;
}

/**
 * What a job may hand over to its thread instead of copying: the bytes of a large body, when they own their whole
 * buffer. Only on the large lane, whose one job at a time is never given to another thread after it was posted.
 */
function transferable(job: ParseJob): ArrayBuffer[] {
  const bytes = job.kind === 'xml' ? job.body : job.mail;
  if (typeof bytes === 'string' || !(bytes.buffer instanceof ArrayBuffer)) return [];
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer] : [];
}

/** Creates a pool of `workers` threads for ordinary jobs (0: inline) plus one for large ones. */
export function createParsePool(options: { readonly workers?: number; readonly hardDeadlineMs?: number } = {}): ParsePool {
  const inline = Math.floor(options.workers ?? defaultParseWorkers()) <= 0;
  const count = inline ? 0 : Math.floor(options.workers ?? defaultParseWorkers());
  const hardDeadlineMs = options.hardDeadlineMs ?? HARD_DEADLINE_MS;
  const lanes = {
    small: { slots: Array.from({ length: count }, (): Slot => ({ worker: null, inFlight: [], timer: null })), queue: [] as Pending[], depth: PIPELINE_DEPTH },
    large: { slots: [{ worker: null, inFlight: [], timer: null } as Slot], queue: [] as Pending[], depth: 1 },
  };
  let started = 0;
  let closed = false;

  /** Starts the deadline of the job a thread works on now (the oldest it was given). */
  const arm = (lane: keyof typeof lanes, slot: Slot): void => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    if (slot.inFlight.length === 0) return;
    slot.timer = setTimeout(() => retire(lane, slot, { overran: `took longer than ${hardDeadlineMs} ms` }), hardDeadlineMs);
    slot.timer.unref();
  };

  /**
   * Drops a thread; the next job starts a new one. Past its deadline the job it worked on is refused (the body
   * is the cause); a thread that failed to start or died fails that job, so the sender gets a 5xx and retries.
   * The jobs given to it after that one go back to the front of the queue.
   */
  const retire = (lane: keyof typeof lanes, slot: Slot, outcome: { overran: string } | { failed: Error }): void => {
    const worker = slot.worker;
    slot.worker = null;
    if (worker) void worker.terminate();
    const [p, ...waiting] = slot.inFlight.splice(0);
    arm(lane, slot);
    lanes[lane].queue.unshift(...waiting);
    if (p && 'overran' in outcome) p.resolve(stopped(p.job, outcome.overran));
    else if (p && 'failed' in outcome) p.reject(outcome.failed);
    pump(lane);
  };

  const ensureWorker = (lane: keyof typeof lanes, slot: Slot): Worker => {
    if (slot.worker) return slot.worker;
    const worker = spawnWorker(new URL('./parse-worker.ts', import.meta.url), { workerData: { lane } });
    started++;
    worker.unref();
    worker.on('message', (reply: Reply) => {
      if (slot.worker !== worker) return;
      // The thread answers in the order it was given the jobs.
      const p = slot.inFlight.shift();
      arm(lane, slot);
      if (p) {
        if (reply.ok) p.resolve(reply.answer);
        else p.reject(new Error(reply.error));
      }
      pump(lane);
    });
    worker.on('error', (e) => {
      if (slot.worker === worker) retire(lane, slot, { failed: new Error(`a parse worker failed: ${e.message}`) });
    });
    worker.on('exit', () => {
      if (slot.worker === worker) retire(lane, slot, { failed: new Error('a parse worker exited') });
    });
    slot.worker = worker;
    return worker;
  };

  /** Gives queued jobs to the threads with the fewest, each up to the lane's depth. */
  const pump = (lane: keyof typeof lanes): void => {
    const { slots, queue, depth } = lanes[lane];
    while (!closed && queue.length > 0) {
      const slot = slots.reduce<Slot | null>((best, s) => (s.inFlight.length < depth && (!best || s.inFlight.length < best.inFlight.length) ? s : best), null);
      const p = slot ? queue.shift() : undefined;
      if (!slot || !p) return;
      slot.inFlight.push(p);
      if (slot.inFlight.length === 1) arm(lane, slot);
      ensureWorker(lane, slot).postMessage(p.job, lane === 'large' ? transferable(p.job) : []);
    }
  };

  const parse = (job: ParseJob): Promise<ParseAnswer> => {
    if (closed) return Promise.resolve(stopped(job, 'was cut short: the back end is stopping'));
    if (inline && job.kind === 'xml' && job.body.length <= INLINE_XML_BYTES) return runParseJob(job);
    const lane = inline || sizeOf(job) >= LARGE_JOB_BYTES ? 'large' : 'small';
    return new Promise<ParseAnswer>((resolve, reject) => {
      lanes[lane].queue.push({ job, resolve, reject });
      pump(lane);
    });
  };

  return {
    parse,
    async xml(body) {
      const answer = await parse({ kind: 'xml', body });
      if (answer.kind !== 'xml') throw new Error('a parse worker answered an XML job with a mail');
      return { ...answer.result, ...(answer.packed ? { packed: answer.packed } : {}), ...(answer.raw !== undefined ? { raw: answer.raw } : {}) };
    },
    async mail(bytes) {
      const answer = await parse({ kind: 'mail', mail: bytes });
      if (answer.kind !== 'mail') throw new Error('a parse worker answered a mail job with XML');
      return answer.packed ? { ...answer.result, packed: answer.packed } : answer.result;
    },
    warm() {
      if (closed) return;
      for (const [lane, slot] of [['small', lanes.small.slots[0]], ['large', lanes.large.slots[0]]] as const) if (slot) ensureWorker(lane, slot);
    },
    get started() {
      return started;
    },
    async close() {
      closed = true;
      const all = [...lanes.small.slots, ...lanes.large.slots];
      for (const lane of Object.values(lanes)) for (const p of lane.queue.splice(0)) p.resolve(stopped(p.job, 'was cut short: the back end is stopping'));
      await Promise.all(
        all.map(async (slot) => {
          const worker = slot.worker;
          slot.worker = null;
          if (slot.timer) clearTimeout(slot.timer);
          for (const p of slot.inFlight.splice(0)) p.resolve(stopped(p.job, 'was cut short: the back end is stopping'));
          if (worker) await worker.terminate();
        }),
      );
    },
  };
}
