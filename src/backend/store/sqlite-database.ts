/**
 * Opening a SQLite file for the store: the pragmas, the migrations and a statement cache. Shared by the
 * in-thread store (sqlite-store.ts: tests, the benchmark's single-thread baseline) and the database thread
 * (sqlite-worker.ts) that owns the connection of a running back end.
 */
import Database from 'better-sqlite3';
import { migrateSqlite } from './migrations.js';

/** Prepared statements kept per SQL text (Kysely prepares on every call otherwise). */
const STATEMENT_CACHE = 500;

/** Another process (another `callhome serve`) has the database open. */
export class DatabaseInUse extends Error {
  constructor(readonly file: string) {
    super(`The database ${file} is in use by another process (another callhome serve?); one back end writes one SQLite file.`);
    this.name = 'DatabaseInUse';
  }
}

/** An open database: better-sqlite3's, with prepared statements cached by SQL text. */
export type SqliteDatabase = {
  readonly raw: Database.Database;
  prepare(text: string): Database.Statement;
  close(): void;
};

/**
 * Opens (and migrates) the SQLite database at `file`, for this process alone: SQLite's exclusive
 * locking mode holds the file lock from the first transaction until close, so a second process
 * (another `serve` on the same `--db`) fails at once with {@link DatabaseInUse} instead of racing
 * this one's writes. A crash releases the lock with the process. (Several replicas need PostgreSQL.)
 * Durability: WAL with `synchronous = FULL`, so every commit fsyncs the WAL before it returns.
 */
export function openSqliteDatabase(file: string): SqliteDatabase {
  const raw = new Database(file);
  try {
    raw.pragma('busy_timeout = 0');
    raw.pragma('locking_mode = EXCLUSIVE');
    raw.pragma('journal_mode = WAL');
    raw.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (e) {
    raw.close();
    if (e instanceof Error && 'code' in e && e.code === 'SQLITE_BUSY') throw new DatabaseInUse(file);
    throw e;
  }
  raw.pragma('synchronous = FULL');
  // 64 MiB of page cache instead of SQLite's 2 MiB: at a million messages the indexes an insert updates and
  // a page reads stay in memory (the fill of bench:store slowed down several times past 200,000 rows without it).
  raw.pragma('cache_size = -65536');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  migrateSqlite(raw);
  // Table statistics for the query planner (which index answers a filter), sampled so this stays quick.
  raw.pragma('analysis_limit = 1000');
  raw.pragma('optimize = 0x10002');

  const statements = new Map<string, Database.Statement>();
  return {
    raw,
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
}
