/** Opens the store `--db` names: a postgres:// URL is PostgreSQL, anything else a SQLite file. */
import { isPostgresUrl, openPgStore, type PgStoreOptions } from './pg-store.js';
import { openSqliteStore, openSqliteThreadStore } from './sqlite-store.js';
import type { Store } from './types.js';

export type OpenStoreOptions = PgStoreOptions & {
  /** SQLite on the calling thread instead of a database thread of its own (bench:ingest's comparison). */
  readonly sqliteOnMainThread?: boolean;
};

/** A SQLite file is served by a database thread (sqlite-thread.ts), so no statement blocks the event loop. */
export async function openStore(db: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(db)) return openPgStore(db, options);
  return options.sqliteOnMainThread === true ? openSqliteStore(db) : openSqliteThreadStore(db);
}

/** `--db` as it may be printed: a PostgreSQL URL's password is masked. */
export function describeDb(db: string): string {
  if (!isPostgresUrl(db)) return db;
  try {
    const url = new URL(db);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
