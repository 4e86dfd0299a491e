/**
 * Entry of the database thread (sqlite-thread.ts): owns the SQLite connection of a running back end and runs
 * the SQL the main thread's Kysely compiled, one statement at a time, in arrival order; and whole ingest
 * batches (../ingest/batch.ts) through a Kysely of its own over the same connection.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { batchProcessingContext, runIngestBatch } from '../ingest/batch.js';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite-database.js';
import { storeOnDatabase } from './sqlite-store.js';
import type { ThreadReply, ThreadRequest } from './sqlite-thread.js';
import type { Store } from './types.js';

const { file, port } = workerData as { file: string; port: MessagePort };

function reply(m: ThreadReply): void {
  port.postMessage(m);
}

function describe(e: unknown): { name: string; message: string; code?: string } {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const code = 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  return { name: e.name, message: e.message, ...(code !== undefined ? { code } : {}) };
}

let db: SqliteDatabase;
try {
  db = openSqliteDatabase(file);
} catch (e) {
  reply({ id: 0, error: describe(e) });
  port.close();
  throw e;
}
reply({ id: 0, rows: [] });

/** The store ingest batches run on, made at the first batch. */
let batchStore: Store | null = null;

/**
 * Runs a batch. Its awaits resolve within this turn of the thread's loop (the statements are synchronous under
 * Kysely's promises), and the main thread holds the connection's lock until the answer: nothing comes between.
 */
function ingest(req: Extract<ThreadRequest, { type: 'ingest' }>): void {
  batchStore ??= storeOnDatabase(db);
  runIngestBatch(batchStore, batchProcessingContext(req.context), req.jobs).then(
    (batch) => reply({ id: req.id, batch }),
    (e: unknown) => reply({ id: req.id, error: describe(e) }),
  );
}

/** Open streams (a select read a chunk at a time), by the id of the request that opened them. */
const streams = new Map<number, Iterator<unknown>>();

function chunk(stream: number, id: number, it: Iterator<unknown>, size: number): void {
  const rows: unknown[] = [];
  let done = false;
  while (rows.length < size) {
    const r = it.next();
    if (r.done) {
      done = true;
      break;
    }
    rows.push(r.value);
  }
  if (done) streams.delete(stream);
  reply({ id, rows, done });
}

port.on('message', (req: ThreadRequest) => {
  try {
    switch (req.type) {
      case 'query': {
        for (const sql of req.before) db.prepare(sql).run();
        const st = db.prepare(req.sql);
        if (st.reader) reply({ id: req.id, rows: st.all(req.params) });
        else {
          const r = st.run(req.params);
          reply({ id: req.id, changes: r.changes, lastInsertRowid: r.lastInsertRowid });
        }
        return;
      }
      case 'stream': {
        for (const sql of req.before) db.prepare(sql).run();
        const it = db.prepare(req.sql).iterate(req.params);
        streams.set(req.id, it);
        chunk(req.id, req.id, it, req.chunk);
        return;
      }
      case 'next': {
        const it = streams.get(req.stream);
        if (!it) reply({ id: req.id, error: { name: 'Error', message: 'no such stream' } });
        else chunk(req.stream, req.id, it, req.chunk);
        return;
      }
      case 'end': {
        streams.get(req.stream)?.return?.();
        streams.delete(req.stream);
        reply({ id: req.id, rows: [] });
        return;
      }
      case 'ingest':
        ingest(req);
        return;
      case 'close':
        for (const it of streams.values()) it.return?.();
        db.close();
        reply({ id: req.id, rows: [] });
        port.close();
        return;
      default:
        req satisfies never;
    }
  } catch (e) {
    if (req.type === 'next') streams.delete(req.stream);
    if (req.type === 'stream') streams.delete(req.id);
    reply({ id: req.id, error: describe(e) });
  }
});
