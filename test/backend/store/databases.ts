/** The two databases the store contract runs on: a temp SQLite file and a database in a throw-away PostgreSQL cluster. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PgCluster } from '../../support/postgres.js';

export type DatabaseKind = 'sqlite' | 'postgres';
export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres'];

/** Hands out fresh `--db` values of one kind; `close` removes them all. */
export type Databases = { fresh(): Promise<string>; close(): Promise<void> };

let counter = 0;

export async function databases(kind: DatabaseKind): Promise<Databases> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'callhome-store-'));
    return { fresh: () => Promise.resolve(join(dir, `db${++counter}.sqlite`)), close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
  }
  const cluster: PgCluster = await startPostgres();
  return { fresh: () => cluster.createDatabase(`callhome${++counter}`), close: () => cluster.stop() };
}
