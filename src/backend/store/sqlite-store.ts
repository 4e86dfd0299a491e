/**
 * The SQLite store (better-sqlite3). Durability: WAL with `synchronous = FULL`, so every commit
 * fsyncs the WAL before it returns; a SIGKILL (or power loss) after an acknowledgement cannot lose
 * the message. Group commit (see ../ingest/group-commit.ts) keeps that fsync cost per batch, not per row.
 */
import Database from 'better-sqlite3';
import type { CallHomeMessage } from '../../domain/message.js';
import {
  BackendEventSchema,
  RegistrationStateSchema,
  type BackendEvent,
  type BackendEventInput,
  type CaseSummary,
  type MessageSummary,
  type Transport,
} from '../../events/protocol.js';
import { migrate } from './migrations.js';
import type {
  CaseRecord,
  Contract,
  Device,
  MessageDetail,
  MessageFilter,
  MessageFormat,
  MessageStatus,
  NewMessage,
  NewNotification,
  NotificationRecord,
  ProcessingResults,
  Registration,
  Store,
} from './types.js';

type Row = Record<string, unknown>;

function s(row: Row, key: string): string {
  const v = row[key];
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}
function ns(row: Row, key: string): string | null {
  const v = row[key];
  return v === null || v === undefined ? null : String(v);
}
function n(row: Row, key: string): number {
  return Number(row[key] ?? 0);
}
function json<T>(row: Row, key: string, fallback: T): T {
  const v = row[key];
  if (typeof v !== 'string') return fallback;
  // Written only by this module from typed values.
  return JSON.parse(v) as T;
}

const SUMMARY_COLUMNS = 'id, message_id, serial, hostname, model, type, subtype, alert_group, severity, event_name, description, received_at, transport';

function toSummary(row: Row): MessageSummary {
  return {
    id: n(row, 'id'),
    messageId: s(row, 'message_id'),
    serial: s(row, 'serial'),
    hostname: s(row, 'hostname'),
    model: s(row, 'model'),
    type: s(row, 'type'),
    subType: s(row, 'subtype'),
    alertGroup: s(row, 'alert_group'),
    severity: n(row, 'severity'),
    eventName: s(row, 'event_name'),
    description: s(row, 'description'),
    receivedAt: s(row, 'received_at'),
    transport: s(row, 'transport') as Transport,
  };
}

function toDetail(row: Row): MessageDetail {
  return {
    ...toSummary(row),
    format: s(row, 'format') as MessageFormat,
    remote: ns(row, 'remote'),
    status: s(row, 'status') as MessageStatus,
    fields: json<CallHomeMessage>(row, 'fields', {} as CallHomeMessage),
    attachments: json(row, 'attachments', []),
    results: json<ProcessingResults>(row, 'results', {}),
    raw: s(row, 'raw'),
  };
}

function toRegistration(row: Row): Registration {
  return {
    serial: s(row, 'serial'),
    state: RegistrationStateSchema.parse(row['state']),
    tokenHash: s(row, 'token_hash'),
    failedAttempts: n(row, 'failed_attempts'),
    contractNumber: ns(row, 'contract_number'),
    createdAt: s(row, 'created_at'),
    updatedAt: s(row, 'updated_at'),
    confirmedAt: ns(row, 'confirmed_at'),
    trialEndsAt: ns(row, 'trial_ends_at'),
    lastReminderAt: ns(row, 'last_reminder_at'),
  };
}

function toDevice(row: Row): Device {
  const state = row['state'];
  return {
    serial: s(row, 'serial'),
    hostname: s(row, 'hostname'),
    model: s(row, 'model'),
    series: s(row, 'series'),
    softwareVersion: s(row, 'software_version'),
    contactEmail: s(row, 'contact_email'),
    phoneNumber: s(row, 'phone_number'),
    streetAddress: s(row, 'street_address'),
    customerId: s(row, 'customer_id'),
    siteId: s(row, 'site_id'),
    contractId: s(row, 'contract_id'),
    anonymous: n(row, 'anonymous') === 1,
    notifyEmails: json<string[]>(row, 'notify_emails', []),
    firstSeenAt: s(row, 'first_seen_at'),
    lastMessageAt: s(row, 'last_message_at'),
    lastInventoryAt: ns(row, 'last_inventory_at'),
    lastConfigurationAt: ns(row, 'last_configuration_at'),
    registration: n(row, 'anonymous') === 1 ? 'anonymous' : (RegistrationStateSchema.safeParse(state).data ?? 'pending'),
    trialEndsAt: ns(row, 'trial_ends_at'),
    contractNumber: ns(row, 'contract_number'),
  };
}

function toCase(row: Row): CaseRecord {
  return {
    id: n(row, 'id'),
    number: s(row, 'number'),
    serial: s(row, 'serial'),
    hostname: s(row, 'hostname'),
    status: s(row, 'status') as CaseSummary['status'],
    priority: n(row, 'priority'),
    title: s(row, 'title'),
    openedAt: s(row, 'opened_at'),
    updatedAt: s(row, 'updated_at'),
    rule: s(row, 'rule'),
    foldKey: s(row, 'fold_key'),
    recommendation: s(row, 'recommendation'),
    history: json(row, 'history', []),
    attachments: json(row, 'attachments', []),
  };
}

function caseSummary(c: CaseRecord): CaseSummary {
  return { id: c.id, number: c.number, serial: c.serial, hostname: c.hostname, status: c.status, priority: c.priority, title: c.title, openedAt: c.openedAt, updatedAt: c.updatedAt };
}

function toNotification(row: Row): NotificationRecord {
  return {
    id: n(row, 'id'),
    kind: s(row, 'kind'),
    serial: ns(row, 'serial'),
    to: json<string[]>(row, 'recipients', []),
    subject: s(row, 'subject'),
    body: s(row, 'body'),
    sentAt: s(row, 'sent_at'),
    delivered: n(row, 'delivered') === 1,
    error: ns(row, 'error'),
  };
}

/** Opaque pagination cursor over (receivedAt, id), newest first. */
export function encodeCursor(receivedAt: string, id: number): string {
  return Buffer.from(`${receivedAt}|${id}`, 'utf8').toString('base64url');
}

/** Decodes a cursor; null when it is not one this server made. */
export function decodeCursor(cursor: string): { receivedAt: string; id: number } | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.lastIndexOf('|');
  const id = Number(text.slice(bar + 1));
  if (bar <= 0 || !Number.isInteger(id)) return null;
  return { receivedAt: text.slice(0, bar), id };
}

/** Another process (another `callhome serve`) has the database open. */
export class DatabaseInUse extends Error {
  constructor(readonly file: string) {
    super(`The database ${file} is in use by another process (another callhome serve?); one back end writes one SQLite file.`);
    this.name = 'DatabaseInUse';
  }
}

/**
 * Opens (and migrates) the SQLite database at `file`, for this process alone: SQLite's exclusive
 * locking mode holds the file lock from the first transaction until close, so a second process
 * (another `serve` on the same `--db`) fails at once with {@link DatabaseInUse} instead of racing
 * this one's writes. A crash releases the lock with the process.
 */
export function openSqliteStore(file: string): Store {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (e) {
    db.close();
    if (e instanceof Error && 'code' in e && e.code === 'SQLITE_BUSY') throw new DatabaseInUse(file);
    throw e;
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const stmt = {
    insertMessage: db.prepare(`INSERT OR IGNORE INTO messages (received_at, transport, remote, serial, hostname, model, type, subtype, alert_group, severity, event_name, description, message_id, format, raw, fields, attachments, status)
      VALUES (@receivedAt, @transport, @remote, @serial, @hostname, @model, @type, @subtype, @alertGroup, @severity, @eventName, @description, @messageId, @format, @raw, @fields, @attachments, @status)`),
    setStatus: db.prepare('UPDATE messages SET status = ?, results = ? WHERE id = ?'),
    getMessage: db.prepare('SELECT * FROM messages WHERE id = ?'),
    getSummary: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM messages WHERE id = ?`),
    recent: db.prepare("SELECT description FROM messages WHERE serial = ? AND type = ? AND event_name = ? AND received_at >= ? AND id <> ? AND status = 'processed' ORDER BY id DESC LIMIT 50"),
    byStatus: db.prepare('SELECT * FROM messages WHERE serial = ? AND status = ? ORDER BY id'),
    upsertDevice: db.prepare(`INSERT INTO devices (serial, hostname, model, series, software_version, contact_email, phone_number, street_address, customer_id, site_id, contract_id, anonymous, first_seen_at, last_message_at)
      VALUES (@serial, @hostname, @model, @series, @softwareVersion, @contactEmail, @phoneNumber, @streetAddress, @customerId, @siteId, @contractId, @anonymous, @at, @at)
      ON CONFLICT(serial) DO UPDATE SET
        hostname = CASE WHEN excluded.hostname <> '' THEN excluded.hostname ELSE hostname END,
        model = CASE WHEN excluded.model <> '' THEN excluded.model ELSE model END,
        series = CASE WHEN excluded.series <> '' THEN excluded.series ELSE series END,
        software_version = CASE WHEN excluded.software_version <> '' THEN excluded.software_version ELSE software_version END,
        contact_email = CASE WHEN excluded.contact_email <> '' THEN excluded.contact_email ELSE contact_email END,
        phone_number = CASE WHEN excluded.phone_number <> '' THEN excluded.phone_number ELSE phone_number END,
        street_address = CASE WHEN excluded.street_address <> '' THEN excluded.street_address ELSE street_address END,
        customer_id = CASE WHEN excluded.customer_id <> '' THEN excluded.customer_id ELSE customer_id END,
        site_id = CASE WHEN excluded.site_id <> '' THEN excluded.site_id ELSE site_id END,
        contract_id = CASE WHEN excluded.contract_id <> '' THEN excluded.contract_id ELSE contract_id END,
        anonymous = excluded.anonymous,
        last_message_at = MAX(last_message_at, excluded.last_message_at)`),
    setInventory: db.prepare('UPDATE devices SET last_inventory_at = ?, inventory = ? WHERE serial = ?'),
    setNotifyEmails: db.prepare('UPDATE devices SET notify_emails = ? WHERE serial = ?'),
    setConfiguration: db.prepare('UPDATE devices SET last_configuration_at = ?, configuration = ? WHERE serial = ?'),
    getDevice: db.prepare('SELECT d.*, r.state, r.trial_ends_at, r.contract_number FROM devices d LEFT JOIN registrations r ON r.serial = d.serial WHERE d.serial = ?'),
    listDevices: db.prepare('SELECT d.*, r.state, r.trial_ends_at, r.contract_number FROM devices d LEFT JOIN registrations r ON r.serial = d.serial ORDER BY d.hostname, d.serial'),
    getRegistration: db.prepare('SELECT * FROM registrations WHERE serial = ?'),
    putRegistration: db.prepare(`INSERT INTO registrations (serial, state, token_hash, failed_attempts, contract_number, created_at, updated_at, confirmed_at, trial_ends_at, last_reminder_at)
      VALUES (@serial, @state, @tokenHash, @failedAttempts, @contractNumber, @createdAt, @updatedAt, @confirmedAt, @trialEndsAt, @lastReminderAt)
      ON CONFLICT(serial) DO UPDATE SET state = excluded.state, token_hash = excluded.token_hash, failed_attempts = excluded.failed_attempts,
        contract_number = excluded.contract_number, updated_at = excluded.updated_at, confirmed_at = excluded.confirmed_at,
        trial_ends_at = excluded.trial_ends_at, last_reminder_at = excluded.last_reminder_at`),
    listRegistrations: db.prepare('SELECT * FROM registrations ORDER BY serial'),
    deleteRegistration: db.prepare("UPDATE registrations SET state = 'deleted', updated_at = ? WHERE serial = ? AND state <> 'deleted'"),
    putContract: db.prepare(`INSERT INTO contracts (serial, contract_number, contract_type, company, expires_at) VALUES (@serial, @contractNumber, @contractType, @company, @expiresAt)
      ON CONFLICT(serial) DO UPDATE SET contract_number = excluded.contract_number, contract_type = excluded.contract_type, company = excluded.company, expires_at = excluded.expires_at`),
    getContract: db.prepare('SELECT * FROM contracts WHERE serial = ?'),
    listContracts: db.prepare('SELECT * FROM contracts ORDER BY serial'),
    openCase: db.prepare("SELECT * FROM cases WHERE serial = ? AND fold_key = ? AND status <> 'closed' ORDER BY id DESC LIMIT 1"),
    getCase: db.prepare('SELECT * FROM cases WHERE id = ?'),
    getCaseByNumber: db.prepare('SELECT * FROM cases WHERE number = ?'),
    insertCase: db.prepare(`INSERT INTO cases (serial, hostname, status, priority, title, rule, fold_key, opened_at, updated_at, recommendation, history, attachments)
      VALUES (@serial, @hostname, @status, @priority, @title, @rule, @foldKey, @openedAt, @updatedAt, @recommendation, @history, @attachments)`),
    setCaseNumber: db.prepare('UPDATE cases SET number = ? WHERE id = ?'),
    updateCase: db.prepare('UPDATE cases SET status = @status, priority = @priority, title = @title, updated_at = @updatedAt, recommendation = @recommendation, history = @history, attachments = @attachments WHERE id = @id'),
    listCases: db.prepare('SELECT * FROM cases ORDER BY id DESC'),
    insertNotification: db.prepare('INSERT INTO notifications (kind, serial, recipients, subject, body, sent_at) VALUES (?, ?, ?, ?, ?, ?)'),
    getNotification: db.prepare('SELECT * FROM notifications WHERE id = ?'),
    setDelivery: db.prepare('UPDATE notifications SET delivered = ?, error = ? WHERE id = ?'),
    listNotifications: db.prepare('SELECT * FROM notifications ORDER BY id DESC LIMIT ?'),
    insertEvent: db.prepare('INSERT INTO events (type, at, data) VALUES (?, ?, ?)'),
    setEventData: db.prepare('UPDATE events SET data = ? WHERE seq = ?'),
    eventsSince: db.prepare('SELECT data FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    lastSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM events'),
    deleteEvents: db.prepare('DELETE FROM events WHERE type = ? AND at < ? AND seq < (SELECT MAX(seq) FROM events)'),
  };

  const rows = (st: Database.Statement, ...args: unknown[]): Row[] => st.all(...args) as Row[];
  const row = (st: Database.Statement, ...args: unknown[]): Row | undefined => st.get(...args) as Row | undefined;

  return {
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    insertMessage(m: NewMessage, status: MessageStatus) {
      const msg = m.message;
      const info = stmt.insertMessage.run({
        receivedAt: m.receivedAt,
        transport: m.transport,
        remote: m.remote,
        serial: msg.serialNumber,
        hostname: msg.hostname,
        model: msg.model,
        type: msg.kind,
        subtype: msg.subType,
        alertGroup: msg.kind,
        severity: msg.severity,
        eventName: msg.eventName,
        description: msg.description,
        messageId: msg.messageId,
        format: m.format,
        raw: m.raw,
        fields: JSON.stringify({ ...msg, attachments: undefined }),
        attachments: JSON.stringify(msg.attachments),
        status,
      });
      if (info.changes === 0) return null;
      const stored = row(stmt.getSummary, info.lastInsertRowid);
      return stored ? toSummary(stored) : null;
    },
    setMessageStatus(id, status, results) {
      stmt.setStatus.run(status, JSON.stringify(results), id);
    },
    getMessage(id) {
      const r = row(stmt.getMessage, id);
      return r ? toDetail(r) : null;
    },
    listMessages(f: MessageFilter) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (f.device) {
        where.push('(serial = ? OR hostname = ?)');
        args.push(f.device, f.device);
      }
      if (f.type) {
        where.push('type = ?');
        args.push(f.type);
      }
      if (f.severity !== undefined) {
        where.push('severity >= ?');
        args.push(f.severity);
      }
      if (f.since) {
        where.push('received_at >= ?');
        args.push(f.since);
      }
      if (f.until) {
        where.push('received_at < ?');
        args.push(f.until);
      }
      if (f.q) {
        where.push("(description LIKE ? ESCAPE '\\' OR event_name LIKE ? ESCAPE '\\' OR hostname LIKE ? ESCAPE '\\')");
        const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        args.push(like, like, like);
      }
      if (f.cursor) {
        const c = decodeCursor(f.cursor);
        if (c) {
          where.push('(received_at < ? OR (received_at = ? AND id < ?))');
          args.push(c.receivedAt, c.receivedAt, c.id);
        }
      }
      const sql = `SELECT ${SUMMARY_COLUMNS} FROM messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at DESC, id DESC LIMIT ?`;
      const found = rows(db.prepare(sql), ...args, f.limit + 1).map(toSummary);
      const page = found.slice(0, f.limit);
      const last = page[page.length - 1];
      return { messages: page, next: found.length > f.limit && last ? encodeCursor(last.receivedAt, last.id) : null };
    },
    recentDescriptions(serial, type, eventName, since, exceptId) {
      return rows(stmt.recent, serial, type, eventName, since, exceptId).map((r) => s(r, 'description'));
    },
    messagesByStatus(serial, status) {
      return rows(stmt.byStatus, serial, status).map(toDetail);
    },
    upsertDevice(m, at) {
      stmt.upsertDevice.run({
        serial: m.serialNumber,
        hostname: m.hostname,
        model: m.model,
        series: m.series,
        softwareVersion: m.softwareVersion,
        contactEmail: m.contactEmail,
        phoneNumber: m.phoneNumber,
        streetAddress: m.streetAddress,
        customerId: m.customerId,
        siteId: m.siteId,
        contractId: m.contractId,
        anonymous: isAnonymous(m) ? 1 : 0,
        at,
      });
    },
    setDeviceInventory(serial, at, inventory) {
      stmt.setInventory.run(at, JSON.stringify(inventory), serial);
    },
    setDeviceConfiguration(serial, at, configuration) {
      stmt.setConfiguration.run(at, configuration, serial);
    },
    setDeviceNotifyEmails(serial, emails) {
      return stmt.setNotifyEmails.run(JSON.stringify(emails), serial).changes > 0;
    },
    getDevice(serial) {
      const r = row(stmt.getDevice, serial);
      if (!r) return null;
      return { ...toDevice(r), inventory: json(r, 'inventory', null), configuration: ns(r, 'configuration') };
    },
    listDevices() {
      return rows(stmt.listDevices).map(toDevice);
    },
    getRegistration(serial) {
      const r = row(stmt.getRegistration, serial);
      return r ? toRegistration(r) : null;
    },
    putRegistration(r) {
      stmt.putRegistration.run({ ...r });
    },
    listRegistrations() {
      return rows(stmt.listRegistrations).map(toRegistration);
    },
    deleteRegistration(serial) {
      return stmt.deleteRegistration.run(new Date().toISOString(), serial).changes > 0;
    },
    putContract(c) {
      stmt.putContract.run({ ...c });
    },
    getContract(serial) {
      const r = row(stmt.getContract, serial);
      return r ? toContract(r) : null;
    },
    listContracts() {
      return rows(stmt.listContracts).map(toContract);
    },
    findOpenCase(serial, foldKey) {
      const r = row(stmt.openCase, serial, foldKey);
      return r ? toCase(r) : null;
    },
    getCase(id) {
      const r = row(stmt.getCase, id);
      return r ? toCase(r) : null;
    },
    getCaseByNumber(number) {
      const r = row(stmt.getCaseByNumber, number);
      return r ? toCase(r) : null;
    },
    insertCase(c) {
      const info = stmt.insertCase.run({ ...c, history: JSON.stringify(c.history), attachments: JSON.stringify(c.attachments) });
      const id = Number(info.lastInsertRowid);
      // SR numbers look like TAC's nine-digit numbers; derived from the row id so they are unique.
      stmt.setCaseNumber.run(String(690_000_000 + id), id);
      const r = row(stmt.getCase, id);
      if (!r) throw new Error(`case ${id} vanished after insert`);
      return toCase(r);
    },
    updateCase(c) {
      stmt.updateCase.run({ id: c.id, status: c.status, priority: c.priority, title: c.title, updatedAt: c.updatedAt, recommendation: c.recommendation, history: JSON.stringify(c.history), attachments: JSON.stringify(c.attachments) });
    },
    listCases() {
      return rows(stmt.listCases).map((r) => caseSummary(toCase(r)));
    },
    insertNotification(nn: NewNotification) {
      const info = stmt.insertNotification.run(nn.kind, nn.serial, JSON.stringify(nn.to), nn.subject, nn.body, nn.sentAt);
      const r = row(stmt.getNotification, info.lastInsertRowid);
      if (!r) throw new Error('notification vanished after insert');
      return toNotification(r);
    },
    setNotificationDelivery(id, delivered, error) {
      stmt.setDelivery.run(delivered ? 1 : 0, error, id);
    },
    listNotifications(limit) {
      return rows(stmt.listNotifications, limit).map(toNotification);
    },
    insertEvent(e: BackendEventInput, at: string): BackendEvent {
      const info = stmt.insertEvent.run(e.type, at, '{}');
      const seq = Number(info.lastInsertRowid);
      // The input is already typed; only reads from disk are validated.
      const event: BackendEvent = { ...e, seq, at };
      stmt.setEventData.run(JSON.stringify(event), seq);
      return event;
    },
    eventsSince(seq, limit) {
      return rows(stmt.eventsSince, seq, limit).map((r) => BackendEventSchema.parse(JSON.parse(s(r, 'data'))));
    },
    deleteEvents(type, before) {
      return stmt.deleteEvents.run(type, before).changes;
    },
    lastSeq() {
      return n(row(stmt.lastSeq) ?? {}, 'seq');
    },
    close() {
      db.close();
    },
  };
}

function toContract(r: Row): Contract {
  return { serial: s(r, 'serial'), contractNumber: s(r, 'contract_number'), contractType: s(r, 'contract_type'), company: s(r, 'company'), expiresAt: ns(r, 'expires_at') };
}

/** Anonymous reporting strips identity: an `ANON…` pseudonym for the serial, or no hostname and no contact (ios-call-home.md §10.1). */
export function isAnonymous(m: CallHomeMessage): boolean {
  return /^ANON[0-9A-F]{12}$/.test(m.serialNumber) || (m.hostname === '' && m.contactEmail === '');
}

