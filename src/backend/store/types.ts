/** Records the back end keeps, independent of the database engine. */
import type { MessageFormat } from '../../domain/callhome.js';
import type { ConfigurationRecord, InventoryRecord } from '../../domain/device-records.js';
import type { CallHomeMessage } from '../../domain/message.js';
import type {
  BackendEvent,
  BackendEventInput,
  CaseSummary,
  MessageSummary,
  NotificationSummary,
  RegistrationState,
  Transport,
} from '../../events/protocol.js';

/** The format a message arrived in: one definition, shared with the profiles that choose it. */
import type { GatewayQueries } from '../gateway/registry-queries.js';
// entitlement
import type { Coverage } from '../entitlement/model.js';
import type { EntitlementQueries } from './entitlement-queries.js';
// sr-notify: device preferences
import type { PreferencesQueries } from './preferences-queries.js';
import type { MailSendsQueries } from './mail-sends-queries.js';
import type { BatchContext, IngestBatch, IngestJob } from '../ingest/batch.js';
import type { PackedBody } from './packed-body.js';
import type { IdentityField } from '../processing/processor.js';
import type { SrRefusal } from '../cases/sr-contact.js';
import type { AuditEntry, Company, Membership, NewAuditEntry, TokenRecord, UserRecord } from '../accounts/model.js';

export type { MessageFormat };

/**
 * How far a stored message got (spec §3.9 processing results). processing: `unsupported` — not XML
 * (long / short text) or a sub-type the service does not support (S4, S5); `missing-data` — a field
 * processing needs is missing (S33); `mapping-error` — its command output could not be mapped (S34).
 */
export type MessageStatus = 'processed' | 'pending-registration' | 'stored-only' | 'not-entitled' | 'unsupported' | 'missing-data' | 'mapping-error';

/** What processing produced for one message. */
export type ProcessingResults = {
  readonly rules?: readonly string[];
  readonly recommendations?: readonly string[];
  readonly caseNumber?: string;
  readonly caseAction?: 'created' | 'updated' | 'none';
  readonly notifiedTo?: readonly string[];
  readonly note?: string;
  /** sr-notify: why a service request the rules wanted was not created (S53). */
  readonly srFailure?: SrRefusal;
  // processing: what was missing (S33) or could not be mapped (S34), and the reply to a request (S48).
  readonly missing?: readonly string[];
  readonly mappingErrors?: readonly string[];
  readonly reply?: { readonly request: string; readonly to: readonly string[]; readonly items: number };
};

/**
 * What a stored message claims but does not prove (issue 11): `message-id-reused` — its ID was seen
 * before from this serial with other content; `identity-claim` — it names a confirmed device but
 * another host name / contact (not applied); `case-not-owned` — it names a case (SR#) of another
 * device (not attached); `unattributed` — short text whose host name matches no single device.
 */
export type MessageFlag = 'message-id-reused' | 'identity-claim' | 'case-not-owned' | 'unattributed';

export type NewMessage = {
  /** Flags known at ingest (`unattributed` short text): such a message is stored only, against no device. */
  readonly flags?: readonly MessageFlag[];
  readonly receivedAt: string;
  readonly transport: Transport;
  readonly remote: string | null;
  readonly format: MessageFormat;
  /** The body as received ('' once `packed` holds it). */
  readonly raw: string;
  readonly message: CallHomeMessage;
  /** A large body packed where it was parsed (packed-body.ts): stored in place of `raw` and the attachments. */
  readonly packed?: PackedBody | undefined;
};

/** A stored message with everything the API shows about it. */
export type MessageDetail = MessageSummary & {
  readonly format: MessageFormat;
  readonly remote: string | null;
  readonly status: MessageStatus;
  readonly fields: CallHomeMessage;
  readonly attachments: readonly { readonly name: string; readonly data: string }[];
  readonly results: ProcessingResults;
  readonly raw: string;
  readonly flags: readonly MessageFlag[];
};

/** One message in the history report. */
export type HistoryRow = MessageSummary & { readonly status: MessageStatus; readonly results: ProcessingResults };

// search (issue 14): a page whose text is checked row by row examines a bounded window of rows.
/**
 * How far a page's search went. Complete: the page holds every match from its cursor down to its last row
 * (or to the end). Not complete: the search stopped after its window of rows, received `through` that
 * time, before the page was full; `next` continues it from there.
 */
export type Searched = { readonly complete: true } | { readonly complete: false; readonly through: string };

export type MessageFilter = {
  readonly device?: string | undefined;
  readonly type?: string | undefined;
  readonly severity?: number | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly q?: string | undefined;
  /** reports: only messages of these serials (the devices a company / partial host name / partial serial search found). */
  readonly serials?: readonly string[] | undefined;
  readonly cursor?: string | undefined;
  readonly limit: number;
};

export type Registration = {
  readonly serial: string;
  readonly state: RegistrationState;
  readonly tokenHash: string;
  readonly failedAttempts: number;
  readonly contractNumber: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly confirmedAt: string | null;
  readonly trialEndsAt: string | null;
  readonly lastReminderAt: string | null;
  // entitlement: what it rests on (a covering contract, the warranty, a profile contract for a trial or
  // the same family), when that ends, who confirmed it, the last "about to expire" threshold sent, and
  // the last refusal of a confirmation (S16), shown until the device registers.
  readonly coverage: Coverage | null;
  readonly coverageEndsAt: string | null;
  readonly registeredBy: string | null;
  readonly warnedDays: number | null;
  readonly refusal: { readonly code: string; readonly reason: string } | null;
};

export type Contract = {
  readonly serial: string;
  /** Empty when the serial is in the installed base but not covered. */
  readonly contractNumber: string;
  readonly contractType: string;
  readonly company: string;
  readonly expiresAt: string | null;
};

export type Device = {
  readonly serial: string;
  readonly hostname: string;
  readonly model: string;
  readonly series: string;
  readonly softwareVersion: string;
  readonly contactEmail: string;
  readonly phoneNumber: string;
  readonly streetAddress: string;
  readonly customerId: string;
  readonly siteId: string;
  readonly contractId: string;
  readonly anonymous: boolean;
  readonly notifyEmails: readonly string[];
  readonly firstSeenAt: string;
  readonly lastMessageAt: string;
  readonly lastInventoryAt: string | null;
  readonly lastConfigurationAt: string | null;
  readonly registration: RegistrationState;
  readonly trialEndsAt: string | null;
  readonly contractNumber: string | null;
  /** entitlement: end of the contract or warranty the registration rests on, and the last refusal code. */
  readonly coverageEndsAt: string | null;
  readonly registrationRefusal: string | null;
  /** accounts: the owning company (confirmed for, else the contract's); null: none yet (SCH administrators only). */
  readonly company: string | null;
};

/** A device with what its latest full inventory and configuration messages mapped to (S36, S37). */
export type DeviceDetail = Device & {
  readonly inventory: InventoryRecord | null;
  readonly configuration: ConfigurationRecord | null;
};

export type CaseRecord = CaseSummary & {
  readonly rule: string;
  readonly foldKey: string;
  readonly recommendation: string;
  readonly history: readonly { readonly at: string; readonly messageId: number | null; readonly note: string }[];
  readonly attachments: readonly { readonly name: string; readonly data: string }[];
};

export type NotificationRecord = NotificationSummary & { readonly body: string; readonly error: string | null };

export type NewNotification = {
  readonly kind: string;
  readonly serial: string | null;
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly sentAt: string;
};

/** An event as processing emits it inside a transaction: its seq is allocated when the transaction writes it. */
export type PendingEvent = { readonly input: BackendEventInput; readonly at: string };

// accounts: companies, users, roles, tokens, audit, device companies (issue 15; src/backend/store/accounts-queries.ts).
/** Companies a query may see: null = all (SCH administrator, processing); a list = only those. */
export type Scope = readonly string[] | null;
export type AccountsQueries = {
  putCompany(c: Company): Promise<void>;
  getCompany(id: string): Promise<Company | null>;
  /** Companies by id (only those in `scope`). */
  listCompanies(scope: Scope): Promise<Company[]>;
  /** Inserts or replaces a directory user (the simulated CCO profile). */
  putUser(u: UserRecord): Promise<void>;
  getUser(id: string): Promise<UserRecord | null>;
  /** Users with a role in a company of `scope` (all users when null), by id. */
  listUsers(scope: Scope): Promise<UserRecord[]>;
  acceptAgreement(userId: string, version: string, at: string): Promise<void>;
  setMembership(m: Membership): Promise<void>;
  deleteMembership(userId: string, companyId: string): Promise<boolean>;
  membershipsOf(userId: string): Promise<Membership[]>;
  /** Memberships in the companies of `scope` (all when null). */
  listMemberships(scope: Scope): Promise<Membership[]>;
  insertToken(t: TokenRecord): Promise<void>;
  tokenByHash(hash: string): Promise<TokenRecord | null>;
  getToken(id: string): Promise<TokenRecord | null>;
  /** Tokens of one user, or of every user when null; newest first. */
  listTokens(userId: string | null): Promise<TokenRecord[]>;
  revokeToken(id: string, at: string): Promise<boolean>;
  /** Revokes every live token of a user; returns their ids. */
  revokeTokensOf(userId: string, at: string): Promise<string[]>;
  touchToken(id: string, at: string): Promise<void>;
  appendAudit(e: NewAuditEntry): Promise<AuditEntry>;
  /** Audit entries of `scope` (with no company: SCH administrators only), newest first, before id `before`. */
  listAudit(scope: Scope, limit: number, before?: number): Promise<AuditEntry[]>;
  /** Sets the company a device is confirmed for (null: back to its contract's). */
  setDeviceCompany(serial: string, company: string | null): Promise<void>;
  /** Each serial's company (confirmed for, else its contract's); serials without one are absent. */
  companiesOfSerials(serials: readonly string[]): Promise<Map<string, string>>;
  /** True when a contract in the company lists one of these contract numbers (S28: Administrator needs one). */
  companyHasContract(companyId: string, contractNumbers: readonly string[]): Promise<boolean>;
};

/** The queries, the same inside and outside a transaction. Every call is asynchronous. */
export type StoreQueries = GatewayQueries & AccountsQueries & PreferencesQueries & EntitlementQueries & MailSendsQueries & {
  insertMessage(m: NewMessage, status: MessageStatus): Promise<MessageSummary | null>;
  /** Stores many messages without processing (imports, benchmarks) in multi-row inserts; returns how many were new. */
  importMessages(list: readonly { readonly message: NewMessage; readonly status: MessageStatus }[]): Promise<number>;
  setMessageStatus(id: number, status: MessageStatus, results: ProcessingResults): Promise<void>;
  /** Adds flags to a stored message. */
  flagMessage(id: number, flags: readonly MessageFlag[]): Promise<void>;
  /** True when another stored message (not `exceptId`) of this serial carries this message ID. */
  messageIdTaken(serial: string, messageId: string, exceptId: number): Promise<boolean>;
  getMessage(id: number): Promise<MessageDetail | null>;
  listMessages(filter: MessageFilter): Promise<{ messages: MessageSummary[]; next: string | null; searched: Searched }>;
  /** Like listMessages, with each message's processing status and results (the history report's page). */
  listHistory(filter: MessageFilter): Promise<{ rows: HistoryRow[]; next: string | null; searched: Searched }>;
  /** Deletes at most `batch` messages and `batch` events older than `cutoff` (oldest first); returns how many went. */
  purgeBefore(cutoff: string, batch: number): Promise<{ messages: number; events: number }>;
  messagesByStatus(serial: string, status: MessageStatus): Promise<MessageDetail[]>;
  /** Descriptions of processed messages of a type and event name received since `since`, except `exceptId`. */
  recentDescriptions(serial: string, type: string, eventName: string, since: string, exceptId: number): Promise<string[]>;
  upsertDevice(m: CallHomeMessage, at: string): Promise<void>;
  setDeviceInventory(serial: string, at: string, inventory: InventoryRecord): Promise<void>;
  setDeviceConfiguration(serial: string, at: string, configuration: ConfigurationRecord): Promise<void>;
  setDeviceNotifyEmails(serial: string, emails: readonly string[]): Promise<boolean>;
  getDevice(serial: string): Promise<DeviceDetail | null>;
  /** What the record says of who a device is (ingest compares each message's claims with it), without the rest of the record. */
  getDeviceIdentity(serial: string): Promise<Pick<Device, IdentityField> | null>;
  /** Up to `limit` devices known by this host name, by serial (short-text attribution needs exactly one). */
  devicesByHostname(hostname: string, limit: number): Promise<Device[]>;
  /** The device known by this host name, if any (the lowest serial when several share it). */
  findDeviceByHostname(hostname: string): Promise<Device | null>;
  listDevices(): Promise<Device[]>;
  getRegistration(serial: string): Promise<Registration | null>;
  putRegistration(r: Registration): Promise<void>;
  listRegistrations(): Promise<Registration[]>;
  deleteRegistration(serial: string): Promise<boolean>;
  findOpenCase(serial: string, foldKey: string): Promise<CaseRecord | null>;
  getCase(id: number): Promise<CaseRecord | null>;
  getCaseByNumber(number: string): Promise<CaseRecord | null>;
  insertCase(c: Omit<CaseRecord, 'id' | 'number'>): Promise<CaseRecord>;
  updateCase(c: CaseRecord): Promise<void>;
  listCases(): Promise<CaseSummary[]>;
  insertNotification(n: NewNotification): Promise<NotificationRecord>;
  setNotificationDelivery(id: number, delivered: boolean, error: string | null): Promise<void>;
  listNotifications(limit: number): Promise<NotificationRecord[]>;
  /** Committed events with `seq > seq`, oldest first, at most `limit`. */
  eventsSince(seq: number, limit: number): Promise<BackendEvent[]>;
  /** The newest committed seq (0 when none). */
  lastSeq(): Promise<number>;
  /** Deletes events of one type recorded before `before` (ISO time), e.g. expired refusals; returns how many. */
  deleteEvents(type: BackendEvent['type'], before: string): Promise<number>;
  // store: reads sized for a million messages and many devices (issue 14), so no request loads every device.
  /**
   * The serials of the devices a search selects (the History report's and GET /messages' device criteria):
   * company the whole name, host name and serial a part, each ignoring case; one query, by serial.
   */
  deviceSerials(criteria: SerialSearch): Promise<string[]>;
  /** These devices (those that exist and are in scope), for a page of report rows. */
  devicesOf(serials: readonly string[]): Promise<Device[]>;
  // pgexport (issue 14): a long reader gives way to the rest of the service's database work.
  /**
   * Resolves once no other query or transaction of this process is in flight on the database, or after `maxMs`.
   * A long reader (a report's export) awaits it between its slices, so the statements of an ingest transaction,
   * each a round trip on the event loop's thread, do not each wait behind one of its slices. PostgreSQL only:
   * absent on SQLite, whose database thread serves requests in turn and runs an ingest batch as one request.
   */
  giveWay?(maxMs: number): Promise<void>;
};

/** store: a device search; an absent criterion selects everything. */
export type SerialSearch = {
  readonly company?: string | undefined;
  readonly hostname?: string | undefined;
  readonly serial?: string | undefined;
  /** Only devices whose registration was completed (registered, trial, expired): the History report's devices (§4.4). */
  readonly registered?: boolean | undefined;
};

/** What a transaction adds: savepoints, locks for work that must happen once, and sequenced events. */
export type StoreTx = StoreQueries & {
  /** Runs `fn` in a savepoint: when it throws, only its writes are undone, and the error is rethrown. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Holds, until commit, a lock per serial (in sorted order, so two transactions never deadlock on them):
   * the processing of one device's messages never runs in two replicas at once.
   */
  lockSerials(serials: readonly string[]): Promise<void>;
  /** Takes a named lock until commit if nobody holds it; false when another transaction (or replica) does. */
  tryLock(name: string): Promise<boolean>;
  /**
   * Writes events with the next seqs. The counter row it updates stays locked until commit, so seqs
   * become visible in order and a rollback leaves no hole. Call once, last, per transaction.
   */
  appendEvents(events: readonly PendingEvent[]): Promise<BackendEvent[]>;
};

/**
 * The storage port, asynchronous. Two implementations from one definition of the queries (queries.ts):
 * SQLite (sqlite-store.ts, the embedded default) and PostgreSQL (pg-store.ts). Processing runs inside
 * `transaction`, so a batch of messages and everything they cause commit together.
 */
export type Store = StoreQueries & {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * accounts: the same queries, reading only what belongs to the companies of `scope` (devices, messages,
   * registrations, contracts, cases, notifications; in SQL). The API hands each request such a view.
   */
  scoped(scope: Scope): StoreQueries;
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Calls `onCommit` when another process may have committed events (PostgreSQL NOTIFY on a dedicated
   * connection, re-established when lost; `onCommit` also runs after a reconnect). A no-op for SQLite,
   * which has one writer. Returns the stop function.
   */
  watchEvents(onCommit: () => void): Promise<() => Promise<void>>;
  /**
   * Runs an ingest batch where the connection is, in one transaction (../ingest/batch.ts): present on the SQLite
   * store of `callhome serve`, whose connection is in a database thread. Absent: the service runs it itself.
   */
  runIngestBatch?(jobs: readonly IngestJob[], context: BatchContext): Promise<IngestBatch>;
  close(): Promise<void>;
};
