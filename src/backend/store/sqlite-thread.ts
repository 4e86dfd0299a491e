/**
 * The database thread of a SQLite store (issue 14): a worker thread owns the better-sqlite3 connection
 * (sqlite-worker.ts). Two kinds of work reach it:
 * - Kysely's statements (the API's reads, operators' transactions): a Kysely dialect here sends each compiled
 *   statement with its parameters. The driver keeps Kysely's one-connection model: a transaction holds the
 *   connection until it ends, so its statements reach the thread in order and nobody else's come between.
 *   Statements that return nothing and only fail by a bug (begin, savepoint, release) travel with the next one.
 * - Whole ingest batches (../ingest/batch.ts): one request runs a group commit's messages and all their
 *   processing in the thread, in one transaction. A batch sent statement by statement cost about five round
 *   trips per message, each waiting for the event loop to come round (bench:ingest: 0.51× the single-thread
 *   baseline); as one request it costs one per batch.
 * Either way no query, commit or fsync runs on the event loop: while the thread works, the loop serves HTTP, the
 * stream and the next parses. (Waiting on the spot with Atomics.wait for short statements was measured too:
 * it blocked the loop for the statement's time and won nothing over running SQLite on the main thread.)
 */
import { MessageChannel } from 'node:worker_threads';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { BatchContext, IngestBatch, IngestJob } from '../ingest/batch.js';
import { spawnWorker } from '../spawn-worker.js';
import { DatabaseInUse } from './sqlite-database.js';

/** What the main thread asks the database thread. */
export type ThreadRequest =
  | { readonly type: 'query'; readonly id: number; readonly sql: string; readonly params: readonly unknown[]; readonly before: readonly string[] }
  | { readonly type: 'stream'; readonly id: number; readonly sql: string; readonly params: readonly unknown[]; readonly chunk: number; readonly before: readonly string[] }
  | { readonly type: 'next'; readonly id: number; readonly stream: number; readonly chunk: number }
  | { readonly type: 'end'; readonly id: number; readonly stream: number }
  | { readonly type: 'ingest'; readonly id: number; readonly jobs: readonly IngestJob[]; readonly context: BatchContext }
  | { readonly type: 'close'; readonly id: number };

/** Its answer to request `id` (id 0: the database is open, or why not). */
export type ThreadReply =
  | { readonly id: number; readonly rows: unknown[]; readonly done?: boolean }
  | { readonly id: number; readonly changes: number; readonly lastInsertRowid: number | bigint }
  | { readonly id: number; readonly batch: IngestBatch }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly code?: string } };


/**
 * Statements answered before they run (pipelined): they return nothing, and cannot fail in a transaction the
 * driver opened but by a bug. They travel with the next statement (`before`), which fails with their error if one fails.
 */
const PIPELINED = /^\s*(begin|savepoint|release)\b/i;


/** The main thread's handle on the database thread. */
export type SqliteThread = {
  /** Held by whoever uses the connection: a Kysely query or transaction, or a batch. */
  readonly lock: ConnectionLock;
  query(sql: string, params: readonly unknown[]): Promise<QueryResult<unknown>>;
  stream(sql: string, params: readonly unknown[], chunk: number): AsyncIterableIterator<QueryResult<unknown>>;
  /** Runs an ingest batch in the thread, in one transaction of its own (../ingest/batch.ts): one round trip. */
  ingest(jobs: readonly IngestJob[], context: BatchContext): Promise<IngestBatch>;
  close(): Promise<void>;
};

type Waiter = { resolve(r: ThreadReply): void; reject(e: Error): void };

const closed = (): Error => new Error('the store is closed');

function toError(e: { readonly name: string; readonly message: string; readonly code?: string }, file: string): Error {
  if (e.name === 'DatabaseInUse') return new DatabaseInUse(file);
  const error = new Error(e.message) as Error & { code?: string };
  error.name = e.name;
  if (e.code !== undefined) error.code = e.code;
  return error;
}

/** Starts the database thread on `file` (opening and migrating it there); rejects as opening would. */
export async function openSqliteThread(file: string): Promise<SqliteThread> {
  const { port1: port, port2 } = new MessageChannel();
  const worker = spawnWorker(new URL('./sqlite-worker.ts', import.meta.url), { workerData: { file, port: port2 }, transferList: [port2] });
  // The thread never keeps the process alive by itself; a statement in flight does (port.ref below).
  worker.unref();
  port.unref();
  const waiting = new Map<number, Waiter>();
  let nextId = 1;
  let failure: Error | null = null;
  /** Pipelined statements not sent yet: they go with the next one. */
  let before: string[] = [];
  const take = (): string[] => {
    const list = before;
    before = [];
    return list;
  };

  const settle = (m: ThreadReply): void => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (waiting.size === 0) port.unref();
    if ('error' in m) w.reject(toError(m.error, file));
    else w.resolve(m);
  };
  const fail = (e: Error): void => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
    port.unref();
  };
  port.on('message', settle);
  worker.on('error', (e) => fail(e));
  let closing = false;
  // After a close the thread may exit before its answer to the close is read: that is the close, not a failure.
  worker.on('exit', (code) => fail(closing ? closed() : new Error(`the database thread stopped (exit code ${code})`)));

  const expect = (id: number): Promise<ThreadReply> =>
    new Promise<ThreadReply>((resolve, reject) => {
      if (failure) return reject(failure);
      if (waiting.size === 0) port.ref();
      waiting.set(id, { resolve, reject });
    });

  await expect(0);

  const call = (req: ThreadRequest): Promise<ThreadReply> => {
    const answer = expect(req.id);
    if (!failure) port.postMessage(req);
    return answer;
  };
  const rowsOf = (r: ThreadReply): unknown[] => ('rows' in r ? r.rows : []);

  const lock = new ConnectionLock();
  return {
    lock,
    async query(sql, params) {
      if (failure) throw failure;
      if (params.length === 0 && PIPELINED.test(sql)) {
        before.push(sql);
        return { rows: [] };
      }
      const r = await call({ type: 'query', id: nextId++, sql, params, before: take() });
      if ('changes' in r) return { rows: [], numAffectedRows: BigInt(r.changes), insertId: BigInt(r.lastInsertRowid) };
      return { rows: rowsOf(r) };
    },
    async *stream(sql, params, chunk) {
      const stream = nextId++;
      let r = await call({ type: 'stream', id: stream, sql, params, chunk, before: take() });
      let done = 'done' in r && r.done === true;
      try {
        yield { rows: rowsOf(r) };
        while (!done) {
          r = await call({ type: 'next', id: nextId++, stream, chunk });
          done = 'done' in r && r.done === true;
          yield { rows: rowsOf(r) };
        }
      } finally {
        if (!done && !failure) await call({ type: 'end', id: nextId++, stream });
      }
    },
    async ingest(jobs, context) {
      await lock.lock();
      try {
        if (failure) throw failure;
        const r = await call({ type: 'ingest', id: nextId++, jobs, context });
        if (!('batch' in r)) throw new Error('the database thread answered an ingest batch without its results');
        return r.batch;
      } finally {
        lock.unlock();
      }
    },
    async close() {
      if (failure || closing) return;
      closing = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // Until the thread is gone the process must not end: the caller awaits this close (and may go on after it).
      worker.ref();
      await call({ type: 'close', id: nextId++ }).catch(() => undefined);
      fail(closed());
      await exited;
    },
  };
}

/** Kysely's one-connection lock (as its own SqliteDriver's): a transaction, or a batch, keeps the connection to itself. */
export class ConnectionLock {
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;
  async lock(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise<void>((resolve) => (this.#release = resolve));
  }
  unlock(): void {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }
}

class ThreadConnection implements DatabaseConnection {
  constructor(private readonly thread: SqliteThread) {}
  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.thread.query(compiled.sql, compiled.parameters) as Promise<QueryResult<R>>;
  }
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error('the SQLite store streams select queries only');
    yield* this.thread.stream(compiled.sql, compiled.parameters, chunkSize) as AsyncIterableIterator<QueryResult<R>>;
  }
}

class ThreadDriver implements Driver {
  readonly #connection: ThreadConnection;
  constructor(private readonly thread: SqliteThread) {
    this.#connection = new ThreadConnection(thread);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.thread.lock.lock();
    return this.#connection;
  }
  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    this.thread.lock.unlock();
  }
  async destroy(): Promise<void> {
    await this.thread.close();
  }
}

/** Kysely's SQLite dialect over a database thread. */
export class SqliteThreadDialect implements Dialect {
  constructor(private readonly thread: SqliteThread) {}
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new ThreadDriver(this.thread);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
