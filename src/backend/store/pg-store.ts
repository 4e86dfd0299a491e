/**
 * The PostgreSQL store (pg through Kysely). Several `callhome serve` replicas may share one database:
 * event seqs come from a counter row locked until commit (queries.ts appendEvents), each committing
 * transaction that wrote events sends one NOTIFY, and each replica LISTENs on one dedicated connection.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migratePg } from './migrations.js';
import { createQueries, createTxQueries, EVENTS_CHANNEL } from './queries.js';
import type { Database as Schema } from './schema.js';
import type { Store } from './types.js';

/** How often a replica looks for events it was not told about (a lost NOTIFY, a listener reconnecting). */
const POLL_MS = 1_000;
const RECONNECT_MS = 500;

export type PgStoreOptions = {
  /** Connections in the pool (default 10); LISTEN uses one more. */
  readonly poolSize?: number;
  /** Called when a connection fails outside a query (for logging). */
  readonly onError?: (error: Error) => void;
};

/** True when `db` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** Opens (and migrates) the PostgreSQL database at `url` (postgres://user:pass@host:port/db). */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle connection the server drops must not crash the process; the pool replaces it.
  pool.on('error', (e) => options.onError?.(e));
  try {
    await migratePg(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const giveWay = giveWayOn(pool);
  return {
    dialect: 'postgres',
    ...createQueries(db, 'postgres'),
    giveWay,
    scoped: (scope) => ({ ...createQueries(db, 'postgres', scope), giveWay }),
    transaction: (fn) => db.transaction().execute((trx) => fn(createTxQueries(trx, 'postgres'))),
    watchEvents: (onCommit) => Promise.resolve(watch(url, onCommit, options.onError)),
    close: () => db.destroy(),
  };
}

/**
 * pgexport (issue 14): `giveWay` over the pool. A connection in use or a query waiting for one is other work
 * in flight (the LISTEN connection is not the pool's); the caller's own queries have finished when it asks.
 * Waiters are woken when a connection comes back and the pool has gone quiet, or when their time is up.
 */
function giveWayOn(pool: pg.Pool): (maxMs: number) => Promise<void> {
  const busy = (): boolean => pool.waitingCount > 0 || pool.totalCount > pool.idleCount;
  const waiters = new Set<() => void>();
  // 'release' is emitted before the connection is idle again (or handed to a waiter): look on the next turn.
  pool.on('release', () => {
    if (waiters.size > 0) setImmediate(() => !busy() && [...waiters].forEach((wake) => wake()));
  });
  return (maxMs) =>
    new Promise<void>((resolve) => {
      if (!busy()) return resolve();
      const wake = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, maxMs);
      waiters.add(wake);
    });
}

/** LISTEN on a dedicated connection, re-established when lost, with a poll as the fall-back. */
function watch(url: string, onCommit: () => void, onError?: (e: Error) => void): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  const connect = (): void => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    const lost = (e?: Error): void => {
      if (e) onError?.(e);
      if (client !== c) return;
      client = null;
      c.end().catch(() => undefined);
      if (!stopped) retry = setTimeout(connect, RECONNECT_MS);
    };
    c.on('notification', () => onCommit());
    c.on('error', lost);
    c.on('end', () => lost());
    c.connect()
      .then(() => c.query(`LISTEN ${EVENTS_CHANNEL}`))
      // Whatever was committed while the listener was away is read now.
      .then(() => onCommit())
      .catch(lost);
  };
  connect();
  const poll = setInterval(onCommit, POLL_MS);
  poll.unref();
  return async () => {
    stopped = true;
    clearInterval(poll);
    clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}
