/**
 * Typed client of the back end's REST API (contract 3), used by the CLI twins and the console.
 * Responses are validated with zod at this edge; failures are AbortErrors that say what to do.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { ACTIONS, requirementText, type Action } from '../domain/permissions.js';
import { AbortError } from '../errors.js';
import { retryAfterSeconds, sessionRefused, tokenMissing, tokenRefused, tokenThrottled } from '../events/token-problems.js';
import { ConfigurationRecordSchema, InventoryRecordSchema } from '../domain/device-records.js';
import { AuditEntrySchema, CaseSummarySchema, GatewayStatusSchema, GatewaySummarySchema, MessageSummarySchema, NotificationSummarySchema, RegistrationStateSchema } from '../events/protocol.js';

export const DeviceSchema = z.object({
  serial: z.string(),
  hostname: z.string(),
  model: z.string(),
  series: z.string(),
  softwareVersion: z.string(),
  contactEmail: z.string(),
  notifyEmails: z.array(z.string()),
  registration: RegistrationStateSchema,
  lastMessageAt: z.string(),
  lastInventoryAt: z.string().nullable(),
  lastConfigurationAt: z.string().nullable(),
  trialEndsAt: z.string().nullable(),
  contractNumber: z.string().nullable(),
  /** entitlement: end of the contract or warranty the registration rests on; the last refusal code. */
  coverageEndsAt: z.string().nullable().default(null),
  registrationRefusal: z.string().nullable().default(null),
});
export type ApiDevice = z.infer<typeof DeviceSchema>;

/** `GET /devices/SERIAL`: the device with its inventory and configuration records (S36, S37). */
export const DeviceDetailSchema = DeviceSchema.extend({ inventory: InventoryRecordSchema.nullable(), configuration: ConfigurationRecordSchema.nullable(), identityClaim: z.unknown().optional() });
export type ApiDeviceDetail = z.infer<typeof DeviceDetailSchema>;

export const RegistrationSchema = z.object({
  serial: z.string(),
  state: RegistrationStateSchema,
  failedAttempts: z.number(),
  contractNumber: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  confirmedAt: z.string().nullable(),
  trialEndsAt: z.string().nullable(),
  // entitlement
  coverage: z.string().nullable().default(null),
  coverageEndsAt: z.string().nullable().default(null),
  registeredBy: z.string().nullable().default(null),
  refusal: z.object({ code: z.string(), reason: z.string() }).nullable().default(null),
  endsAt: z.string().nullable().default(null),
  daysLeft: z.number().nullable().default(null),
});
/** A token lock-out (S17). */
export const LockoutSchema = z.object({ user: z.string(), failed: z.number(), lockedAt: z.string().nullable() });
/** A confirmation's choice of CCO profile (Support acting for a user) and contract. */
export type ConfirmChoice = { readonly profile?: string | undefined; readonly contract?: string | undefined };
const choice = (c: ConfirmChoice = {}) => ({ ...(c.profile ? { profile: c.profile } : {}), ...(c.contract ? { contract: c.contract } : {}) });
export type ApiRegistration = z.infer<typeof RegistrationSchema>;

const AttachmentSchema = z.object({ name: z.string(), data: z.string() });

export const MessageDetailSchema = MessageSummarySchema.extend({
  format: z.string(),
  remote: z.string().nullable(),
  status: z.string(),
  fields: z.record(z.string(), z.unknown()),
  attachments: z.array(AttachmentSchema),
  results: z.record(z.string(), z.unknown()),
  raw: z.string(),
});

export const CaseDetailSchema = CaseSummarySchema.extend({
  rule: z.string(),
  recommendation: z.string(),
  history: z.array(z.object({ at: z.string(), messageId: z.number().nullable(), note: z.string() })),
  attachments: z.array(AttachmentSchema),
});

export const NotificationSchema = NotificationSummarySchema.extend({ body: z.string(), error: z.string().nullable() });

// gateway: GET /gateways (S66) with each gateway's last status report (S96).
export const GatewaySchema = GatewaySummarySchema.extend({ registeredAt: z.string(), registeredBy: z.string(), lastSeenAt: z.string().nullable(), passwordRotatesAt: z.string(), passwordExpired: z.boolean(), status: GatewayStatusSchema.nullable() });
export type ApiGateway = z.infer<typeof GatewaySchema>;

export const ContractSchema = z.object({
  serial: z.string(),
  contractNumber: z.string(),
  contractType: z.string(),
  company: z.string(),
  expiresAt: z.string().nullable(),
});
export type ApiContract = z.infer<typeof ContractSchema>;

export const ReportSchema = z.object({
  kind: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  // reports: headings, the criteria given, the empty-state text (S77) and the cursor to continue from.
  title: z.string().optional(),
  headers: z.array(z.string()).optional(),
  criteria: z.record(z.string(), z.string()).optional(),
  empty: z.string().optional(),
  next: z.string().optional(),
});
export type ApiReport = z.infer<typeof ReportSchema>;

/**
 * search (issue 14): how far a page of GET /messages searched (older servers leave it out). Not complete:
 * the search stopped after its window of rows, at messages received `through` then, before the page was
 * full; `next` goes on from there.
 */
export const SearchedSchema = z.union([z.object({ complete: z.literal(true) }), z.object({ complete: z.literal(false), through: z.string() })]);
export type Searched = z.infer<typeof SearchedSchema>;

/** Criteria of GET /devices: the Device report's search (S69). */
export type DeviceQuery = Pick<ReportQuery, 'company' | 'hostname' | 'serial' | 'model' | 'cardModel' | 'cardSerial'>;

/** Criteria of GET /reports/KIND (which report takes which: REPORT_CRITERIA in src/backend/api/reports.ts). */
export type ReportQuery = Partial<Record<'company' | 'hostname' | 'serial' | 'model' | 'cardModel' | 'cardSerial' | 'type' | 'device' | 'since' | 'until' | 'cursor', string | undefined>>;

/** Device Details (S70): the five categories of §4.3. */
export const DeviceDetailsSchema = z.object({
  serial: z.string(),
  dates: z.record(z.string(), z.string().nullable()),
  contact: z.record(z.string(), z.string()),
  device: z.record(z.string(), z.string()),
  modules: z.array(z.record(z.string(), z.string())),
  submodules: z.array(z.record(z.string(), z.string())),
  powerSupplies: z.array(z.record(z.string(), z.string())),
  software: z.record(z.string(), z.string()),
  configuration: z.object({ available: z.boolean(), message: z.string().nullable(), date: z.string().nullable(), startupConfig: z.string().nullable(), runningConfig: z.string().nullable(), technologies: z.array(z.string()) }),
});
export type ApiDeviceDetails = z.infer<typeof DeviceDetailsSchema>;

export type MessageQuery = {
  device?: string | undefined;
  type?: string | undefined;
  severity?: string | number | undefined;
  since?: string | undefined;
  until?: string | undefined;
  q?: string | undefined;
  // reports: History criteria (S71).
  company?: string | undefined;
  hostname?: string | undefined;
  serial?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
};

// accounts-cli: the people of the service (issue 15): users, companies, personal tokens, preferences, audit.
export const MembershipSchema = z.object({ company: z.string(), role: z.string() });

export const UserSchema = z.object({
  id: z.string(),
  name: z.string().nullable().default(null),
  email: z.string().nullable().default(null),
  status: z.string(),
  companies: z.array(MembershipSchema.extend({ addedBy: z.string().optional(), addedAt: z.string().optional() })),
  schAdmin: z.boolean().default(false),
});
export type ApiUser = z.infer<typeof UserSchema>;

/** GET /me: the caller as the back end resolved the token (the bootstrap token is an SCH administrator). */
export const MeSchema = z.object({
  user: z.string(),
  name: z.string().nullable().default(null),
  schAdmin: z.boolean(),
  token: z.string().nullable().default(null),
  status: z.string(),
  legalAgreement: z.object({ version: z.string(), accepted: z.string().nullable() }),
  companies: z.array(MembershipSchema),
});
export type ApiMe = z.infer<typeof MeSchema>;

export const CompanySchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string().optional(), administrators: z.array(z.string()).default([]), users: z.number().optional() });
export type ApiCompany = z.infer<typeof CompanySchema>;

export const TokenInfoSchema = z.object({
  id: z.string(),
  user: z.string(),
  label: z.string().default(''),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable().default(null),
  revokedAt: z.string().nullable().default(null),
  createdFrom: z.string().nullable().default(null),
  state: z.string().default('active'),
});
export type ApiTokenInfo = z.infer<typeof TokenInfoSchema>;

export const LegalAgreementSchema = z.object({ version: z.string(), text: z.string(), accepted: z.boolean() });

export const LoginSchema = z.object({
  token: z.string().min(1),
  tokenId: z.string().nullable().default(null),
  expiresAt: z.string().nullable(),
  user: UserSchema,
  legalAgreement: z.object({ version: z.string(), accepted: z.boolean() }).default({ version: '', accepted: true }),
});

/** GET /devices/SERIAL/preferences (S58, S61, S68); `emails` are the extra notification addresses. */
export const PreferencesSchema = z.object({
  serial: z.string(),
  notifications: z.boolean(),
  serviceRequests: z.boolean(),
  srContact: z.string().nullable(),
  registrant: z.string().nullable().default(null),
  removeHostname: z.boolean().default(false),
  replyTo: z.string().nullable().default(null),
  emails: z.array(z.string()),
  updatedAt: z.string().nullable().default(null),
});
export type ApiPreferences = z.infer<typeof PreferencesSchema>;
export type PreferencesChange = Partial<Pick<ApiPreferences, 'notifications' | 'serviceRequests' | 'srContact' | 'emails'>>;

export type ApiAuditEntry = z.infer<typeof AuditEntrySchema>;

/** An API error response that is not a transport failure. */
export class ApiError extends AbortError {
  constructor(
    readonly status: number,
    message: string,
    tryMessage?: string,
    /** The back end's own reason (its `reason` field), for callers that explain a refusal in their words. */
    readonly reason: string = message,
  ) {
    super(message, tryMessage);
  }
}

const ErrorBody = z.object({ error: z.string(), reason: z.string() });

/** The command that lists what a path names, for a 404's next step (a mistyped serial, case or user). */
const LISTED_BY: readonly (readonly [RegExp, string])[] = [
  [/^\/(devices|reports\/device)\//, '`callhome devices` lists the serials the back end knows'],
  [/^\/registrations\/lockouts\//, 'only a user with wrong registration tokens counted can be unblocked'],
  [/^\/registrations\//, '`callhome registrations` lists the registrations'],
  [/^\/cases\//, '`callhome cases` lists the case numbers'],
  [/^\/(users|directory)\//, '`callhome users` lists the users of your companies'],
  [/^\/companies\//, '`callhome companies` lists your companies'],
  [/^\/tokens\//, '`callhome tokens` lists your token IDs'],
  [/^\/gateways\//, '`callhome gateway list` lists the gateways'],
];

/** What to do after a 404 on `path`: the listing command, and where the commands are described. */
export function notFoundHint(path: string): string {
  const listed = LISTED_BY.find(([re]) => re.test(path))?.[1];
  return `Check the name or number${listed ? `: ${listed}` : ''}. docs/cli.md describes every command.`;
}

/**
 * A 403 explained. A role refusal (`forbidden`) names the role the action needs; the legal agreement says how
 * to accept it; any other refusal (the spec's rules: self-registration, no contract, …) is the back end's reason.
 */
function forbidden(action: Action | undefined, error: string, reason: string): ApiError {
  if (error === 'legal-agreement') return new ApiError(403, `Refused (403): ${reason}`, 'Accept it with `callhome login USER --accept-agreement` (a terminal asks).', reason);
  if (error !== 'forbidden') return new ApiError(403, `Refused (403): ${reason}`, undefined, reason);
  const needs = action === undefined ? 'Your role does not allow this.' : `${ACTIONS[action].what.charAt(0).toUpperCase()}${ACTIONS[action].what.slice(1)} needs ${requirementText(action)}.`;
  return new ApiError(403, `Refused (403): ${needs} The back end said: ${reason}`, 'Ask an Administrator of the company to do it or to give you the role, or log in as one (callhome login USER).', reason);
}

/** Creates the client for `{url, token}` (`tokenSource: 'session'` when the token is the one `callhome login` stored). */
export function createApiClient(connection: { readonly url: string; readonly token: string | undefined; readonly tokenSource?: string | undefined }) {
  const base = connection.url.replace(/\/+$/, '');
  const request = async <S extends z.ZodType>(schema: S, path: string, init: { method?: string; body?: unknown; anonymous?: boolean; action?: Action } = {}): Promise<z.infer<S>> => {
    if (!connection.token && path !== '/health' && init.anonymous !== true) throw tokenMissing(base);
    let res: Response;
    try {
      res = await fetch(`${base}/api/v1${path}`, {
        method: init.method ?? 'GET',
        headers: { ...(connection.token && init.anonymous !== true ? { authorization: `Bearer ${connection.token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    } catch (e) {
      throw new AbortError(`Cannot reach the back end at ${base}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`, 'Start it with `callhome serve`, or point --backend (or CALLHOME_BACKEND) at it.');
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    if (!res.ok) {
      const e = ErrorBody.safeParse(body);
      const reason = e.success ? e.data.reason : `HTTP ${res.status}`;
      const kind = e.success ? e.data.error : '';
      const token = init.anonymous === true ? null : tokenError(res);
      if (token !== null) throw token;
      if (res.status === 403) throw forbidden(init.action, kind, reason);
      throw new ApiError(res.status, `${init.method ?? 'GET'} ${path} failed (${res.status}): ${reason}`, res.status === 404 ? notFoundHint(path) : undefined, reason);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ApiError(res.status, `The back end at ${base} answered ${path} with an unexpected body: ${parsed.error.issues[0]?.message ?? ''}`, 'Check that --backend points at a callhome back end of the same version.');
    return parsed.data;
  };
  const tokenError = (res: Response): ApiError | null => {
    if (res.status !== 401 && res.status !== 429) return null;
    const problem = res.status === 401 ? (connection.tokenSource === 'session' ? sessionRefused(base) : tokenRefused(base)) : tokenThrottled(base, retryAfterSeconds(res.headers.get('retry-after')));
    return new ApiError(res.status, problem.message, problem.tryMessage);
  };
  const csv = async (path: string): Promise<string> => {
    if (!connection.token) throw tokenMissing(base);
    const res = await fetch(`${base}/api/v1${path}`, { headers: connection.token ? { authorization: `Bearer ${connection.token}` } : {} }).catch((e: unknown) => {
      throw new AbortError(`Cannot reach the back end at ${base}: ${e instanceof Error ? e.message : String(e)}`, 'Start it with `callhome serve`.');
    });
    if (!res.ok) throw tokenError(res) ?? new ApiError(res.status, `GET ${path} failed (${res.status})`);
    return res.text();
  };
  /** Saves an answer's body to `file` as it arrives (a temporary file renamed at the end, so a cut transfer leaves no file); returns its size. */
  const download = async (path: string, file: string): Promise<number> => {
    if (!connection.token) throw tokenMissing(base);
    const res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${connection.token}` } }).catch((e: unknown) => {
      throw new AbortError(`Cannot reach the back end at ${base}: ${e instanceof Error ? e.message : String(e)}`, 'Start it with `callhome serve`.');
    });
    if (!res.ok || !res.body) {
      const e = ErrorBody.safeParse(await res.json().catch(() => null));
      throw tokenError(res) ?? new ApiError(res.status, `GET ${path} failed (${res.status}): ${e.success ? e.data.reason : `HTTP ${res.status}`}`, res.status === 404 ? notFoundHint(path) : undefined, e.success ? e.data.reason : undefined);
    }
    const partial = `${file}.partial`;
    try {
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
      await rename(partial, file);
    } catch {
      await rm(partial, { force: true });
      throw new AbortError(`The back end stopped sending ${path} before the end; nothing was written to ${file}.`, 'Run the command again.');
    }
    return (await stat(file)).size;
  };
  const qs = (q: Record<string, string | number | undefined>): string => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
    const s = p.toString();
    return s ? `?${s}` : '';
  };
  const enc = encodeURIComponent;
  return {
    health: () => request(z.object({ ok: z.boolean() }), '/health'),
    /** GET /devices, searched on the Device report's six criteria (S69) when any is given. */
    devices: (q: DeviceQuery = {}) => request(z.object({ devices: z.array(DeviceSchema) }), `/devices${qs({ ...q })}`),
    device: (serial: string) => request(DeviceDetailSchema, `/devices/${enc(serial)}`),
    setNotifyEmails: (serial: string, notifyEmails: readonly string[]) => request(DeviceSchema, `/devices/${enc(serial)}/preferences`, { method: 'PUT', body: { notifyEmails } }),
    messages: (q: MessageQuery = {}) => request(z.object({ messages: z.array(MessageSummarySchema), next: z.string().nullable(), searched: SearchedSchema.optional() }), `/messages${qs({ ...q })}`),
    message: (id: number) => request(MessageDetailSchema, `/messages/${id}`),
    registrations: () => request(z.object({ registrations: z.array(RegistrationSchema) }), '/registrations'),
    confirmRegistration: (serial: string, token: string, c?: ConfirmChoice) => request(z.object({ registration: RegistrationSchema }), `/registrations/${enc(serial)}/confirm`, { method: 'POST', body: { token, ...choice(c) } }),
    confirmSelected: (serials: readonly string[], c?: ConfirmChoice) =>
      request(
        z.object({ results: z.array(z.object({ serial: z.string(), ok: z.boolean(), registration: RegistrationSchema.optional(), error: z.string().optional(), reason: z.string().optional() })) }),
        '/registrations/confirm',
        { method: 'POST', body: { serials, ...choice(c) } },
      ),
    editRegistrationContract: (serial: string, contract: string, c?: ConfirmChoice) => request(z.object({ registration: RegistrationSchema }), `/registrations/${enc(serial)}/contract`, { method: 'PUT', body: { contract, ...choice(c) } }),
    lockouts: () => request(z.object({ lockouts: z.array(LockoutSchema) }), '/registrations/lockouts'),
    unlock: (user: string) => request(z.object({ ok: z.boolean() }), `/registrations/lockouts/${enc(user)}`, { method: 'DELETE' }),
    deleteRegistration: (serial: string) => request(z.object({ ok: z.boolean() }), `/registrations/${enc(serial)}`, { method: 'DELETE' }),
    contracts: () => request(z.object({ contracts: z.array(ContractSchema) }), '/contracts'),
    importContracts: (contracts: readonly ApiContract[]) => request(z.object({ imported: z.number(), changed: z.number() }), '/contracts', { method: 'POST', body: { contracts } }),
    /** Back-office fixtures as a contracts file writes them (contracts, installedBase, profiles). */
    importBackOffice: (backOffice: Record<string, unknown>) => request(z.object({ imported: z.number(), changed: z.number() }), '/contracts', { method: 'POST', body: { backOffice } }),
    cases: () => request(z.object({ cases: z.array(CaseSummarySchema) }), '/cases'),
    case: (key: string) => request(CaseDetailSchema, `/cases/${enc(key)}`),
    // sr-notify: the SR lifecycle (S55).
    updateCase: (key: string, change: { readonly note: string; readonly status?: 'resolved' | 'open' | undefined; readonly priority?: number | undefined }) => request(CaseDetailSchema, `/cases/${enc(key)}/update`, { method: 'POST', body: change }),
    closeCase: (key: string, note: string) => request(CaseDetailSchema, `/cases/${enc(key)}/close`, { method: 'POST', body: { note } }),
    notifications: (limit?: number) => request(z.object({ notifications: z.array(NotificationSchema) }), `/notifications${qs({ limit })}`),
    // triggers: N25, the CA certificate update instructions to every registered user (SCH administrators).
    caCertificateUpdate: (version: string, instructions?: readonly string[]) =>
      request(
        z.object({ version: z.string(), notified: z.array(z.object({ user: z.string(), email: z.string(), notification: z.number() })), skipped: z.array(z.object({ user: z.string(), reason: z.string() })) }),
        '/admin/ca-certificate-update',
        { method: 'POST', body: { version, ...(instructions ? { instructions } : {}) } },
      ),
    stats: () => request(z.record(z.string(), z.unknown()), '/stats'),
    report: (kind: string, q: ReportQuery = {}) => request(ReportSchema, `/reports/${enc(kind)}${qs(q)}`),
    reportCsv: (kind: string, q: ReportQuery = {}) => csv(`/reports/${enc(kind)}${qs({ ...q, format: 'csv' })}`),
    /** Saves a report in a format (csv, json, xlsx, pdf) to a file; returns its size in bytes. */
    saveReport: (kind: string, format: string, file: string, q: ReportQuery = {}) => download(`/reports/${enc(kind)}${qs({ ...q, format })}`, file),
    deviceDetails: (serial: string) => request(DeviceDetailsSchema, `/reports/device/${enc(serial)}`),
    deviceDetailsCsv: (serial: string) => csv(`/reports/device/${enc(serial)}?format=csv`),
    saveDeviceDetails: (serial: string, format: string, file: string) => download(`/reports/device/${enc(serial)}${qs({ format })}`, file),
    gateways: () => request(z.object({ gateways: z.array(GatewaySchema) }), '/gateways'),
    // accounts-cli: login, users, companies, tokens, preferences, audit (issue 15).
    login: (user: string, password: string, label?: string) => request(LoginSchema, '/login', { method: 'POST', body: { user, password, ...(label !== undefined ? { label } : {}) }, anonymous: true }),
    /** Revokes the token of this client (log out). */
    logout: () => request(z.object({ revoked: z.string() }), '/tokens/current', { method: 'DELETE' }),
    me: () => request(MeSchema, '/me'),
    agreement: () => request(LegalAgreementSchema, '/agreement'),
    acceptAgreement: (version: string) => request(z.object({ accepted: z.string() }), '/agreement', { method: 'POST', body: { version } }),
    users: () => request(z.object({ users: z.array(UserSchema) }), '/users', { action: 'users.list' }),
    addUser: (user: string, company: string, role: string) => request(UserSchema, '/users', { method: 'POST', body: { user, company, role }, action: 'users.add' }),
    deleteUser: (user: string, company: string) => request(z.object({ deleted: z.object({ user: z.string(), company: z.string() }) }), `/users/${enc(user)}/companies/${enc(company)}`, { method: 'DELETE', action: 'users.delete' }),
    setRole: (user: string, company: string, role: string) => request(UserSchema, `/users/${enc(user)}/companies/${enc(company)}`, { method: 'PUT', body: { role }, action: 'users.role' }),
    /** The simulated back office's companies and CCO users (S24; SCH administrators). */
    importDirectory: (directory: unknown) => request(z.object({ companies: z.number(), users: z.number(), memberships: z.number() }), '/directory', { method: 'POST', body: directory, action: 'directory.import' }),
    companies: () => request(z.object({ companies: z.array(CompanySchema) }), '/companies', { action: 'companies.list' }),
    tokens: (user?: string) => request(z.object({ tokens: z.array(TokenInfoSchema) }), `/tokens${qs({ user })}`, { action: 'tokens.list' }),
    revokeToken: (id: string) => request(z.object({ revoked: z.string() }), `/tokens/${enc(id)}`, { method: 'DELETE', action: 'tokens.revoke' }),
    preferences: (serial: string) => request(PreferencesSchema, `/devices/${enc(serial)}/preferences`, { action: 'preferences.read' }),
    setPreferences: async (serial: string, change: PreferencesChange) => (await request(z.object({ preferences: PreferencesSchema }), `/devices/${enc(serial)}/preferences`, { method: 'PUT', body: change, action: 'preferences.set' })).preferences,
    audit: (q: { before?: number | undefined; limit?: number | undefined } = {}) => request(z.object({ entries: z.array(AuditEntrySchema) }), `/audit${qs(q)}`, { action: 'audit.read' }),
  };
}

/** The client type. */
export type ApiClient = ReturnType<typeof createApiClient>;
