/**
 * The queries of the Store port, defined once with Kysely and run on SQLite or PostgreSQL. The few
 * places where the dialects differ (case-insensitive LIKE, locks) are switched on `dialect` here.
 */
import { createHash } from 'node:crypto';
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { readConfigurationColumn, readInventoryColumn } from '../../domain/device-records.js';
import type { CallHomeMessage } from '../../domain/message.js';
import { BackendEventSchema, RegistrationStateSchema, type BackendEvent, type CaseSummary, type MessageSummary, type Transport } from '../../events/protocol.js';
import { createGatewayQueries, type GatewayQueries } from '../gateway/registry-queries.js';
import { createEntitlementQueries, type EntitlementQueries } from './entitlement-queries.js';
// sr-notify
import { createPreferencesQueries, type PreferencesQueries } from './preferences-queries.js';
import { createMailSendsQueries, type MailSendsQueries } from './mail-sends-queries.js';
import { eventSerial, withCompany } from '../accounts/audience.js';
import { createAccountsQueries, serialInScope } from './accounts-queries.js';
import { queryTemplate } from './query-template.js';
import type { Database, DevicesTable, MessagesTable } from './schema.js';
import { asBuffer, contentHash, unpackBody } from './packed-body.js';
import type {
  MessageFlag,
  CaseRecord,
  Device,
  DeviceDetail,
  MessageDetail,
  MessageFilter,
  MessageFormat,
  MessageStatus,
  NewMessage,
  ProcessingResults,
  NotificationRecord,
  Registration,
  AccountsQueries,
  Scope,
  Searched,
  StoreQueries,
  StoreTx,
} from './types.js';

export type Dialect = 'sqlite' | 'postgres';
type Db = Kysely<Database> | Transaction<Database>;
type Row = Record<string, unknown>;

/** PostgreSQL refuses a statement with more bind parameters than this. */
export const PG_MAX_PARAMS = 65_535;

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

const SUMMARY_COLUMNS = ['id', 'message_id', 'serial', 'hostname', 'model', 'type', 'subtype', 'alert_group', 'severity', 'event_name', 'description', 'received_at', 'transport'] as const;
/** The columns of a list page (the history's adds status and results). */
type ListColumn = (typeof SUMMARY_COLUMNS)[number] | 'status' | 'results';

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
  const packed = row['packed'];
  const body = packed instanceof Uint8Array ? unpackBody(packed, n(row, 'id')) : null;
  return {
    ...toSummary(row),
    format: s(row, 'format') as MessageFormat,
    remote: ns(row, 'remote'),
    status: s(row, 'status') as MessageStatus,
    fields: json<CallHomeMessage>(row, 'fields', {} as CallHomeMessage),
    attachments: body ? body.attachments : json(row, 'attachments', []),
    results: json(row, 'results', {}),
    raw: body ? body.raw : s(row, 'raw'),
    flags: json<MessageFlag[]>(row, 'flags', []),
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
    ...entitlementColumns(row),
  };
}

/** entitlement: what a registration rests on, its warnings and its last refusal. */
function entitlementColumns(row: Row): Pick<Registration, 'coverage' | 'coverageEndsAt' | 'registeredBy' | 'warnedDays' | 'refusal'> {
  const code = ns(row, 'refusal_code');
  return {
    coverage: (ns(row, 'coverage') as Registration['coverage']) ?? null,
    coverageEndsAt: ns(row, 'coverage_ends_at'),
    registeredBy: ns(row, 'registered_by'),
    warnedDays: row['warned_days'] === null || row['warned_days'] === undefined ? null : n(row, 'warned_days'),
    refusal: code === null ? null : { code, reason: s(row, 'refusal_reason') },
  };
}

function toDevice(row: Row): Device {
  const anonymous = n(row, 'anonymous') === 1;
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
    anonymous,
    notifyEmails: json<string[]>(row, 'notify_emails', []),
    firstSeenAt: s(row, 'first_seen_at'),
    lastMessageAt: s(row, 'last_message_at'),
    lastInventoryAt: ns(row, 'last_inventory_at'),
    lastConfigurationAt: ns(row, 'last_configuration_at'),
    registration: anonymous ? 'anonymous' : (RegistrationStateSchema.safeParse(row['state']).data ?? 'pending'),
    trialEndsAt: ns(row, 'trial_ends_at'),
    contractNumber: ns(row, 'contract_number'),
    coverageEndsAt: ns(row, 'coverage_ends_at'),
    registrationRefusal: ns(row, 'refusal_code'),
    company: ns(row, 'owner'),
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

/** Anonymous reporting strips identity: an `ANON…` pseudonym for the serial, or no hostname and no contact (ios-call-home.md §10.1). */
export function isAnonymous(m: CallHomeMessage): boolean {
  return /^ANON[0-9A-F]{12}$/.test(m.serialNumber) || (m.hostname === '' && m.contactEmail === '');
}

/** A 63-bit advisory-lock key for a name (PostgreSQL advisory locks take a bigint). */
export function lockKey(name: string): string {
  return (createHash('sha256').update(name).digest().readBigInt64BE(0) & 0x7fff_ffff_ffff_ffffn).toString();
}

/**
 * store: a serial list with this many messages or more is checked row by row along another index rather than
 * read from the serial index and sorted (SQLite). Near the square root of (page × table): at 1,000,000
 * messages sorting 10,000 rows costs about what scanning for a page among 1 % of the rows does.
 */
const SERIALS_PROBE = 10_000;

/** The highest Call Home severity (the parsers clamp to 0–9); a severity filter's levels run up to it. */
const MAX_SEVERITY = 9;

/** A text term with more matches in its trigram index than this is checked row by row instead. */
const TEXT_PROBE = 2_000;

/**
 * store (issue 14): the rows one page's row-by-row text search examines at most (`windowed`), per database.
 * The cost is reading those rows (about 1.2 KB each, spread over the table), and on a walk through older
 * pages they are not cached: at 200,000 messages, load 5.7, a cold window of 5,000 took 18–23 ms on SQLite
 * but 80–90 ms on PostgreSQL (each row a heap block read into its shared buffers). At 1,000,000 on a quiet
 * machine a walk with 2,000 on PostgreSQL had its slowest page at 57 ms (median 18.5), hence 1,500. With these a
 * page stays under 50 ms on both (bench:store walks every page of such a search); the search goes on from `next`.
 */
export const SEARCH_WINDOW: Readonly<Record<Dialect, number>> = { sqlite: 5_000, postgres: 1_500 };

/** A place in the list order (newest first). */
type Position = { readonly receivedAt: string; readonly id: number };

/** Whether `a` was received before `b` (comes after it in the list; the id breaks a tie). */
function olderThan(a: Position, b: Position): boolean {
  return a.receivedAt === b.receivedAt ? a.id < b.id : a.receivedAt < b.receivedAt;
}

/** How a page's filter is read: the text (index or row by row), a serial list, a user's scope on PostgreSQL. */
type Plan = { readonly text: 'trigram' | 'scan'; readonly serials: 'index' | 'check'; readonly inScope: readonly string[] | null };

/**
 * One page of `found` (the first rows, one more than a page when there is a next) and its `next` cursor:
 * after the page's last row when it is full, else where the search stopped short (`stop`), else none.
 */
function pageOf<R extends Row>(found: readonly R[], limit: number, stop: Position | null): { page: R[]; next: string | null; searched: Searched } {
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  if (found.length > limit && last) return { page, next: encodeCursor(s(last, 'received_at'), n(last, 'id')), searched: { complete: true } };
  if (stop) return { page, next: encodeCursor(stop.receivedAt, stop.id), searched: { complete: false, through: stop.receivedAt } };
  return { page, next: null, searched: { complete: true } };
}

/**
 * The rows of the FTS5 trigram table (SQLite) holding a substring, in any of its columns, in any case. A LIKE on
 * its columns, not a phrase query: the table keeps no positions (detail=none, see migrations.ts), so the index
 * finds the rows with every trigram of the term and FTS5 checks each against its text.
 */
function ftsCandidates(q: string) {
  const pattern = `%${q}%`;
  return sql`SELECT rowid FROM messages_text WHERE description LIKE ${pattern} OR event_name LIKE ${pattern} OR hostname LIKE ${pattern}`;
}

/** Bind parameters per message row (19 columns): 1000 rows stay far inside PostgreSQL's 65,535. */
const MESSAGE_ROWS_PER_INSERT = 1000;

/** A new message as a `messages` row (exported for bench:store's bulk fill, which writes the same rows). */
export function messageRow(m: NewMessage, status: MessageStatus) {
  const msg = m.message;
  return {
    received_at: m.receivedAt,
    transport: m.transport,
    remote: m.remote,
    serial: msg.serialNumber,
    hostname: msg.hostname,
    model: msg.model,
    type: msg.kind,
    subtype: msg.subType,
    alert_group: msg.kind,
    severity: msg.severity,
    event_name: msg.eventName,
    description: msg.description,
    message_id: msg.messageId,
    format: m.format,
    // A large body comes packed from the parse pool (packed-body.ts): its text and attachments are in `packed`.
    raw: m.packed ? '' : m.raw,
    // With serial and message ID, what makes a resend a duplicate (issue 11).
    content_hash: m.packed ? m.packed.contentHash : contentHash(m.raw),
    fields: JSON.stringify({ ...msg, attachments: undefined }),
    attachments: m.packed ? '[]' : JSON.stringify(msg.attachments),
    packed: m.packed ? asBuffer(m.packed.bytes) : null,
    status,
  };
}

/** Device columns a message may fill in; an empty value keeps what is stored. */
const DEVICE_TEXT = ['hostname', 'model', 'series', 'software_version', 'contact_email', 'phone_number', 'street_address', 'customer_id', 'site_id', 'contract_id'] as const;

/** The devices row a message writes (upsertDevice). */
function deviceRow(m: CallHomeMessage, at: string) {
  return {
    serial: m.serialNumber,
    hostname: m.hostname,
    model: m.model,
    series: m.series,
    software_version: m.softwareVersion,
    contact_email: m.contactEmail,
    phone_number: m.phoneNumber,
    street_address: m.streetAddress,
    customer_id: m.customerId,
    site_id: m.siteId,
    contract_id: m.contractId,
    anonymous: isAnonymous(m) ? 1 : 0,
    first_seen_at: at,
    last_message_at: at,
  };
}

// The statements every ingested message runs, as templates (query-template.ts): built and compiled once.
const INSERT_MESSAGE = queryTemplate<ReturnType<typeof messageRow>, Pick<MessagesTable, (typeof SUMMARY_COLUMNS)[number]>>((db, { slots }) =>
  db.insertInto('messages').values(slots).onConflict((oc) => oc.doNothing()).returning(SUMMARY_COLUMNS),
);
const MESSAGE_ID_TAKEN = queryTemplate<{ serial: string; messageId: string; exceptId: number }, { id: number }>((db, { slot }) =>
  // The literal `message_id <> ''` lets the partial unique index on (serial, message_id, content_hash) answer.
  db.selectFrom('messages').select('id').where('serial', '=', slot('serial')).where('message_id', '=', slot('messageId')).where(sql<SqlBool>`message_id <> ''`).where('id', '<>', slot('exceptId')).limit(1),
);
const DEVICE_IDENTITY = queryTemplate<{ serial: string }, Pick<DevicesTable, 'hostname' | 'contact_email' | 'phone_number' | 'street_address' | 'customer_id' | 'site_id' | 'contract_id'>>((db, { slot }) =>
  db.selectFrom('devices').select(['hostname', 'contact_email', 'phone_number', 'street_address', 'customer_id', 'site_id', 'contract_id']).where('serial', '=', slot('serial')),
);
/** A device's text column keeps what is stored when a message leaves it empty. */
const keepStored = (col: (typeof DEVICE_TEXT)[number]) => sql<string>`CASE WHEN ${sql.ref(`excluded.${col}`)} <> '' THEN ${sql.ref(`excluded.${col}`)} ELSE ${sql.ref(`devices.${col}`)} END`;
const UPSERT_DEVICE = queryTemplate<ReturnType<typeof deviceRow>, never>((db, { slots }) =>
  db
    .insertInto('devices')
    .values(slots)
    .onConflict((oc) =>
      oc.column('serial').doUpdateSet({
        ...Object.fromEntries(DEVICE_TEXT.map((c) => [c, keepStored(c)])),
        anonymous: sql<number>`excluded.anonymous`,
        last_message_at: sql<string>`CASE WHEN excluded.last_message_at > devices.last_message_at THEN excluded.last_message_at ELSE devices.last_message_at END`,
      }),
    ),
);

/**
 * The queries over `db` (the database or an open transaction). With a `scope` (accounts, issue 15) the
 * reads of devices, messages, registrations, contracts, cases and notifications see only those companies.
 */
export function createQueries(db: Db, dialect: Dialect, scope: Scope = null): StoreQueries {
  const like = dialect === 'postgres' ? 'ilike' : 'like';
  const TRUE = sql<SqlBool>`1 = 1`;
  /** The scope as a predicate on a serial column (always true without a scope). */
  const bySerial = (column: string): Expression<SqlBool> => serialInScope(scope, column) ?? TRUE;
  const deviceRows = () =>
    db
      .selectFrom('devices as d')
      .leftJoin('registrations as r', 'r.serial', 'd.serial')
      .selectAll('d')
      .select(['r.state', 'r.trial_ends_at', 'r.contract_number', 'r.coverage_ends_at', 'r.refusal_code'])
      // A scalar subquery, not a join: SQLite cannot flatten the view (itself a join) into the right side of a
      // LEFT JOIN, so it built the view for every device on each call (a scan of all devices per message ingested).
      .select((eb) => eb.selectFrom('device_companies as dc').select('dc.company').whereRef('dc.serial', '=', 'd.serial').as('owner'))
      .where(bySerial('d.serial'));

  const messages: Pick<StoreQueries, 'insertMessage' | 'flagMessage' | 'messageIdTaken' | 'importMessages' | 'setMessageStatus' | 'getMessage' | 'listMessages' | 'listHistory' | 'purgeBefore'> = {
    async insertMessage(m, status) {
      const row = (await INSERT_MESSAGE.run(db, dialect, messageRow(m, status))).rows[0];
      return row ? toSummary(row) : null;
    },
    async importMessages(list) {
      let stored = 0;
      for (let i = 0; i < list.length; i += MESSAGE_ROWS_PER_INSERT) {
        const chunk = list.slice(i, i + MESSAGE_ROWS_PER_INSERT).map((x) => messageRow(x.message, x.status));
        const r = await db.insertInto('messages').values(chunk).onConflict((oc) => oc.doNothing()).executeTakeFirst();
        stored += Number(r.numInsertedOrUpdatedRows ?? 0);
      }
      return stored;
    },
    async flagMessage(id, flags) {
      const r = await db.selectFrom('messages').select('flags').where('id', '=', id).executeTakeFirst();
      const now = new Set<MessageFlag>([...json<MessageFlag[]>(r ?? {}, 'flags', []), ...flags]);
      await db.updateTable('messages').set({ flags: JSON.stringify([...now]) }).where('id', '=', id).execute();
    },
    async messageIdTaken(serial, messageId, exceptId) {
      if (messageId === '') return false;
      return (await MESSAGE_ID_TAKEN.run(db, dialect, { serial, messageId, exceptId })).rows.length > 0;
    },
    async setMessageStatus(id, status, results) {
      await db.updateTable('messages').set({ status, results: JSON.stringify(results) }).where('id', '=', id).execute();
    },
    async getMessage(id) {
      const r = await db.selectFrom('messages').selectAll().where('id', '=', id).where(bySerial('serial')).executeTakeFirst();
      return r ? toDetail(r) : null;
    },
    async listMessages(f: MessageFilter) {
      const { rows, stop } = await firstRows(f, SUMMARY_COLUMNS);
      const { page, next, searched } = pageOf(rows, f.limit, stop);
      return { messages: page.map(toSummary), next, searched };
    },
    async listHistory(f: MessageFilter) {
      const { rows, stop } = await firstRows(f, [...SUMMARY_COLUMNS, 'status', 'results']);
      const { page, next, searched } = pageOf(rows, f.limit, stop);
      return { rows: page.map((r) => ({ ...toSummary(r), status: s(r, 'status') as MessageStatus, results: json<ProcessingResults>(r, 'results', {}) })), next, searched };
    },
    async purgeBefore(cutoff, batch) {
      // Oldest first, a small batch per statement: each one holds locks (and, on SQLite, the event loop) briefly.
      const old = db.selectFrom('messages').select('id').where('received_at', '<', cutoff).orderBy('received_at').limit(batch);
      const messages = await db.deleteFrom('messages').where('id', 'in', old).executeTakeFirst();
      const oldEvents = db.selectFrom('events').select('seq').where('at', '<', cutoff).orderBy('seq').limit(batch);
      const events = await db.deleteFrom('events').where('seq', 'in', oldEvents).executeTakeFirst();
      return { messages: Number(messages.numDeletedRows), events: Number(events.numDeletedRows) };
    },
  };

  /**
   * How to search text (a case-insensitive substring of description, event name or host name). SQLite: an
   * FTS5 trigram table; PostgreSQL: a pg_trgm GIN index. A term with fewer than TEXT_PROBE matches is looked
   * up in that index ('trigram'; SQLite sorts its matches, PostgreSQL's planner chooses). A commoner one, or
   * one under 3 characters (no trigram), is checked row by row ('scan') over a bounded search window (see
   * `windowed`): alone it fills a page quickly, but with a filter it never meets it would read every row.
   */
  async function textPlan(q: string | undefined): Promise<'trigram' | 'scan'> {
    if (q === undefined || q === '') return 'trigram';
    // Under three characters there is no trigram; on SQLite neither between the term's own % and _ (wildcards to
    // the index's LIKE, which would then read the whole index).
    if ([...q].length < 3 || (dialect === 'sqlite' && Math.max(...q.split(/[%_]/).map((run) => [...run].length)) < 3)) return 'scan';
    if (dialect === 'postgres') {
      // The planner's own estimate (a counting probe builds the index's whole bitmap: 30 ms and more for a
      // term in 1 % of a million rows). It is what decides its plan: a term it deems rare is read from the
      // trigram index; one it deems common would be looked for along another index, unbounded.
      const r = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>`EXPLAIN (FORMAT JSON) SELECT 1 FROM messages WHERE ${textMatch(q, 'scan')}`.execute(db);
      return (r.rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0) >= TEXT_PROBE ? 'scan' : 'trigram';
    }
    // The FTS table streams its matches (as `id IN (…)` it would collect them all first).
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM (${ftsCandidates(q)} LIMIT ${TEXT_PROBE})`.execute(db);
    return Number(r.rows[0]?.n ?? 0) >= TEXT_PROBE ? 'scan' : 'trigram';
  }

  function textMatch(q: string, plan: 'trigram' | 'scan'): Expression<SqlBool> {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const exact = sql<SqlBool>`(description || ' ' || event_name || ' ' || hostname) ${sql.raw(like)} ${pattern} ESCAPE '\\'`;
    if (plan !== 'trigram' || dialect !== 'sqlite') return exact;
    const indexed = sql<SqlBool>`id IN (${ftsCandidates(q)})`;
    // A % or _ in the term is a wildcard to the index's LIKE (it takes no ESCAPE): those candidates are checked exactly.
    return /[%_]/.test(q) ? sql<SqlBool>`${indexed} AND ${exact}` : indexed;
  }

  /**
   * store (issue 14): how to use a list of serials (a company, a part of a host name or serial; the
   * companies a user's scope allows: the same for every request of a company's user). A list whose
   * messages are few is read from the serial index and sorted; one with many (a company's hundreds of
   * devices) is checked row by row along the other indexes, which find a page in time order — SQLite's
   * planner cannot size a JSON list and sorted 100,000 rows for a company's first page (1.3 s).
   */
  async function serialsPlan(serials: readonly string[] | undefined, type: string | undefined): Promise<'index' | 'check'> {
    if (dialect !== 'sqlite' || (serials === undefined && scope === null) || serials?.length === 0 || scope?.length === 0) return 'index';
    const inList = serials === undefined ? TRUE : sql<SqlBool>`serial IN (SELECT value FROM json_each(${JSON.stringify(serials)}))`;
    // With a type, the (serial, type) index counts only that type: a company that never sends it is read, not scanned for.
    const ofType = type === undefined ? TRUE : sql<SqlBool>`type = ${type}`;
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM messages WHERE ${bySerial('serial')} AND ${inList} AND ${ofType} LIMIT ${SERIALS_PROBE})`.execute(db);
    return Number(r.rows[0]?.n ?? 0) >= SERIALS_PROBE ? 'check' : 'index';
  }

  /**
   * The first rows of a filter's page, and where its search stopped short (null: it did not). store (issue
   * 14): a severity filter is a minimum, so its rows come from several levels of the (severity, time) and
   * (type, severity, time) indexes; each level is read in time order with its own limit and the levels
   * merged, so a page costs a few index reads whether the levels hold many rows or none (read as one range,
   * they were all sorted or scanned: 0.9 s at 1,000,000 messages for a type + severity that matched nothing).
   * A device filter is selective on its own.
   */
  async function firstRows(f: MessageFilter, columns: readonly ListColumn[]): Promise<{ rows: Row[]; stop: Position | null }> {
    const [text, serials, inScope] = await Promise.all([textPlan(f.q), serialsPlan(f.serials, f.type), scopeSerials()]);
    const plan: Plan = { text, serials, inScope };
    const min = f.severity ?? 0;
    const levels = min <= 0 || f.device || min > MAX_SEVERITY ? [undefined] : Array.from({ length: MAX_SEVERITY - min + 1 }, (_, i) => min + i);
    if (f.q && text === 'scan') return windowed(f, f.q, columns, plan, levels);
    if (levels.length === 1) return { rows: await filtered(f, plan, { level: levels[0] }).select(columns).execute(), stop: null };
    const branches = levels.map((level, i) => sql`SELECT * FROM (${filtered(f, plan, { level }).select(columns)}) AS ${sql.raw(`l${i}`)}`);
    const r = await sql<Row>`${sql.join(branches, sql` UNION ALL `)} ORDER BY received_at DESC, id DESC LIMIT ${f.limit + 1}`.execute(db);
    return { rows: r.rows, stop: null };
  }

  /**
   * store (issue 14): a bounded search, for a text checked row by row. Each level's newest SEARCH_WINDOW rows
   * (shared among the levels) that match the rest of the filter — read in list order from that part's index
   * — are checked for the text, and no more: a text and a filter that never meet cost one window, not a
   * scan of every row of the filter (0.4–0.6 s at 1,000,000 messages). When the windows end before the page
   * is full, the page holds what they found and stops where the search stopped: the newest of the levels'
   * last examined rows. Every match from the cursor down to there is in the page, so a `next` cursor there
   * continues the search with nothing lost or repeated.
   */
  async function windowed(f: MessageFilter, q: string, columns: readonly ListColumn[], plan: Plan, levels: readonly (number | undefined)[]): Promise<{ rows: Row[]; stop: Position | null }> {
    const each = Math.max(Math.ceil(SEARCH_WINDOW[dialect] / levels.length), f.limit + 1);
    const rest: MessageFilter = { ...f, q: undefined };
    // A long serial list (SQLite's 'check' plan) is checked row by row along the other indexes too: it is
    // checked with the text, after the window, so the window counts the rows read, not the rows kept. (A
    // user's scope stays inside: a window's last row, which the cursor and `through` name, is always theirs.)
    const serials = plan.serials !== 'check' || f.serials === undefined;
    const match = serials ? textMatch(q, 'scan') : sql<SqlBool>`${textMatch(q, 'scan')} AND ${serialsMatch(f.serials ?? [], plan)}`;
    // The window is a subquery with its own LIMIT, which neither database merges into the outer query: the
    // plan reads the window from the rest's index, whatever the planner thinks of the text.
    const branches = levels.map((level, i) => sql`SELECT * FROM (${filtered(rest, plan, { level, take: each, serials }).select(columns)}) AS ${sql.raw(`w${i}`)} WHERE ${match}`);
    const r = await sql<Row>`${sql.join(branches, sql` UNION ALL `)} ORDER BY received_at DESC, id DESC LIMIT ${f.limit + 1}`.execute(db);
    if (r.rows.length > f.limit) return { rows: r.rows, stop: null };
    // A short page: the last row of each level's window, when the window was full (else that level was read to its end).
    const lasts = await Promise.all(levels.map((level) => filtered(rest, plan, { level, take: 1, serials }).offset(each - 1).select(['received_at', 'id']).executeTakeFirst()));
    const stop = lasts.reduce<Position | null>((newest, row) => {
      if (row === undefined) return newest;
      const at = { receivedAt: s(row, 'received_at'), id: n(row, 'id') };
      return newest === null || olderThan(newest, at) ? at : newest;
    }, null);
    return { rows: stop === null ? r.rows : r.rows.filter((row) => !olderThan({ receivedAt: s(row, 'received_at'), id: n(row, 'id') }, stop)), stop };
  }

  /**
   * store (issue 14): PostgreSQL reads the serials of a user's scope first and filters by that array: as
   * a subquery over the company view its planner misjudged how many messages a company has, and read and
   * sorted all of them for a first page (1.5–8.6 s at 1,000,000 messages); given the array, it sizes it from
   * its statistics and reads the time index when the company's messages are many. Null: not needed.
   */
  async function scopeSerials(): Promise<string[] | null> {
    if (dialect !== 'postgres' || scope === null || scope.length === 0) return null;
    return (await db.selectFrom('device_companies').select('serial').where('company', 'in', scope).execute()).map((r) => String(r.serial));
  }

  /**
   * Messages matching a filter, newest first, one page (plus one row, to know whether there is a next) or
   * `take` rows; with `level`, of that severity only (the highest level: and above); with `serials` false,
   * of any serial (the search's list is checked by the caller).
   */
  function filtered(f: MessageFilter, plan: Plan, { level, take = f.limit + 1, serials = true }: { level?: number | undefined; take?: number; serials?: boolean } = {}) {
    const cursor = f.cursor ? decodeCursor(f.cursor) : null;
    return db
      .selectFrom('messages')
      .where((eb) => {
        const where: Expression<SqlBool>[] = [];
        if (plan.inScope !== null) where.push(sql<SqlBool>`serial = ANY(${plan.inScope}::text[])`);
        else if (scope !== null) where.push(serialInScope(scope, 'serial', plan.serials === 'check') ?? TRUE);
        if (serials && f.serials) where.push(serialsMatch(f.serials, plan));
        // tidy: one device, by its serial (exact) or its whole host name in any case (IOS keeps the case typed at
        // `hostname`; engineers type it in any case); read from messages_serial or messages_hostname_ci (migrations.ts).
        if (f.device) where.push(eb.or([eb('serial', '=', f.device), sql<SqlBool>`lower(hostname) = lower(CAST(${f.device} AS TEXT))`]));
        if (f.type) where.push(eb('type', '=', f.type));
        if (level !== undefined) where.push(eb('severity', level >= MAX_SEVERITY ? '>=' : '=', level));
        else if (f.severity !== undefined) where.push(eb('severity', '>=', f.severity));
        if (f.since) where.push(eb('received_at', '>=', f.since));
        if (f.until) where.push(eb('received_at', '<', f.until));
        if (f.q) where.push(textMatch(f.q, plan.text));
        // A row-value comparison, so both databases read the (received_at, id) index from the cursor on
      // instead of from the top (which made a full export quadratic).
      if (cursor) where.push(sql<SqlBool>`(received_at, id) < (${cursor.receivedAt}, ${cursor.id})`);
        return eb.and(where);
      })
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(take);
  }

  /** The serials of a company / host name / serial search. */
  function serialsMatch(list: readonly string[], { serials }: Plan): Expression<SqlBool> {
    // reports: one bind parameter whatever the number of serials. SQLite's unary + keeps the planner off the serial index.
    return dialect === 'postgres' ? sql<SqlBool>`serial = ANY(${[...list]}::text[])` : sql<SqlBool>`${sql.raw(serials === 'check' ? '+serial' : 'serial')} IN (SELECT value FROM json_each(${JSON.stringify(list)}))`;
  }

  const rest: Omit<StoreQueries, keyof typeof messages | keyof GatewayQueries | keyof AccountsQueries | keyof PreferencesQueries | keyof EntitlementQueries | keyof MailSendsQueries> = {
    async recentDescriptions(serial, type, eventName, since, exceptId) {
      const rows = await db
        .selectFrom('messages')
        .select('description')
        .where('serial', '=', serial)
        .where('type', '=', type)
        .where('event_name', '=', eventName)
        .where('received_at', '>=', since)
        .where('id', '<>', exceptId)
        .where('status', '=', 'processed')
        .orderBy('id', 'desc')
        .limit(50)
        .execute();
      return rows.map((r) => r.description);
    },
    async messagesByStatus(serial, status) {
      const rows = await db.selectFrom('messages').selectAll().where('serial', '=', serial).where('status', '=', status).where(bySerial('serial')).orderBy('id').execute();
      return rows.map(toDetail);
    },
    async upsertDevice(m, at) {
      await UPSERT_DEVICE.run(db, dialect, deviceRow(m, at));
    },
    async setDeviceInventory(serial, at, inventory) {
      await db.updateTable('devices').set({ last_inventory_at: at, inventory: JSON.stringify(inventory) }).where('serial', '=', serial).execute();
    },
    async setDeviceConfiguration(serial, at, configuration) {
      await db.updateTable('devices').set({ last_configuration_at: at, configuration: JSON.stringify(configuration) }).where('serial', '=', serial).execute();
    },
    async setDeviceNotifyEmails(serial, emails) {
      const r = await db.updateTable('devices').set({ notify_emails: JSON.stringify(emails) }).where('serial', '=', serial).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async getDevice(serial) {
      const r = await deviceRows().where('d.serial', '=', serial).executeTakeFirst();
      if (!r) return null;
      const detail: DeviceDetail = { ...toDevice(r), inventory: readInventoryColumn(json(r, 'inventory', null)), configuration: readConfigurationColumn(ns(r, 'configuration')) };
      return detail;
    },
    async getDeviceIdentity(serial) {
      const r = (await DEVICE_IDENTITY.run(db, dialect, { serial })).rows[0];
      return r ? { hostname: r.hostname, contactEmail: r.contact_email, phoneNumber: r.phone_number, streetAddress: r.street_address, customerId: r.customer_id, siteId: r.site_id, contractId: r.contract_id } : null;
    },
    async devicesByHostname(hostname, limit) {
      return (await deviceRows().where('d.hostname', '=', hostname).orderBy('d.serial').limit(limit).execute()).map(toDevice);
    },
    async findDeviceByHostname(hostname) {
      const r = await deviceRows().where('d.hostname', '=', hostname).orderBy('d.serial').limit(1).executeTakeFirst();
      return r ? toDevice(r) : null;
    },
    async listDevices() {
      return (await deviceRows().orderBy('d.hostname').orderBy('d.serial').execute()).map(toDevice);
    },
    async getRegistration(serial) {
      const r = await db.selectFrom('registrations').selectAll().where('serial', '=', serial).where(bySerial('serial')).executeTakeFirst();
      return r ? toRegistration(r) : null;
    },
    async putRegistration(r) {
      const values = {
        serial: r.serial,
        state: r.state,
        token_hash: r.tokenHash,
        failed_attempts: r.failedAttempts,
        contract_number: r.contractNumber,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
        confirmed_at: r.confirmedAt,
        trial_ends_at: r.trialEndsAt,
        last_reminder_at: r.lastReminderAt,
        coverage: r.coverage,
        coverage_ends_at: r.coverageEndsAt,
        registered_by: r.registeredBy,
        warned_days: r.warnedDays,
        refusal_code: r.refusal?.code ?? null,
        refusal_reason: r.refusal?.reason ?? null,
      };
      const { serial: _key, created_at: _created, ...changes } = values;
      await db.insertInto('registrations').values(values).onConflict((oc) => oc.column('serial').doUpdateSet(changes)).execute();
    },
    async listRegistrations() {
      return (await db.selectFrom('registrations').selectAll().where(bySerial('serial')).orderBy('serial').execute()).map(toRegistration);
    },
    async deleteRegistration(serial) {
      const r = await db.updateTable('registrations').set({ state: 'deleted', updated_at: new Date().toISOString() }).where('serial', '=', serial).where('state', '<>', 'deleted').executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async findOpenCase(serial, foldKey) {
      const r = await db.selectFrom('cases').selectAll().where('serial', '=', serial).where('fold_key', '=', foldKey).where(bySerial('serial')).where('status', '<>', 'closed').orderBy('id', 'desc').limit(1).executeTakeFirst();
      return r ? toCase(r) : null;
    },
    async getCase(id) {
      const r = await db.selectFrom('cases').selectAll().where('id', '=', id).where(bySerial('serial')).executeTakeFirst();
      return r ? toCase(r) : null;
    },
    async getCaseByNumber(number) {
      const r = await db.selectFrom('cases').selectAll().where('number', '=', number).where(bySerial('serial')).executeTakeFirst();
      return r ? toCase(r) : null;
    },
    async insertCase(c) {
      const { id } = await db
        .insertInto('cases')
        .values({ serial: c.serial, hostname: c.hostname, status: c.status, priority: c.priority, title: c.title, rule: c.rule, fold_key: c.foldKey, opened_at: c.openedAt, updated_at: c.updatedAt, recommendation: c.recommendation, history: JSON.stringify(c.history), attachments: JSON.stringify(c.attachments) })
        .returning('id')
        .executeTakeFirstOrThrow();
      // SR numbers look like TAC's nine-digit numbers; derived from the row id so they are unique.
      const r = await db.updateTable('cases').set({ number: String(690_000_000 + Number(id)) }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toCase(r);
    },
    async updateCase(c) {
      await db
        .updateTable('cases')
        .set({ status: c.status, priority: c.priority, title: c.title, updated_at: c.updatedAt, recommendation: c.recommendation, history: JSON.stringify(c.history), attachments: JSON.stringify(c.attachments) })
        .where('id', '=', c.id)
        .execute();
    },
    async listCases() {
      return (await db.selectFrom('cases').selectAll().where(bySerial('serial')).orderBy('id', 'desc').execute()).map((r) => caseSummary(toCase(r)));
    },
    async insertNotification(nn) {
      const r = await db
        .insertInto('notifications')
        .values({ kind: nn.kind, serial: nn.serial, recipients: JSON.stringify(nn.to), subject: nn.subject, body: nn.body, sent_at: nn.sentAt })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toNotification(r);
    },
    async setNotificationDelivery(id, delivered, error) {
      await db.updateTable('notifications').set({ delivered: delivered ? 1 : 0, error }).where('id', '=', id).execute();
    },
    async listNotifications(limit) {
      return (await db.selectFrom('notifications').selectAll().where(bySerial('serial')).orderBy('id', 'desc').limit(limit).execute()).map(toNotification);
    },
    async eventsSince(seq, limit) {
      const rows = await db.selectFrom('events').select('data').where('seq', '>', seq).orderBy('seq').limit(limit).execute();
      return rows.map((r) => BackendEventSchema.parse(JSON.parse(r.data)));
    },
    async deleteEvents(type, before) {
      const r = await db.deleteFrom('events').where('type', '=', type).where('at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    // store: issue 14.
    async deviceSerials(c) {
      const part = (v: string): string => `%${v.toLowerCase().replace(/[\\%_]/g, (x) => `\\${x}`)}%`;
      let q = db.selectFrom('devices as d').select('d.serial').where(bySerial('d.serial'));
      // The company view read once as a set (as a lookup per device it took 20-50 ms at 5,000 devices).
      if (c.company !== undefined) q = q.where(sql<SqlBool>`d.serial IN (SELECT dc.serial FROM device_companies dc WHERE lower(dc.company) = ${c.company.toLowerCase()})`);
      if (c.hostname !== undefined) q = q.where(sql<SqlBool>`lower(d.hostname) LIKE ${part(c.hostname)} ESCAPE '\\'`);
      if (c.serial !== undefined) q = q.where(sql<SqlBool>`lower(d.serial) LIKE ${part(c.serial)} ESCAPE '\\'`);
      if (c.registered) q = q.where(sql<SqlBool>`d.serial IN (SELECT r.serial FROM registrations r WHERE r.state IN ('registered', 'trial', 'expired'))`);
      return (await q.orderBy('d.serial').execute()).map((r) => r.serial);
    },
    async devicesOf(serials) {
      if (serials.length === 0) return [];
      const list = dialect === 'postgres' ? sql<SqlBool>`d.serial = ANY(${[...serials]}::text[])` : sql<SqlBool>`d.serial IN (SELECT value FROM json_each(${JSON.stringify(serials)}))`;
      return (await deviceRows().where(list).execute()).map(toDevice);
    },
    async lastSeq() {
      const r = await db.selectFrom('event_seq').select('last').where('id', '=', 1).executeTakeFirst();
      return Number(r?.last ?? 0);
    },
  };
  return { ...messages, ...rest, ...createGatewayQueries(db, scope), ...createAccountsQueries(db), ...createPreferencesQueries(db), ...createEntitlementQueries(db, scope), ...createMailSendsQueries(db) };
}

/** The PostgreSQL channel a committed batch of events is announced on (payload: its last seq). */
export const EVENTS_CHANNEL = 'callhome_events';

/** Events per INSERT: four bind parameters each, far inside PostgreSQL's limit. */
const EVENT_ROWS_PER_INSERT = 1000;

/** The queries plus what only a transaction offers, over an open Kysely transaction. */
export function createTxQueries(trx: Transaction<Database>, dialect: Dialect): StoreTx {
  let savepoints = 0;
  return {
    ...createQueries(trx, dialect),
    async savepoint(fn) {
      const name = sql.raw(`sp${++savepoints}`);
      await sql`SAVEPOINT ${name}`.execute(trx);
      try {
        const value = await fn();
        await sql`RELEASE SAVEPOINT ${name}`.execute(trx);
        return value;
      } catch (error) {
        await sql`ROLLBACK TO SAVEPOINT ${name}`.execute(trx);
        await sql`RELEASE SAVEPOINT ${name}`.execute(trx);
        throw error;
      }
    },
    async lockSerials(serials) {
      // SQLite: the transaction holds the only connection, so it is alone already.
      if (dialect !== 'postgres' || serials.length === 0) return;
      const keys = [...new Set(serials.map((x) => lockKey(`serial:${x}`)))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      // The sorted subquery feeds the aggregate row by row, so the locks are taken in key order.
      await sql`SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT k FROM unnest(${keys}::bigint[]) WITH ORDINALITY AS t(k, i) ORDER BY i OFFSET 0) AS ordered`.execute(trx);
    },
    async tryLock(name) {
      if (dialect !== 'postgres') return true;
      const r = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${lockKey(`lock:${name}`)}::bigint) AS ok`.execute(trx);
      return r.rows[0]?.ok === true;
    },
    async appendEvents(pending) {
      if (pending.length === 0) return [];
      // The counter row stays locked until commit: the next transaction's seqs wait for this one's fate.
      const { last } = await trx.updateTable('event_seq').set((eb) => ({ last: eb('last', '+', pending.length) })).where('id', '=', 1).returning('last').executeTakeFirstOrThrow();
      const first = Number(last) - pending.length + 1;
      // accounts: each event carries the company of the device it is about, as of now, so every replica and
      // every resume filters it the same way (src/backend/accounts/audience.ts).
      const companies = await createAccountsQueries(trx).companiesOfSerials(pending.flatMap((p) => eventSerial(p.input) ?? []));
      // The input is already typed; only reads from disk are validated.
      const events = pending.map((p, i) => withCompany({ ...p.input, seq: first + i, at: p.at } as BackendEvent, companies));
      for (let i = 0; i < events.length; i += EVENT_ROWS_PER_INSERT) {
        const chunk = events.slice(i, i + EVENT_ROWS_PER_INSERT);
        await trx.insertInto('events').values(chunk.map((e) => ({ seq: e.seq, type: e.type, at: e.at, data: JSON.stringify(e) }))).execute();
      }
      // Delivered at commit, once per transaction; nothing is sent if it rolls back.
      if (dialect === 'postgres') await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${String(last)})`.execute(trx);
      return events;
    },
  };
}
