/**
 * The bulk fill of `npm run bench:store`: set-up, not the thing measured. The schema comes from the
 * store's own migrations (the store opens and closes the database first); then the message indexes (and,
 * on SQLite, the full-text triggers) are dropped, the rows written in large transactions (SQLite: a
 * prepared multi-row INSERT; PostgreSQL: INSERT … SELECT FROM unnest(arrays), the next best thing to COPY
 * with `pg` alone), and every index dropped is rebuilt from its own definition, read back from the
 * database before it was dropped — so the filled database has exactly the schema a deployment has.
 * The rows are the store's own (`messageRow`), so they are what the ingest would have written.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { messageRow } from '../src/backend/store/queries.js';
import type { MessageStatus, NewMessage } from '../src/backend/store/types.js';

export type FillRow = { message: NewMessage; status: MessageStatus };

/** The `messages` columns the bulk path writes, in messageRow's order. */
const COLUMNS = ['received_at', 'transport', 'remote', 'serial', 'hostname', 'model', 'type', 'subtype', 'alert_group', 'severity', 'event_name', 'description', 'message_id', 'format', 'raw', 'content_hash', 'fields', 'attachments', 'status'] as const;

/** Rows per transaction. */
const TRANSACTION_ROWS = 50_000;
/** Rows per SQLite INSERT statement: 19 parameters each, inside SQLite's 32,766. */
const SQLITE_ROWS_PER_INSERT = 1_000;
/** Rows per PostgreSQL INSERT … unnest: one array parameter per column, so any count fits. */
const PG_ROWS_PER_INSERT = 10_000;

export type FillTimes = { insertSeconds: number; indexSeconds: number };

function values(r: FillRow): unknown[] {
  const row = messageRow(r.message, r.status) as Record<string, unknown>;
  return COLUMNS.map((c) => row[c] ?? null);
}

const progress = (done: number, n: number, started: number): void => {
  if (done % 200_000 === 0 || done === n) process.stdout.write(`  inserted ${done} / ${n} (${Math.round(done / ((performance.now() - started) / 1000))} rows/s, indexes off)\n`);
};

/** Bulk-loads `n` rows (`row(i)`) into a migrated SQLite file. */
export function bulkFillSqlite(file: string, n: number, row: (i: number) => FillRow): FillTimes {
  const db = new Database(file);
  try {
    // Set-up only: a crash here loses a bench database, nothing else.
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const dropped = db.prepare<[], { name: string; type: string; sql: string }>("SELECT name, type, sql FROM sqlite_master WHERE tbl_name = 'messages' AND type IN ('index', 'trigger') AND sql IS NOT NULL").all();
    for (const d of dropped) db.exec(`DROP ${d.type === 'index' ? 'INDEX' : 'TRIGGER'} ${d.name}`);
    const placeholders = (rows: number): string => Array.from({ length: rows }, () => `(${COLUMNS.map(() => '?').join(',')})`).join(',');
    const insertMany = db.prepare(`INSERT INTO messages (${COLUMNS.join(',')}) VALUES ${placeholders(SQLITE_ROWS_PER_INSERT)}`);
    const started = performance.now();
    for (let from = 0; from < n; from += TRANSACTION_ROWS) {
      const to = Math.min(n, from + TRANSACTION_ROWS);
      db.transaction(() => {
        for (let i = from; i < to; i += SQLITE_ROWS_PER_INSERT) {
          const count = Math.min(SQLITE_ROWS_PER_INSERT, to - i);
          const params = Array.from({ length: count }, (_, k) => values(row(i + k))).flat();
          (count === SQLITE_ROWS_PER_INSERT ? insertMany : db.prepare(`INSERT INTO messages (${COLUMNS.join(',')}) VALUES ${placeholders(count)}`)).run(...params);
        }
      })();
      progress(to, n, started);
    }
    const inserted = performance.now();
    for (const d of dropped.filter((x) => x.type === 'index')) db.exec(d.sql);
    // The external-content FTS table is rebuilt from the rows, then its triggers come back.
    db.exec("INSERT INTO messages_text(messages_text) VALUES ('rebuild')");
    for (const d of dropped.filter((x) => x.type === 'trigger')) db.exec(d.sql);
    db.exec('ANALYZE');
    return { insertSeconds: (inserted - started) / 1000, indexSeconds: (performance.now() - inserted) / 1000 };
  } finally {
    db.close();
  }
}

/** Bulk-loads `n` rows into a migrated PostgreSQL database, two connections writing at once. */
export async function bulkFillPg(url: string, n: number, row: (i: number) => FillRow): Promise<FillTimes> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const dropped = (await pool.query<{ indexname: string; indexdef: string }>("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'messages' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)")).rows;
    for (const d of dropped) await pool.query(`DROP INDEX ${d.indexname}`);
    const types = await pool.query<{ column_name: string; data_type: string }>("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'messages'");
    const typeOf = new Map(types.rows.map((t) => [t.column_name, t.data_type === 'integer' || t.data_type === 'bigint' ? t.data_type : 'text']));
    const insert = `INSERT INTO messages (${COLUMNS.join(',')}) SELECT * FROM unnest(${COLUMNS.map((c, i) => `$${i + 1}::${typeOf.get(c) ?? 'text'}[]`).join(',')})`;
    const started = performance.now();
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      const client = await pool.connect();
      try {
        while (next < n) {
          const from = next;
          next = Math.min(n, next + TRANSACTION_ROWS);
          const to = next;
          await client.query('BEGIN');
          for (let i = from; i < to; i += PG_ROWS_PER_INSERT) {
            const count = Math.min(PG_ROWS_PER_INSERT, to - i);
            const arrays: unknown[][] = COLUMNS.map(() => new Array<unknown>(count));
            for (let k = 0; k < count; k++) values(row(i + k)).forEach((v, c) => ((arrays[c] as unknown[])[k] = v));
            await client.query(insert, arrays);
          }
          await client.query('COMMIT');
          done += to - from;
          progress(done, n, started);
        }
      } finally {
        client.release();
      }
    };
    await Promise.all([worker(), worker()]);
    const inserted = performance.now();
    // Two index builds at a time, each with room to sort in memory.
    const queue = [...dropped];
    const builder = async (): Promise<void> => {
      const client = await pool.connect();
      try {
        await client.query("SET maintenance_work_mem = '256MB'");
        for (let d = queue.shift(); d; d = queue.shift()) await client.query(d.indexdef);
      } finally {
        client.release();
      }
    };
    await Promise.all([builder(), builder()]);
    await pool.query('VACUUM ANALYZE messages');
    return { insertSeconds: (inserted - started) / 1000, indexSeconds: (performance.now() - inserted) / 1000 };
  } finally {
    await pool.end();
  }
}
