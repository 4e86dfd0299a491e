/** Numbered schema migrations; `PRAGMA user_version` records how many have run. */
import type Database from 'better-sqlite3';

/** Each entry moves the schema from version i to i + 1. Never edit a released entry; append. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    transport TEXT NOT NULL,
    remote TEXT,
    serial TEXT NOT NULL,
    hostname TEXT NOT NULL,
    model TEXT NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT NOT NULL,
    alert_group TEXT NOT NULL,
    severity INTEGER NOT NULL,
    event_name TEXT NOT NULL,
    description TEXT NOT NULL,
    message_id TEXT NOT NULL,
    format TEXT NOT NULL,
    raw TEXT NOT NULL,
    fields TEXT NOT NULL,
    attachments TEXT NOT NULL,
    status TEXT NOT NULL,
    results TEXT NOT NULL DEFAULT '{}'
  );
  CREATE UNIQUE INDEX messages_serial_msgid ON messages(serial, message_id) WHERE message_id <> '';
  CREATE INDEX messages_received ON messages(received_at DESC, id DESC);
  CREATE INDEX messages_serial ON messages(serial, received_at DESC);
  CREATE TABLE devices (
    serial TEXT PRIMARY KEY,
    hostname TEXT NOT NULL,
    model TEXT NOT NULL,
    series TEXT NOT NULL,
    software_version TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    street_address TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    contract_id TEXT NOT NULL,
    anonymous INTEGER NOT NULL DEFAULT 0,
    notify_emails TEXT NOT NULL DEFAULT '[]',
    first_seen_at TEXT NOT NULL,
    last_message_at TEXT NOT NULL,
    last_inventory_at TEXT,
    last_configuration_at TEXT,
    inventory TEXT,
    configuration TEXT
  );
  CREATE TABLE registrations (
    serial TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    contract_number TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    confirmed_at TEXT,
    trial_ends_at TEXT,
    last_reminder_at TEXT
  );
  CREATE TABLE contracts (
    serial TEXT PRIMARY KEY,
    contract_number TEXT NOT NULL,
    contract_type TEXT NOT NULL,
    company TEXT NOT NULL,
    expires_at TEXT
  );
  CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT UNIQUE,
    serial TEXT NOT NULL,
    hostname TEXT NOT NULL,
    status TEXT NOT NULL,
    priority INTEGER NOT NULL,
    title TEXT NOT NULL,
    rule TEXT NOT NULL,
    fold_key TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    history TEXT NOT NULL DEFAULT '[]',
    attachments TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX cases_open ON cases(serial, fold_key, status);
  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    serial TEXT,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0,
    error TEXT
  );
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL
  );
  `,
];

/** Runs the migrations the database has not seen yet, each in its own transaction. */
export function migrate(db: Database.Database): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > MIGRATIONS.length) {
    throw new Error(`The database schema is version ${current}, newer than this callhome (${MIGRATIONS.length}). Upgrade callhome or use another --db file.`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    const sql = MIGRATIONS[v] ?? '';
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
