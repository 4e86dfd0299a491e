/** Records the back end keeps, independent of the database engine. */
import type { MessageFormat } from '../../domain/callhome.js';
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
export type { MessageFormat };

/** How far a stored message got (spec §3.9 processing results). */
export type MessageStatus = 'processed' | 'pending-registration' | 'stored-only' | 'not-entitled';

/** What processing produced for one message. */
export type ProcessingResults = {
  readonly rules?: readonly string[];
  readonly recommendations?: readonly string[];
  readonly caseNumber?: string;
  readonly caseAction?: 'created' | 'updated' | 'none';
  readonly notifiedTo?: readonly string[];
  readonly note?: string;
};

export type NewMessage = {
  readonly receivedAt: string;
  readonly transport: Transport;
  readonly remote: string | null;
  readonly format: MessageFormat;
  readonly raw: string;
  readonly message: CallHomeMessage;
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
};

export type MessageFilter = {
  readonly device?: string | undefined;
  readonly type?: string | undefined;
  readonly severity?: number | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly q?: string | undefined;
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
};

export type DeviceDetail = Device & {
  readonly inventory: { readonly cards: CallHomeMessage['cards']; readonly attachments: CallHomeMessage['attachments'] } | null;
  readonly configuration: string | null;
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

/**
 * The storage port. SQLite implements it synchronously (better-sqlite3); processing runs inside
 * `transaction`, so a batch of messages and everything they cause commit together.
 */
export type Store = {
  transaction<T>(fn: () => T): T;
  insertMessage(m: NewMessage, status: MessageStatus): MessageSummary | null;
  setMessageStatus(id: number, status: MessageStatus, results: ProcessingResults): void;
  getMessage(id: number): MessageDetail | null;
  listMessages(filter: MessageFilter): { messages: MessageSummary[]; next: string | null };
  messagesByStatus(serial: string, status: MessageStatus): MessageDetail[];
  /** Descriptions of processed messages of a type and event name received since `since`, except `exceptId`. */
  recentDescriptions(serial: string, type: string, eventName: string, since: string, exceptId: number): string[];
  upsertDevice(m: CallHomeMessage, at: string): void;
  setDeviceInventory(serial: string, at: string, inventory: DeviceDetail['inventory']): void;
  setDeviceConfiguration(serial: string, at: string, configuration: string): void;
  setDeviceNotifyEmails(serial: string, emails: readonly string[]): boolean;
  getDevice(serial: string): DeviceDetail | null;
  listDevices(): Device[];
  getRegistration(serial: string): Registration | null;
  putRegistration(r: Registration): void;
  listRegistrations(): Registration[];
  deleteRegistration(serial: string): boolean;
  putContract(c: Contract): void;
  getContract(serial: string): Contract | null;
  listContracts(): Contract[];
  findOpenCase(serial: string, foldKey: string): CaseRecord | null;
  getCase(id: number): CaseRecord | null;
  getCaseByNumber(number: string): CaseRecord | null;
  insertCase(c: Omit<CaseRecord, 'id' | 'number'>): CaseRecord;
  updateCase(c: CaseRecord): void;
  listCases(): CaseSummary[];
  insertNotification(n: NewNotification): NotificationRecord;
  setNotificationDelivery(id: number, delivered: boolean, error: string | null): void;
  listNotifications(limit: number): NotificationRecord[];
  insertEvent(e: BackendEventInput, at: string): BackendEvent;
  eventsSince(seq: number, limit: number): BackendEvent[];
  /** Deletes events of one type recorded before `before` (ISO time); returns how many. */
  deleteEvents(type: BackendEvent['type'], before: string): number;
  lastSeq(): number;
  close(): void;
};
