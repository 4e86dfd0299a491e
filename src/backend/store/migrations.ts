/**
 * Numbered schema migrations, one list per dialect (the DDL differs; the queries do not).
 * SQLite records how many have run in `PRAGMA user_version`, PostgreSQL in `schema_version`.
 * Never edit a released entry; append.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool } from 'pg';

/**
 * entitlement: back-office fixtures (service contracts, the serials they cover, installed base with
 * warranty), per-user token lock-out, add-contract requests, and what a registration rests on. The old
 * per-serial contracts rows move into them; the old table is left in place (no longer read), and the
 * accounts view of each device's company now reads the contract or installed-base company from them.
 * The same SQL on both dialects, so it is written once.
 */
const ENTITLEMENT_SCHEMA = `
  CREATE TABLE ent_contracts (
    number TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    company TEXT NOT NULL,
    expires_at TEXT,
    remote_support INTEGER NOT NULL,
    families TEXT NOT NULL DEFAULT '[]'
  );
  CREATE TABLE ent_coverage (
    contract_number TEXT NOT NULL,
    serial TEXT NOT NULL,
    PRIMARY KEY (contract_number, serial)
  );
  CREATE INDEX ent_coverage_serial ON ent_coverage(serial);
  CREATE TABLE ent_installed_base (
    serial TEXT PRIMARY KEY,
    family TEXT NOT NULL,
    pid TEXT NOT NULL,
    company TEXT NOT NULL,
    warranty_expires_at TEXT,
    warranty_company TEXT NOT NULL
  );
  CREATE TABLE ent_lockouts (
    user_id TEXT PRIMARY KEY,
    failed INTEGER NOT NULL,
    locked_at TEXT
  );
  CREATE TABLE ent_contract_requests (
    cco_id TEXT NOT NULL,
    contract_number TEXT NOT NULL,
    serial TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    PRIMARY KEY (cco_id, contract_number, serial)
  );
  ALTER TABLE registrations ADD COLUMN coverage TEXT;
  ALTER TABLE registrations ADD COLUMN coverage_ends_at TEXT;
  ALTER TABLE registrations ADD COLUMN registered_by TEXT;
  ALTER TABLE registrations ADD COLUMN warned_days INTEGER;
  ALTER TABLE registrations ADD COLUMN refusal_code TEXT;
  ALTER TABLE registrations ADD COLUMN refusal_reason TEXT;
  INSERT INTO ent_installed_base (serial, family, pid, company, warranty_expires_at, warranty_company)
    SELECT serial, '', '', company, NULL, company FROM contracts;
  INSERT INTO ent_contracts (number, type, company, expires_at, remote_support, families)
    SELECT contract_number, CASE WHEN lower(max(contract_type)) IN ('cbr', 'partner-branded', 'other') THEN lower(max(contract_type)) ELSE 'direct' END, max(company), max(expires_at), 1, '[]'
    FROM contracts WHERE contract_number <> '' GROUP BY contract_number;
  INSERT INTO ent_coverage (contract_number, serial) SELECT contract_number, serial FROM contracts WHERE contract_number <> '';
  UPDATE registrations SET coverage = CASE WHEN state = 'trial' OR trial_ends_at IS NOT NULL THEN 'trial' ELSE 'contract' END
    WHERE state IN ('registered', 'trial', 'expired');
  DROP VIEW device_companies;
  CREATE VIEW device_companies AS
    SELECT d.serial AS serial,
      COALESCE(d.company, NULLIF((SELECT min(c.company) FROM ent_coverage v JOIN ent_contracts c ON c.number = v.contract_number WHERE v.serial = d.serial AND c.company <> ''), ''), NULLIF(b.company, '')) AS company
    FROM devices d LEFT JOIN ent_installed_base b ON b.serial = d.serial;
  `;

/** The triggers that keep SQLite's text index (an external-content FTS5 table) in step with `messages`. */
const MESSAGES_TEXT_TRIGGERS = `CREATE TRIGGER messages_text_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_text(rowid, description, event_name, hostname) VALUES (new.id, new.description, new.event_name, new.hostname);
  END;
  CREATE TRIGGER messages_text_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_text(messages_text, rowid, description, event_name, hostname) VALUES ('delete', old.id, old.description, old.event_name, old.hostname);
  END;`;

/** Each entry moves the SQLite schema from version i to i + 1. */
export const SQLITE_MIGRATIONS: readonly string[] = [
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
  // Event seqs come from a counter row updated in the writing transaction (the same design as PostgreSQL's).
  `
  CREATE TABLE event_seq (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL);
  INSERT INTO event_seq (id, last) SELECT 1, COALESCE(MAX(seq), 0) FROM events;
  `,
  // An index per filter (each ends in the list order, so a page is read in order), a trigram text index,
  // and one on event time for the retention purge.
  `
  DROP INDEX messages_serial;
  CREATE INDEX messages_serial ON messages(serial, received_at DESC, id DESC);
  CREATE INDEX messages_hostname ON messages(hostname, received_at DESC, id DESC);
  CREATE INDEX messages_type ON messages(type, received_at DESC, id DESC);
  CREATE INDEX messages_severity ON messages(severity, received_at DESC, id DESC);
  CREATE INDEX events_at ON events(at);
  CREATE VIRTUAL TABLE messages_text USING fts5(description, event_name, hostname, content='messages', content_rowid='id', tokenize='trigram');
  INSERT INTO messages_text(messages_text) VALUES ('rebuild');
  ${MESSAGES_TEXT_TRIGGERS}
  `,
  // Issue 11: a resend is a duplicate only with the same message ID and the same content (its SHA-256);
  // a different body under a known ID is stored, with a flag. Flags mark what a message claims but does not prove.
  `
  ALTER TABLE messages ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
  ALTER TABLE messages ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
  DROP INDEX messages_serial_msgid;
  CREATE UNIQUE INDEX messages_serial_msgid_hash ON messages(serial, message_id, content_hash) WHERE message_id <> '';
  CREATE INDEX messages_serial_msgid ON messages(serial, message_id);
  `,
  // Issue 17: the Transport Gateway registry (S81–S83); passwords as scrypt hashes only.
  `
  CREATE TABLE gateways (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    password_set_at TEXT NOT NULL,
    previous_hash TEXT,
    previous_valid_until TEXT,
    registered_at TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    last_seen_at TEXT
  );
  `,
  // accounts: companies, CCO users, roles per company, hashed personal API tokens, the audit log (issue 15,
  // S24–S32, S93); the company a device was confirmed for; the company of each device as one view.
  `
  CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT,
    sch_admin INTEGER NOT NULL DEFAULT 0,
    case_management INTEGER NOT NULL DEFAULT 1,
    profile_company TEXT,
    profile_contracts TEXT NOT NULL DEFAULT '[]',
    agreement_version TEXT,
    agreement_accepted_at TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE memberships (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id TEXT NOT NULL REFERENCES companies(id),
    role TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (user_id, company_id)
  );
  CREATE INDEX memberships_company ON memberships(company_id, role);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    created_from TEXT
  );
  CREATE INDEX api_tokens_user ON api_tokens(user_id);
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    company TEXT,
    remote TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX audit_company ON audit(company, id DESC);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  ALTER TABLE devices ADD COLUMN company TEXT;
  CREATE INDEX devices_company ON devices(company, serial);
  CREATE INDEX contracts_company ON contracts(company, serial);
  CREATE VIEW device_companies AS
    SELECT d.serial AS serial, COALESCE(d.company, NULLIF(c.company, '')) AS company
    FROM devices d LEFT JOIN contracts c ON c.serial = d.serial;
  `,
  // gateway: the company a gateway belongs to (event scoping, S66) and its last status report (S96).
  `
  ALTER TABLE gateways ADD COLUMN company TEXT;
  ALTER TABLE gateways ADD COLUMN status TEXT;
  ALTER TABLE gateways ADD COLUMN status_published_at TEXT;
  `,
  // sr-notify: device preferences (S58, S61, S68, SR contact); independent of the other helpers' entries.
  `
  CREATE TABLE IF NOT EXISTS device_preferences (
    serial TEXT PRIMARY KEY,
    notifications INTEGER NOT NULL DEFAULT 1,
    service_requests INTEGER NOT NULL DEFAULT 1,
    sr_contact TEXT,
    registrant TEXT,
    remove_hostname INTEGER NOT NULL DEFAULT 0,
    reply_to TEXT,
    updated_at TEXT NOT NULL
  );
  `,
  // entitlement: back-office fixtures, lock-out, contract requests (ENTITLEMENT_SCHEMA, the same on both dialects).
  ENTITLEMENT_SCHEMA,
  // store: type and severity together (issue 14), as PostgreSQL has had since its scale entry: a severity
  // filter is read a level at a time in time order (queries.ts firstRows), and with a type the levels come
  // from this index instead of every row of the type (0.9 s at 1,000,000 messages for a pair matching nothing).
  // With it, the type of a company's devices (a user's scope, a company filter), read per serial.
  `
  CREATE INDEX IF NOT EXISTS messages_type_severity ON messages(type, severity, received_at DESC, id DESC);
  CREATE INDEX IF NOT EXISTS messages_serial_type ON messages(serial, type, received_at DESC, id DESC);
  `,
  // ingest: large bodies stored packed (packed-body.ts), so a 3 MiB message is a few hundred KiB to write and fsync.
  `
  ALTER TABLE messages ADD COLUMN packed BLOB;
  `,
  // tidy: `--device` / ?device= matches the host name in any case (queries.ts): the host-name index is on
  // lower(hostname), in place of the exact one only that filter read (so ingest keeps one host-name index).
  `
  DROP INDEX IF EXISTS messages_hostname;
  CREATE INDEX IF NOT EXISTS messages_hostname_ci ON messages(lower(hostname), received_at DESC, id DESC);
  `,
  // ingest: a message ID reused under other content (queries.ts messageIdTaken) is looked up in the unique index on
  // (serial, message ID, content hash): the index on (serial, message ID) alone cost every insert its upkeep.
  `
  DROP INDEX IF EXISTS messages_serial_msgid;
  `,
  // ingest: the text index keeps no positions (detail=none). With them, a message's insert cost grew with the
  // table: 137 µs at 2,000 messages, 655 µs at 42,000 (FTS5 merging position lists of trigrams every row holds);
  // without them 129-185 µs over the same range. Searches read it with LIKE (queries.ts ftsCandidates). Rebuilt from
  // the messages here, once (bench:store rebuilds it for 1,000,000 messages within its 15 s of indexes).
  `
  DROP TRIGGER IF EXISTS messages_text_insert;
  DROP TRIGGER IF EXISTS messages_text_delete;
  DROP TABLE IF EXISTS messages_text;
  CREATE VIRTUAL TABLE messages_text USING fts5(description, event_name, hostname, content='messages', content_rowid='id', tokenize='trigram', detail='none');
  INSERT INTO messages_text(messages_text) VALUES ('rebuild');
  ${MESSAGES_TEXT_TRIGGERS}
  `,
  // mail limits: the counts behind the limits on mail to addresses from messages (mail-sends-queries.ts).
  `
  CREATE TABLE IF NOT EXISTS mail_sends (key TEXT NOT NULL, at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS mail_sends_key ON mail_sends(key, at);
  `,
];

/** Each entry moves the PostgreSQL schema from version i to i + 1. */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE messages (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
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
    seq BIGINT PRIMARY KEY,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE TABLE event_seq (id INTEGER PRIMARY KEY CHECK (id = 1), last BIGINT NOT NULL);
  INSERT INTO event_seq (id, last) VALUES (1, 0);
  `,
  // As SQLite's third migration: an index per filter, trigram text search (pg_trgm is a trusted extension:
  // the database owner may create it), event time for the retention purge.
  `
  DROP INDEX messages_serial;
  CREATE INDEX messages_serial ON messages(serial, received_at DESC, id DESC);
  CREATE INDEX messages_hostname ON messages(hostname, received_at DESC, id DESC);
  CREATE INDEX messages_type ON messages(type, received_at DESC, id DESC);
  CREATE INDEX messages_severity ON messages(severity, received_at DESC, id DESC);
  CREATE INDEX events_at ON events(at);
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX messages_text ON messages USING gin ((description || ' ' || event_name || ' ' || hostname) gin_trgm_ops);
  `,
  // Issue 11: a resend is a duplicate only with the same message ID and the same content (its SHA-256);
  // a different body under a known ID is stored, with a flag. Flags mark what a message claims but does not prove.
  `
  ALTER TABLE messages ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
  ALTER TABLE messages ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
  DROP INDEX messages_serial_msgid;
  CREATE UNIQUE INDEX messages_serial_msgid_hash ON messages(serial, message_id, content_hash) WHERE message_id <> '';
  CREATE INDEX messages_serial_msgid ON messages(serial, message_id);
  `,
  // Issue 17: the Transport Gateway registry (S81–S83); passwords as scrypt hashes only.
  `
  CREATE TABLE gateways (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    password_set_at TEXT NOT NULL,
    previous_hash TEXT,
    previous_valid_until TEXT,
    registered_at TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    last_seen_at TEXT
  );
  `,
  // accounts: companies, CCO users, roles per company, hashed personal API tokens, the audit log (issue 15,
  // S24–S32, S93); the company a device was confirmed for; the company of each device as one view.
  `
  CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT,
    sch_admin INTEGER NOT NULL DEFAULT 0,
    case_management INTEGER NOT NULL DEFAULT 1,
    profile_company TEXT,
    profile_contracts TEXT NOT NULL DEFAULT '[]',
    agreement_version TEXT,
    agreement_accepted_at TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE memberships (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id TEXT NOT NULL REFERENCES companies(id),
    role TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (user_id, company_id)
  );
  CREATE INDEX memberships_company ON memberships(company_id, role);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    created_from TEXT
  );
  CREATE INDEX api_tokens_user ON api_tokens(user_id);
  CREATE TABLE audit (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    company TEXT,
    remote TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX audit_company ON audit(company, id DESC);
  CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
  CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
  ALTER TABLE devices ADD COLUMN company TEXT;
  CREATE INDEX devices_company ON devices(company, serial);
  CREATE INDEX contracts_company ON contracts(company, serial);
  CREATE VIEW device_companies AS
    SELECT d.serial AS serial, COALESCE(d.company, NULLIF(c.company, '')) AS company
    FROM devices d LEFT JOIN contracts c ON c.serial = d.serial;
  `,
  // gateway: the company a gateway belongs to (event scoping, S66) and its last status report (S96).
  `
  ALTER TABLE gateways ADD COLUMN company TEXT;
  ALTER TABLE gateways ADD COLUMN status TEXT;
  ALTER TABLE gateways ADD COLUMN status_published_at TEXT;
  `,
  // scale: type and severity together (issue 14). With the type index alone, a type + severity filter that
  // matches few rows read every row of that type from the table to check its severity (EXPLAIN ANALYZE at
  // 1,000,000 messages: 83,000 rows, 2.2 s). The two columns are correlated (a kind of message comes with its
  // own severities), which per-column statistics cannot see: the planner needs their joint statistics to know
  // that such a filter matches few rows and to take the index. SQLite answers it from its severity index.
  `
  CREATE INDEX messages_type_severity ON messages(type, severity, received_at DESC, id DESC);
  CREATE STATISTICS messages_type_severity_stats (mcv) ON type, severity FROM messages;
  `,
  // sr-notify: device preferences (S58, S61, S68, SR contact); independent of the other helpers' entries.
  `
  CREATE TABLE IF NOT EXISTS device_preferences (
    serial TEXT PRIMARY KEY,
    notifications INTEGER NOT NULL DEFAULT 1,
    service_requests INTEGER NOT NULL DEFAULT 1,
    sr_contact TEXT,
    registrant TEXT,
    remove_hostname INTEGER NOT NULL DEFAULT 0,
    reply_to TEXT,
    updated_at TEXT NOT NULL
  );
  `,
  // entitlement: back-office fixtures, lock-out, contract requests (ENTITLEMENT_SCHEMA, the same on both dialects).
  ENTITLEMENT_SCHEMA,
  // ingest: large bodies stored packed (packed-body.ts), as SQLite's entry of the same name.
  `
  ALTER TABLE messages ADD COLUMN packed bytea;
  `,
  // tidy: `--device` / ?device= matches the host name in any case (queries.ts): the host-name index is on
  // lower(hostname), in place of the exact one only that filter read (so ingest keeps one host-name index).
  `
  DROP INDEX IF EXISTS messages_hostname;
  CREATE INDEX IF NOT EXISTS messages_hostname_ci ON messages(lower(hostname), received_at DESC, id DESC);
  `,
  // ingest: a message ID reused under other content (queries.ts messageIdTaken) is looked up in the unique index on
  // (serial, message ID, content hash): the index on (serial, message ID) alone cost every insert its upkeep.
  `
  DROP INDEX IF EXISTS messages_serial_msgid;
  `,
  // mail limits, as SQLite's entry of the same name.
  `
  CREATE TABLE IF NOT EXISTS mail_sends (key TEXT NOT NULL, at BIGINT NOT NULL);
  CREATE INDEX IF NOT EXISTS mail_sends_key ON mail_sends(key, at);
  `,
];

function tooNew(current: number, known: number, where: string): Error {
  return new Error(`The database schema is version ${current}, newer than this callhome (${known}). Upgrade callhome or use another ${where}.`);
}

/** Runs the SQLite migrations the file has not seen yet, each in its own transaction. */
export function migrateSqlite(db: BetterSqlite3.Database): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > SQLITE_MIGRATIONS.length) throw tooNew(current, SQLITE_MIGRATIONS.length, '--db file');
  for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
    const text = SQLITE_MIGRATIONS[v] ?? '';
    db.transaction(() => {
      db.exec(text);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** Runs the PostgreSQL migrations not yet applied; an advisory lock lets replicas start at the same time. */
export async function migratePg(pool: Pool): Promise<void> {
  // ingest: imported here, not at the top, so the SQLite database thread (sqlite-worker.ts) loads no query code.
  const { lockKey } = await import('./queries.js');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey('lock:migrate')]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const found = await client.query<{ version: number }>('SELECT version FROM schema_version');
    const current = found.rows[0]?.version ?? 0;
    if (current > PG_MIGRATIONS.length) throw tooNew(current, PG_MIGRATIONS.length, '--db database');
    for (let v = current; v < PG_MIGRATIONS.length; v++) await client.query(PG_MIGRATIONS[v] ?? '');
    if (found.rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES ($1)', [PG_MIGRATIONS.length]);
    else await client.query('UPDATE schema_version SET version = $1', [PG_MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
