/**
 * The gateway's durable store (S85): one SQLite file in the queue directory. WAL with
 * `synchronous = FULL`, so a message is on disk (fsynced) when `add` returns — only then is the
 * device's post answered 200, its mail 250, or its mailbox copy deleted.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** How the message reached the gateway; it is forwarded in the same form (an XML body or the whole mail). */
export type IntakeKind = 'xml' | 'mail';
/** `queued`: waits for forwarding; `held`: waits for `gateway send|drop`; `refused`: the service said no (4xx). */
export type EntryState = 'queued' | 'held' | 'refused';

export type QueueEntry = {
  readonly id: number;
  readonly kind: IntakeKind;
  readonly body: Buffer;
  /** The device's message ID (empty for short text, which carries none). */
  readonly messageId: string;
  readonly serial: string;
  readonly subject: string;
  /** http, https, email or mailbox. */
  readonly source: string;
  readonly receivedAt: string;
  readonly state: EntryState;
  readonly attempts: number;
  readonly lastError: string | null;
};

export type NewEntry = Pick<QueueEntry, 'kind' | 'body' | 'messageId' | 'serial' | 'subject' | 'source'> & { readonly receivedAt?: string };

export type QueueCounts = Readonly<Record<EntryState, number>> & { readonly bytes: number };

export type Queue = {
  /** Stores one message durably and returns its queue ID. */
  add(entry: NewEntry): number;
  /** Queued entries whose next attempt is due, oldest first. */
  due(nowMs: number, limit: number): QueueEntry[];
  /** Forwarded: gone from the store. */
  forwarded(id: number): void;
  /** Not forwarded this time; tried again after `nextAttemptMs`. */
  retryLater(id: number, nextAttemptMs: number, error: string): void;
  /** Moves entries to `state` with a reason (held, refused). */
  setState(ids: readonly number[], state: EntryState, reason: string | null): number;
  list(state?: EntryState): QueueEntry[];
  get(id: number): QueueEntry | undefined;
  /** Deletes entries (manual drop); returns how many went. */
  drop(ids: readonly number[]): number;
  /** Queued entries received before `isoTime` become held (S85: older than 3 hours wait for manual action). */
  holdOlderThan(isoTime: string, reason: string): QueueEntry[];
  /** Deletes every entry received before `isoTime` (S85: purged after 2 days). */
  purgeOlderThan(isoTime: string): QueueEntry[];
  counts(): QueueCounts;
  /** A small key/value table for the gateway's own state (its ID, the Send flag). */
  setting(key: string): string | undefined;
  setSetting(key: string, value: string): void;
  close(): void;
};

type Row = { id: number; kind: IntakeKind; body: Buffer; message_id: string; serial: string; subject: string; source: string; received_at: string; state: EntryState; attempts: number; last_error: string | null };

const toEntry = (r: Row): QueueEntry => ({ id: r.id, kind: r.kind, body: r.body, messageId: r.message_id, serial: r.serial, subject: r.subject, source: r.source, receivedAt: r.received_at, state: r.state, attempts: r.attempts, lastError: r.last_error });

/** The queue file inside `dir`. */
export function queueFile(dir: string): string {
  return join(dir, 'gateway-queue.db');
}

/** Opens (creating) the queue in `dir`. `callhome gateway held|send|drop` open the same file while the gateway runs (WAL). */
export function openQueue(dir: string): Queue {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = new Database(queueFile(dir));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 2000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS queue (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL, body BLOB NOT NULL, message_id TEXT NOT NULL, serial TEXT NOT NULL,
      subject TEXT NOT NULL, source TEXT NOT NULL, received_at TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_ms INTEGER NOT NULL DEFAULT 0, last_error TEXT);
    CREATE INDEX IF NOT EXISTS queue_due ON queue (state, next_attempt_ms, id);
    CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  const insert = db.prepare('INSERT INTO queue (kind, body, message_id, serial, subject, source, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const due = db.prepare<[number, number], Row>("SELECT * FROM queue WHERE state = 'queued' AND next_attempt_ms <= ? ORDER BY id LIMIT ?");
  const del = db.prepare('DELETE FROM queue WHERE id = ?');
  const retry = db.prepare('UPDATE queue SET attempts = attempts + 1, next_attempt_ms = ?, last_error = ? WHERE id = ?');
  const setState = db.prepare('UPDATE queue SET state = ?, last_error = ?, next_attempt_ms = 0 WHERE id = ?');
  const get = db.prepare<[number], Row>('SELECT * FROM queue WHERE id = ?');
  const all = db.prepare<[], Row>('SELECT * FROM queue ORDER BY id');
  const byState = db.prepare<[string], Row>('SELECT * FROM queue WHERE state = ? ORDER BY id');
  const olderQueued = db.prepare<[string], Row>("SELECT * FROM queue WHERE state = 'queued' AND received_at < ? ORDER BY id");
  const older = db.prepare<[string], Row>('SELECT * FROM queue WHERE received_at < ? ORDER BY id');
  const counts = db.prepare<[], { state: EntryState; n: number; bytes: number }>('SELECT state, COUNT(*) AS n, COALESCE(SUM(LENGTH(body)), 0) AS bytes FROM queue GROUP BY state');
  const getSetting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const putSetting = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const moveAll = db.transaction((ids: readonly number[], state: EntryState, reason: string | null) => ids.reduce((n, id) => n + setState.run(state, reason, id).changes, 0));
  const dropAll = db.transaction((ids: readonly number[]) => ids.reduce((n, id) => n + del.run(id).changes, 0));
  const holdOld = db.transaction((iso: string, reason: string) => {
    const rows = olderQueued.all(iso);
    for (const r of rows) setState.run('held', reason, r.id);
    return rows.map((r) => toEntry({ ...r, state: 'held', last_error: reason }));
  });
  const purgeOld = db.transaction((iso: string) => {
    const rows = older.all(iso);
    for (const r of rows) del.run(r.id);
    return rows.map(toEntry);
  });
  return {
    add: (e) => Number(insert.run(e.kind, e.body, e.messageId, e.serial, e.subject, e.source, e.receivedAt ?? new Date().toISOString()).lastInsertRowid),
    due: (now, limit) => due.all(now, limit).map(toEntry),
    forwarded: (id) => void del.run(id),
    retryLater: (id, next, error) => void retry.run(next, error, id),
    setState: (ids, state, reason) => moveAll(ids, state, reason),
    list: (state) => (state ? byState.all(state) : all.all()).map(toEntry),
    get: (id) => {
      const r = get.get(id);
      return r ? toEntry(r) : undefined;
    },
    drop: (ids) => dropAll(ids),
    holdOlderThan: (iso, reason) => holdOld(iso, reason),
    purgeOlderThan: (iso) => purgeOld(iso),
    counts: () => {
      const c = { queued: 0, held: 0, refused: 0, bytes: 0 };
      for (const r of counts.all()) {
        c[r.state] = r.n;
        c.bytes += r.bytes;
      }
      return c;
    },
    setting: (key) => getSetting.get(key)?.value,
    setSetting: (key, value) => void putSetting.run(key, value),
    close: () => db.close(),
  };
}
