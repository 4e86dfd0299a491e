/**
 * The SQLite store (better-sqlite3 through Kysely). Two execution models over one definition of the queries:
 * - {@link openSqliteThreadStore} (what `openStore` and so `callhome serve` use): a database thread owns the
 *   connection (sqlite-thread.ts), so no query, commit or fsync runs on the event loop's thread.
 * - {@link openSqliteStore}: the connection on the calling thread, synchronous under its promises (tests
 *   that want a store without a thread, and bench:ingest's single-thread baseline).
 * Durability: WAL with `synchronous = FULL` (sqlite-database.ts); group commit (../ingest/group-commit.ts)
 * keeps that fsync cost per batch, not per row.
 */
import { Kysely, SqliteDialect, type Dialect } from 'kysely';
import { createQueries, createTxQueries } from './queries.js';
import type { Database as Schema } from './schema.js';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite-database.js';
import { openSqliteThread, SqliteThreadDialect } from './sqlite-thread.js';
import type { Store } from './types.js';

export { DatabaseInUse } from './sqlite-database.js';

function storeOver(dialect: Dialect): Store {
  // One connection: Kysely serialises its use, so a transaction has the database to itself.
  const db = new Kysely<Schema>({ dialect });
  return {
    dialect: 'sqlite',
    ...createQueries(db, 'sqlite'),
    scoped: (scope) => createQueries(db, 'sqlite', scope),
    transaction: (fn) => db.transaction().execute((trx) => fn(createTxQueries(trx, 'sqlite'))),
    // One writer: every commit is this process's own, published by its event log.
    watchEvents: () => Promise.resolve(() => Promise.resolve()),
    close: () => db.destroy(),
  };
}

/** A store over a database opened on this thread (also the database thread's own, for ingest batches). */
export function storeOnDatabase(database: SqliteDatabase): Store {
  return storeOver(new SqliteDialect({ database }));
}

/** Opens (and migrates) the SQLite database at `file` on the calling thread. */
export function openSqliteStore(file: string): Store {
  return storeOnDatabase(openSqliteDatabase(file));
}

/** Opens (and migrates) the SQLite database at `file` in a database thread of its own, which also runs ingest batches. */
export async function openSqliteThreadStore(file: string): Promise<Store> {
  const thread = await openSqliteThread(file);
  return { ...storeOver(new SqliteThreadDialect(thread)), runIngestBatch: (jobs, context) => thread.ingest(jobs, context) };
}
