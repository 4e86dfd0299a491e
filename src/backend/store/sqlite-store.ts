/**
 * The SQLite store (better-sqlite3 through Kysely). Durability: WAL with `synchronous = FULL`, so every
 * commit fsyncs the WAL before it returns; a SIGKILL (or power loss) after an acknowledgement cannot lose
 * the message. Group commit (see ../ingest/group-commit.ts) keeps that fsync cost per batch, not per row.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateSqlite } from './migrations.js';
import { createQueries, createTxQueries } from './queries.js';
import type { Database as Schema } from './schema.js';
import type { Store } from './types.js';

/** Prepared statements kept per SQL text (Kysely prepares on every call otherwise). */
const STATEMENT_CACHE = 500;

/** Opens (and migrates) the SQLite database at `file`. */
export function openSqliteStore(file: string): Store {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  migrateSqlite(raw);

  const statements = new Map<string, Database.Statement>();
  const database = {
    close: () => raw.close(),
    prepare(text: string): Database.Statement {
      let st = statements.get(text);
      if (!st) {
        if (statements.size >= STATEMENT_CACHE) statements.clear();
        st = raw.prepare(text);
        statements.set(text, st);
      }
      return st;
    },
  };
  // One connection: Kysely serialises its use, so a transaction has the database to itself.
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
  return {
    dialect: 'sqlite',
    ...createQueries(db, 'sqlite'),
    transaction: (fn) => db.transaction().execute((trx) => fn(createTxQueries(trx, 'sqlite'))),
    // One writer: every commit is this process's own, published by its event log.
    watchEvents: () => Promise.resolve(() => Promise.resolve()),
    close: () => db.destroy(),
  };
}
