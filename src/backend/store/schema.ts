/**
 * The tables as Kysely sees them: one definition of the schema's shape for both dialects. Time
 * stamps are ISO-8601 UTC text (so text order is time order on both); JSON columns are text.
 * PostgreSQL returns BIGINT columns as strings, hence `number | string` for ids and seqs.
 */
import type { ColumnType, Generated } from 'kysely';
import type { GatewaysTable } from '../gateway/registry-queries.js';
import type { EntContractRequestsTable, EntContractsTable, EntCoverageTable, EntInstalledBaseTable, EntLockoutsTable } from './entitlement-queries.js';
// sr-notify: device preferences
import type { DevicePreferencesTable } from './preferences-queries.js';
import type { MailSendsTable } from './mail-sends-queries.js';

type Id = number | string;

export type MessagesTable = {
  id: Generated<Id>;
  received_at: string;
  transport: string;
  remote: string | null;
  serial: string;
  hostname: string;
  model: string;
  type: string;
  subtype: string;
  alert_group: string;
  severity: number;
  event_name: string;
  description: string;
  message_id: string;
  format: string;
  raw: string;
  fields: string;
  attachments: string;
  status: string;
  results: Generated<string>;
  /** SHA-256 (hex) of the raw body: with serial and message_id, what makes a resend a duplicate. */
  content_hash: Generated<string>;
  /** JSON list of {@link MessageFlag}s. */
  flags: Generated<string>;
  /** A body's raw text and attachments from PACK_FROM_BYTES on, gzip'd (packed-body.ts); then `raw` is '' and `attachments` '[]'. */
  packed: ColumnType<Uint8Array | null, Buffer | null | undefined, never>;
};

export type DevicesTable = {
  serial: string;
  hostname: string;
  model: string;
  series: string;
  software_version: string;
  contact_email: string;
  phone_number: string;
  street_address: string;
  customer_id: string;
  site_id: string;
  contract_id: string;
  anonymous: Generated<number>;
  notify_emails: Generated<string>;
  first_seen_at: string;
  last_message_at: string;
  last_inventory_at: string | null;
  last_configuration_at: string | null;
  inventory: string | null;
  configuration: string | null;
  /** accounts: the company the device was confirmed for (null: its contract's company, if any). */
  company: Generated<string | null>;
};

export type RegistrationsTable = {
  serial: string;
  state: string;
  token_hash: string;
  failed_attempts: Generated<number>;
  contract_number: string | null;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  trial_ends_at: string | null;
  last_reminder_at: string | null;
  // entitlement: what the registration rests on, its warnings and the last refusal.
  coverage: string | null;
  coverage_ends_at: string | null;
  registered_by: string | null;
  warned_days: number | null;
  refusal_code: string | null;
  refusal_reason: string | null;
};

export type ContractsTable = {
  serial: string;
  contract_number: string;
  contract_type: string;
  company: string;
  expires_at: string | null;
};

export type CasesTable = {
  id: Generated<Id>;
  number: string | null;
  serial: string;
  hostname: string;
  status: string;
  priority: number;
  title: string;
  rule: string;
  fold_key: string;
  opened_at: string;
  updated_at: string;
  recommendation: string;
  history: Generated<string>;
  attachments: Generated<string>;
};

export type NotificationsTable = {
  id: Generated<Id>;
  kind: string;
  serial: string | null;
  recipients: string;
  subject: string;
  body: string;
  sent_at: string;
  delivered: Generated<number>;
  error: string | null;
};

export type EventsTable = {
  seq: Id;
  type: string;
  at: string;
  data: string;
};

/** One row (id = 1): the last event seq handed out, updated inside the transaction that writes the events. */
export type EventSeqTable = {
  id: number;
  last: Id;
};

// accounts: companies, users, roles, tokens, audit (issue 15); `devices.company` is in DevicesTable.
export type CompaniesTable = { id: string; name: string; created_at: string };
export type UsersTable = {
  id: string;
  name: string;
  email: string;
  password_hash: string | null;
  sch_admin: Generated<number>;
  case_management: Generated<number>;
  profile_company: string | null;
  profile_contracts: Generated<string>;
  agreement_version: string | null;
  agreement_accepted_at: string | null;
  created_at: string;
};
export type MembershipsTable = { user_id: string; company_id: string; role: string; added_by: string; added_at: string };
export type ApiTokensTable = {
  id: string;
  user_id: string;
  hash: string;
  label: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  created_from: string | null;
};
export type AuditTable = { id: Generated<Id>; at: string; actor: string; action: string; target: string; company: string | null; remote: string | null; detail: Generated<string> };
/** A view: each device's company (the one it was confirmed for, else its contract's). */
export type DeviceCompaniesView = { serial: string; company: string | null };

export type Database = {
  messages: MessagesTable;
  devices: DevicesTable;
  registrations: RegistrationsTable;
  contracts: ContractsTable;
  cases: CasesTable;
  notifications: NotificationsTable;
  events: EventsTable;
  event_seq: EventSeqTable;
  gateways: GatewaysTable;
  // sr-notify
  device_preferences: DevicePreferencesTable;
  // accounts:
  companies: CompaniesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  api_tokens: ApiTokensTable;
  audit: AuditTable;
  device_companies: DeviceCompaniesView;
  // the counts behind the mail limits (processing/mail-limits.ts)
  mail_sends: MailSendsTable;
  // entitlement
  ent_contracts: EntContractsTable;
  ent_coverage: EntCoverageTable;
  ent_installed_base: EntInstalledBaseTable;
  ent_lockouts: EntLockoutsTable;
  ent_contract_requests: EntContractRequestsTable;
};
