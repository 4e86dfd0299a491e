/** Opens the store `--db` names: a postgres:// URL is PostgreSQL, anything else a SQLite file. */
import { isPostgresUrl, openPgStore, type PgStoreOptions } from './pg-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

export async function openStore(db: string, options: PgStoreOptions = {}): Promise<Store> {
  return isPostgresUrl(db) ? openPgStore(db, options) : openSqliteStore(db);
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
