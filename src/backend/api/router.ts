/** The REST API under /api/v1 (contract 3): JSON, bearer token, filters, cursor pagination, CSV reports. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { MESSAGE_KINDS } from '../../domain/callhome.js';
import { isSeverityKeyword, severityLevel } from '../../domain/severity.js';
import { assertNever } from '../../util/assert-never.js';
import type { Authenticated, AuthOutcome } from '../auth-throttle.js';
import { companiesFor, refusedBecause, type Caller, type Permission } from '../accounts/model.js';
import type { ByteBudget } from '../limits.js';
import { readBody, type BodyRead } from '../read-body.js';
import { identityDifferences } from '../processing/processor.js';
import type { BackendService } from '../service.js';
import type { DeviceDetail, Scope, StoreQueries } from '../store/types.js';
import { decodeCursor } from '../store/queries.js';
import { gatewayApiRoutes } from '../gateway/api-routes.js';
import { accountRoutes } from '../accounts/routes.js';
import { notificationRoutes } from '../notifications/api-routes.js';
import { contractRoutes, registrationRoutes } from '../entitlement/api-routes.js';
// sr-notify
import { findCase } from '../cases/service-requests.js';
import { preferencesView } from '../notifications/preferences.js';
import { ADVISORY_TYPES } from '../reports/advisories.js';
import { configurationText, deviceDetails, detailRows } from '../reports/device-details.js';
import { CONTENT_TYPES, EXPORT_FORMATS, writeReport, type ExportFormat, type Sink } from '../reports/export.js';
import { pagesOf } from '../reports/table.js';
import { buildReport, REPORT_CRITERIA, REPORT_KINDS, searchDevices, searchSerials, type ReportCriteria, type ReportKind } from './reports.js';

type Reply = { status: number; body: unknown; csv?: string; text?: string; retryAfter?: number; close?: boolean; stream?: StreamedReply };
/** An answer written piece by piece (reports): `write` waits for the socket to drain. */
type StreamedReply = { contentType: string; fileName?: string; write(sink: Sink): Promise<unknown> };

/** API request bodies larger than this are refused with 413 (a contracts import is the largest). */
const API_BODY_LIMIT = 16 * 1024 * 1024;
/**
 * What a handler gets besides the path and body (accounts, issue 15): the caller (an anonymous one on
 * `public` routes), the store already confined to the companies the route's permission gives the caller
 * (SQL-side), that scope, and the client address (for the audit log).
 */
export type RequestContext = {
  readonly caller: Caller;
  readonly store: StoreQueries;
  readonly scope: Scope;
  readonly remote: string | null;
  /** Counts a wrong password (login) against the address, like a wrong token: 401, or 429 once throttled. */
  wrongCredentials(): Promise<Reply>;
};

/** What a route returns: company data (confined to the caller's companies), the caller's own, or service facts. */
export type RouteScope = 'company' | 'caller' | 'service';

/**
 * One REST route: method, path pattern under /api/v1 (groups are path parameters), the permission the
 * router checks before the handler runs (model.ts: public, self, read, confirm, admin, sch-admin), and
 * what the answer holds. The router is the one place roles are enforced; handlers read through `ctx.store`.
 */
export type ApiRoute = {
  method: string;
  pattern: RegExp;
  permission: Permission;
  returns: RouteScope;
  handle: (p: string[], url: URL, body: unknown, ctx: RequestContext) => Promise<Reply>;
};
export type { Reply };

export const json = (status: number, body: unknown): Reply => ({ status, body });
export const notFound = (what: string): Reply => json(404, { error: 'not-found', reason: `${what} does not exist.` });

/**
 * A time filter: an ISO 8601 date or date-time (`2026-11-01`, `2026-11-01T10:00:00Z`), normalised to the
 * stored form so string comparison is time comparison. Anything else is a 400, never "no filter".
 */
const TimeFilter = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO 8601 date or date-time, e.g. 2026-11-01 or 2026-11-01T10:00:00Z')
  .transform((v, c) => {
    const t = Date.parse(v.replace(' ', 'T'));
    if (Number.isNaN(t)) {
      c.addIssue({ code: 'custom', message: 'is not a real date' });
      return z.NEVER;
    }
    return new Date(t).toISOString();
  });

/** Filters of GET /messages; an unknown parameter (a misspelt filter) is a 400, not silently "everything". */
const MessagesQuery = z
  .strictObject({
    device: z.string().min(1).max(256).optional(),
    type: z.enum(MESSAGE_KINDS).optional(),
    severity: z
      .string()
      .optional()
      .transform((s, c) => {
        if (s === undefined) return undefined;
        if (/^\d$/.test(s)) return Number(s);
        if (isSeverityKeyword(s)) return severityLevel(s);
        c.addIssue({ code: 'custom', message: 'must be 0-9 or a Call Home severity keyword' });
        return z.NEVER;
      }),
    since: TimeFilter.optional(),
    until: TimeFilter.optional(),
    q: z.string().min(1).max(256).optional(),
    // reports: the History report's device criteria (S71), a part of the host name / serial, a company.
    company: z.string().min(1).max(256).optional(),
    hostname: z.string().min(1).max(256).optional(),
    serial: z.string().min(1).max(256).optional(),
    cursor: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .refine((q) => q.since === undefined || q.until === undefined || q.since < q.until, { message: 'since must be before until', path: ['since'] });

/** GET /notifications: newest first, at most 1,000. */
const NotificationsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

/** GET /devices: the Device report's six criteria (S69), a part of the value each (the company whole); any registration state. */
const DevicesQuery = z.strictObject({
  company: z.string().min(1).max(256).optional(),
  hostname: z.string().min(1).max(256).optional(),
  serial: z.string().min(1).max(256).optional(),
  model: z.string().min(1).max(256).optional(),
  cardModel: z.string().min(1).max(256).optional(),
  cardSerial: z.string().min(1).max(256).optional(),
});

/** GET /reports/KIND: the format (JSON by default) and the report's criteria (REPORT_CRITERIA says which report takes which). */
const Criterion = z.string().min(1).max(256).optional();
const ReportQuery = z
  .strictObject({
    format: z.enum(EXPORT_FORMATS).default('json'),
    company: Criterion,
    hostname: Criterion,
    serial: Criterion,
    model: Criterion,
    cardModel: Criterion,
    cardSerial: Criterion,
    type: Criterion,
    device: Criterion,
    since: TimeFilter.optional(),
    until: TimeFilter.optional(),
    cursor: z.string().min(1).max(512).optional(),
  })
  .refine((q) => q.since === undefined || q.until === undefined || q.since < q.until, { message: 'since must be before until', path: ['since'] });

/** GET /reports/device/SERIAL: the details in JSON (default) or as a table in another format. */
const DetailsQuery = z.strictObject({ format: z.enum(EXPORT_FORMATS).default('json') });

/** The report's criteria from a parsed query, or a 400 naming what this report does not take or cannot read. */
function reportCriteria(kind: ReportKind, q: z.output<typeof ReportQuery>): { ok: true; value: ReportCriteria } | { ok: false; reply: Reply } {
  const { format: _format, ...criteria } = q;
  const allowed: readonly string[] = REPORT_CRITERIA[kind];
  const extra = Object.keys(criteria).filter((k) => criteria[k as keyof typeof criteria] !== undefined && !allowed.includes(k));
  if (extra.length > 0) return { ok: false, reply: json(400, { error: 'bad-query', reason: `The ${kind} report does not take ${extra.join(', ')}; it takes ${allowed.join(', ')}.` }) };
  if (kind === 'history' && criteria.type !== undefined && !(MESSAGE_KINDS as readonly string[]).includes(criteria.type)) return { ok: false, reply: json(400, { error: 'bad-query', reason: `type: must be one of ${MESSAGE_KINDS.join(', ')}` }) };
  if (kind === 'alerts' && criteria.type !== undefined && !(ADVISORY_TYPES as readonly string[]).includes(criteria.type)) return { ok: false, reply: json(400, { error: 'bad-query', reason: `type: must be one of ${ADVISORY_TYPES.join(', ')}` }) };
  if (criteria.cursor !== undefined && decodeCursor(criteria.cursor) === null) return { ok: false, reply: json(400, { error: 'bad-cursor', reason: 'The cursor is not one this server issued; start again without it.' }) };
  return { ok: true, value: criteria };
}

/** A report answer, streamed in its format; Excel and PDF come as a file to save. */
function streamed(format: ExportFormat, name: string, write: (sink: Sink) => Promise<unknown>): Reply {
  return { status: 200, body: null, stream: { contentType: CONTENT_TYPES[format], ...(format === 'xlsx' || format === 'pdf' ? { fileName: `${name}.${format}` } : {}), write } };
}

/** A 400 naming each bad parameter, or the parsed query. */
export function parseQuery<S extends z.ZodType>(schema: S, url: URL): { ok: true; value: z.output<S> } | { ok: false; reply: Reply } {
  const params = new Map<string, string>();
  for (const [k, v] of url.searchParams) {
    if (params.has(k)) return { ok: false, reply: json(400, { error: 'bad-query', reason: `${k.slice(0, 40)}: given more than once` }) };
    params.set(k, v);
  }
  const q = schema.safeParse(Object.fromEntries(params));
  if (q.success) return { ok: true, value: q.data };
  const reason = q.error.issues.map((i) => (i.code === 'unrecognized_keys' ? `unknown parameter ${i.keys.map((k) => k.slice(0, 40)).join(', ')}` : `${i.path.join('.')}: ${i.message}`)).join('; ');
  return { ok: false, reply: json(400, { error: 'bad-query', reason }) };
}

const AcceptIdentityBody = z.object({ messageId: z.number().int().positive() });

/**
 * What the newest flagged message claims about a confirmed device that its record does not hold
 * (issue 11: shown, not applied), or null. Looks at the device's last 20 messages.
 */
async function identityClaim(store: StoreQueries, d: DeviceDetail) {
  const recent = await store.listMessages({ device: d.serial, limit: 20 });
  for (const summary of recent.messages) {
    if (summary.serial !== d.serial) continue;
    const m = await store.getMessage(summary.id);
    if (!m?.flags.includes('identity-claim')) continue;
    const fields = identityDifferences(d, m.fields);
    if (fields.length === 0) return null;
    return { messageId: m.id, receivedAt: m.receivedAt, remote: m.remote, fields: Object.fromEntries(fields.map((f) => [f, { current: d[f], claimed: m.fields[f] }])) };
  }
  return null;
}

/**
 * Device preferences (S57, S58, S61, S68): any of the fields; `notifyEmails` is the older name of `emails`.
 * The SR contact is checked by the service (an administrator with Case Management permissions).
 */
const PreferencesBody = z
  .strictObject({
    notifications: z.boolean().optional(),
    serviceRequests: z.boolean().optional(),
    srContact: z.string().min(1).max(254).nullable().optional(),
    registrant: z.email().max(254).nullable().optional(),
    removeHostname: z.boolean().optional(),
    emails: z.array(z.email()).max(50).optional(),
    notifyEmails: z.array(z.email()).max(50).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one preference' });

/** An operator's change to a case (S55); a note is always required, so the history says why. */
const CaseUpdateBody = z.strictObject({ note: z.string().trim().min(1).max(4000), status: z.enum(['resolved', 'open']).optional(), priority: z.number().int().min(1).max(4).optional() });
const CaseCloseBody = z.strictObject({ note: z.string().trim().min(1).max(4000) });
/** The simulated SR tracker's availability (S53 back-end failure drills). */
const SrTrackerBody = z.strictObject({ available: z.boolean(), reason: z.string().max(200).optional() });
/** A portal "request support" submission (S62, S78). */
const SupportRequestBody = z.strictObject({ summary: z.string().trim().min(1).max(500), action: z.string().max(200).default(''), serial: z.string().min(1).max(64).nullable().default(null), parameters: z.record(z.string().max(64), z.string().max(500)).default({}) });

/** A 400 naming each bad field of a body. */
const badBody = (e: z.ZodError, hint: string): Reply => json(400, { error: 'bad-body', reason: `${e.issues.map((i) => `${i.code === 'unrecognized_keys' ? `unknown field ${i.keys.join(', ')}` : `${i.path.join('.') || 'body'}: ${i.message}`}`).join('; ')}. ${hint}` });

/** The route table; exported so tests can hold every route to its permission and scope, including new ones. */
export function apiRoutes(service: BackendService): readonly ApiRoute[] {
  const { accounts } = service;
  const origin = (ctx: RequestContext) => ({ caller: ctx.caller, remote: ctx.remote });
  return [
    { method: 'GET', pattern: /^\/health$/, permission: 'public', returns: 'service', handle: () => Promise.resolve(json(200, { ok: true })) },
    {
      method: 'GET',
      pattern: /^\/devices$/,
      permission: 'read',
      returns: 'company',
      handle: async (_p, url, _b, { store }) => {
        const q = parseQuery(DevicesQuery, url);
        if (!q.ok) return q.reply;
        const searched = Object.values(q.value).some((v) => v !== undefined);
        return json(200, { devices: searched ? await searchDevices(store, q.value) : await store.listDevices() });
      },
    },
    {
      method: 'GET',
      pattern: /^\/devices\/([^/]+)$/,
      permission: 'read',
      returns: 'company',
      handle: async ([serial = ''], _u, _b, { store }) => {
        const d = await store.getDevice(serial);
        return d ? json(200, { ...d, identityClaim: await identityClaim(store, d) }) : notFound(`Device ${serial}`);
      },
    },
    {
      method: 'POST',
      pattern: /^\/devices\/([^/]+)\/identity$/,
      permission: 'admin',
      returns: 'company',
      handle: async ([serial = ''], _u, body, ctx) => {
        const b = AcceptIdentityBody.safeParse(body);
        if (!b.success) return json(400, { error: 'bad-body', reason: 'Send {"messageId": <id of the message whose identity to accept, from identityClaim>}.' });
        const device = await ctx.store.getDevice(serial);
        const d = device ? await service.acceptIdentity(serial, b.data.messageId) : null;
        if (!d) return json(404, { error: 'not-found', reason: `Message ${b.data.messageId} is not an identity claim for device ${serial}.` });
        await accounts.audit(origin(ctx), 'device.identity-accepted', serial, device?.company ?? null, { messageId: b.data.messageId });
        return json(200, d);
      },
    },
    {
      method: 'PUT',
      pattern: /^\/devices\/([^/]+)\/preferences$/,
      permission: 'admin',
      returns: 'company',
      handle: async ([serial = ''], _u, body, ctx) => {
        const b = PreferencesBody.safeParse(body);
        if (!b.success) return badBody(b.error, 'Send any of {"notifications": true, "serviceRequests": true, "srContact": "admin@example.com", "registrant": "a@example.com", "removeHostname": false, "emails": ["noc@example.com"]}.');
        const device = await ctx.store.getDevice(serial);
        if (!device) return notFound(`Device ${serial}`);
        const { notifyEmails, emails, ...rest } = b.data;
        const r = await service.setPreferences(serial, { ...rest, emails: emails ?? notifyEmails });
        if (!r.ok) return r.error.kind === 'not-found' ? notFound(`Device ${serial}`) : json(422, { error: r.error.kind, reason: r.error.message });
        await accounts.audit(origin(ctx), 'preferences.changed', serial, device.company, { fields: Object.keys(b.data) });
        // The device (as before) with its preferences.
        return json(200, { ...(await ctx.store.getDevice(serial)), preferences: r.value });
      },
    },
    {
      method: 'GET',
      pattern: /^\/devices\/([^/]+)\/preferences$/,
      permission: 'read',
      returns: 'company',
      handle: async ([serial = ''], _u, _b, { store }) => {
        const p = await preferencesView(store, serial);
        return p ? json(200, p) : notFound(`Device ${serial}`);
      },
    },
    {
      method: 'GET',
      pattern: /^\/messages$/,
      permission: 'read',
      returns: 'company',
      handle: async (_p, url, _b, { store }) => {
        const q = parseQuery(MessagesQuery, url);
        if (!q.ok) return q.reply;
        if (q.value.cursor !== undefined && decodeCursor(q.value.cursor) === null) return json(400, { error: 'bad-cursor', reason: 'The cursor is not one this server issued; start again without --cursor.' });
        const { company, hostname, serial, ...filter } = q.value;
        const serials = await searchSerials(store, { company, hostname, serial });
        return json(200, await store.listMessages({ ...filter, serials }));
      },
    },
    {
      method: 'GET',
      pattern: /^\/messages\/(\d+)$/,
      permission: 'read',
      returns: 'company',
      handle: async ([id = ''], _u, _b, { store }) => {
        const m = await store.getMessage(Number(id));
        return m ? json(200, m) : notFound(`Message ${id}`);
      },
    },
    ...registrationRoutes(service),
    {
      method: 'DELETE',
      pattern: /^\/registrations\/([^/]+)$/,
      permission: 'admin',
      returns: 'company',
      handle: async ([serial = ''], _u, _b, ctx) => {
        const device = await ctx.store.getDevice(serial);
        if (!device || !(await ctx.store.getRegistration(serial)) || !(await service.deleteRegistration(serial))) return notFound(`Registration ${serial}`);
        await accounts.audit(origin(ctx), 'registration.deleted', serial, device.company);
        return json(200, { ok: true });
      },
    },
    ...contractRoutes(service),
    { method: 'GET', pattern: /^\/cases$/, permission: 'read', returns: 'company', handle: async (_p, _u, _b, { store }) => json(200, { cases: await store.listCases() }) },
    {
      method: 'GET',
      pattern: /^\/cases\/([^/]+)$/,
      permission: 'read',
      returns: 'company',
      handle: async ([key = ''], _u, _b, { store }) => {
        const c = /^\d{1,6}$/.test(key) ? await store.getCase(Number(key)) : await store.getCaseByNumber(key);
        return c ? json(200, c) : notFound(`Case ${key}`);
      },
    },
    ...(['update', 'close'] as const).map(
      (action): ApiRoute => ({
        method: 'POST',
        pattern: action === 'close' ? /^\/cases\/([^/]+)\/close$/ : /^\/cases\/([^/]+)\/update$/,
        permission: 'admin',
        returns: 'company',
        handle: async ([key = ''], _u, body, ctx) => {
          const b = action === 'close' ? CaseCloseBody.safeParse(body) : CaseUpdateBody.safeParse(body);
          if (!b.success) return badBody(b.error, action === 'close' ? 'Send {"note": "why it is closed"}.' : 'Send {"note": "what changed", "status": "resolved"|"open", "priority": 1-4} (note required).');
          // The scoped store: a case of a device outside the caller's companies does not exist for them.
          const found = await findCase(ctx, key);
          if (!found) return notFound(`Case ${key}`);
          const by = ctx.caller.name || ctx.caller.userId;
          const r = await service.changeCase(key, action === 'close' ? { action: 'close', note: b.data.note, by } : { action: 'update', ...(b.data as z.infer<typeof CaseUpdateBody>), by });
          if (!r.ok) return r.error.kind === 'not-found' ? notFound(`Case ${key}`) : json(409, { error: 'case-closed', reason: r.error.message });
          const device = await ctx.store.getDevice(found.serial);
          await accounts.audit(origin(ctx), 'case.changed', found.number, device?.company ?? null, { action, status: r.value.status });
          return json(200, r.value);
        },
      }),
    ),
    { method: 'GET', pattern: /^\/sr-tracker$/, permission: 'read', returns: 'service', handle: () => Promise.resolve(json(200, { available: service.srTracker.available(), reason: service.srTracker.reason() })) },
    {
      method: 'PUT',
      pattern: /^\/sr-tracker$/,
      permission: 'sch-admin',
      returns: 'service',
      handle: (_p, _u, body) => {
        const b = SrTrackerBody.safeParse(body);
        if (!b.success) return Promise.resolve(badBody(b.error, 'Send {"available": false, "reason": "..."} or {"available": true}.'));
        service.srTracker.set(b.data.available, b.data.reason);
        return Promise.resolve(json(200, { available: service.srTracker.available(), reason: service.srTracker.reason() }));
      },
    },
    {
      method: 'POST',
      pattern: /^\/support-requests$/,
      permission: 'read',
      returns: 'caller',
      handle: async (_p, _u, body, ctx) => {
        const b = SupportRequestBody.safeParse(body);
        if (!b.success) return badBody(b.error, 'Send {"summary": "what went wrong", "action": "what you were doing", "serial": null, "parameters": {}}.');
        // A serial outside the caller's companies is not named to support on their behalf.
        if (b.data.serial !== null && !(await ctx.store.getDevice(b.data.serial))) return notFound(`Device ${b.data.serial}`);
        const n = await service.supportRequest({ ...b.data, parameters: { ...b.data.parameters, user: ctx.caller.userId } });
        return json(200, { notification: n.id, to: n.to });
      },
    },
    {
      method: 'GET',
      pattern: /^\/notifications$/,
      permission: 'read',
      returns: 'company',
      handle: async (_p, url, _b, { store }) => {
        const q = parseQuery(NotificationsQuery, url);
        return q.ok ? json(200, { notifications: await store.listNotifications(q.value.limit) }) : q.reply;
      },
    },
    { method: 'GET', pattern: /^\/stats$/, permission: 'read', returns: 'company', handle: async (_p, _u, _b, ctx) => json(200, await stats(service, ctx)) },
    {
      method: 'GET',
      pattern: /^\/reports\/([a-z]+)$/,
      permission: 'read',
      returns: 'company',
      handle: async ([kind = ''], url, _b, { store }) => {
        if (!(REPORT_KINDS as readonly string[]).includes(kind)) return json(404, { error: 'not-found', reason: `Report "${kind}" does not exist; use ${REPORT_KINDS.join(', ')}.` });
        const q = parseQuery(ReportQuery, url);
        if (!q.ok) return q.reply;
        const criteria = reportCriteria(kind as ReportKind, q.value);
        if (!criteria.ok) return criteria.reply;
        const report = await buildReport(store, kind as ReportKind, criteria.value);
        return streamed(q.value.format, `callhome-${kind}-report`, (sink) => writeReport(report, q.value.format, sink));
      },
    },
    {
      method: 'GET',
      pattern: /^\/reports\/device\/([^/]+)$/,
      permission: 'read',
      returns: 'company',
      handle: async ([serial = ''], url, _b, { store }) => {
        const q = parseQuery(DetailsQuery, url);
        if (!q.ok) return q.reply;
        const details = await deviceDetails(store, serial);
        // S77: "No data was found" when the device is not registered or has sent no inventory.
        if ('kind' in details) return json(404, { error: details.kind === 'unknown' ? 'not-found' : 'no-data', reason: details.reason });
        if (q.value.format === 'json') return json(200, details);
        const table = { kind: 'device-details', title: `Device Details ${serial}`, columns: [{ key: 'category', header: 'Category' }, { key: 'item', header: 'Item' }, { key: 'field', header: 'Field' }, { key: 'value', header: 'Value', width: 3 }], criteria: { serial }, empty: 'No data was found.', pages: pagesOf(detailRows(details)), next: () => null };
        return streamed(q.value.format, `callhome-device-${serial.replace(/[^\w.-]/g, '_')}`, (sink) => writeReport(table, q.value.format, sink));
      },
    },
    {
      method: 'GET',
      pattern: /^\/reports\/device\/([^/]+)\/config\/([a-z]+)$/,
      permission: 'read',
      returns: 'company',
      handle: async ([serial = '', which = ''], _u, _b, { store }) => {
        if (which !== 'running' && which !== 'startup') return notFound(`The configuration "${which}" (use running or startup)`);
        const text = await configurationText(store, serial, which === 'startup' ? 'startup' : 'running');
        // S77: "configuration data is not available" when no configuration message has been received.
        return text === null ? json(404, { error: 'no-data', reason: `Configuration data is not available for ${serial} (${which}).` }) : { status: 200, body: null, text };
      },
    },
    ...gatewayApiRoutes(service),
    ...accountRoutes(service),
    ...notificationRoutes(service),
  ];
}

/** How the API knows its callers: the bearer token's caller (throttled), and the count of a wrong password. */
export type ApiAuth = {
  check(req: IncomingMessage): Promise<Authenticated<Caller>>;
  failed(req: IncomingMessage): Exclude<AuthOutcome, { kind: 'ok' | 'missing' }>;
};

/** The caller of `public` routes. */
const ANONYMOUS: Caller = { userId: 'anonymous', name: 'anonymous', schAdmin: false, tokenId: null, roles: new Map(), agreementPending: false };

/**
 * Builds the API request handler over the service. The one enforcement point: the route's permission is
 * checked against the caller before its handler runs, and the handler reads through a store confined to
 * the companies that permission gives the caller.
 */
export function createApiHandler(service: BackendService, auth: ApiAuth, budget: ByteBudget) {
  const routes = apiRoutes(service);
  return async (req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> => {
    const matching = routes.filter((r) => r.pattern.test(path));
    const route = matching.find((r) => r.method === req.method);
    let reply: Reply;
    const who: Authenticated<Caller> = route && route.permission !== 'public' ? await auth.check(req) : { kind: 'ok', who: ANONYMOUS };
    if (!route) {
      reply = matching.length ? json(405, { error: 'method', reason: `${req.method ?? ''} is not allowed on ${path}.` }) : notFound(`The API path ${path}`);
    } else if (who.kind !== 'ok') {
      // A wrong token past the free attempts is answered late: guessing goes no faster than the lock-out.
      if (who.kind === 'throttled') await new Promise((resolve) => setTimeout(resolve, who.delayMs));
      reply = refusal(who);
    } else {
      const caller = who.who;
      const forbidden = refusedBecause(caller, route.permission);
      if (forbidden !== null) reply = json(403, { error: caller.agreementPending ? 'legal-agreement' : 'forbidden', reason: forbidden });
      else {
        const scope = companiesFor(caller, route.permission);
        const ctx: RequestContext = {
          caller,
          scope,
          store: scope === null ? service.store : service.store.scoped(scope),
          remote: req.socket.remoteAddress ?? null,
          async wrongCredentials() {
            const outcome = auth.failed(req);
            if (outcome.kind === 'throttled') await new Promise((resolve) => setTimeout(resolve, outcome.delayMs));
            return outcome.kind === 'throttled' ? refusal(outcome) : json(401, { error: 'unauthorized', reason: 'Wrong user id or password.' });
          },
        };
        reply = await runRoute(route, req, res, path, url, budget, ctx);
      }
    }
    if (reply.stream) {
      res.writeHead(reply.status, { 'content-type': reply.stream.contentType, ...(reply.stream.fileName ? { 'content-disposition': `attachment; filename="${reply.stream.fileName}"` } : {}) });
      // A failure from here on is logged by the server and cuts the connection (the status line is gone):
      // that is how the reader learns the file is incomplete.
      await reply.stream.write(socketSink(res));
      res.end();
      return;
    }
    if (reply.text !== undefined) {
      res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(reply.text);
      return;
    }
    if (reply.csv !== undefined) {
      res.writeHead(reply.status, { 'content-type': 'text/csv; charset=utf-8' });
      res.end(reply.csv);
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      ...(reply.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      ...(reply.retryAfter !== undefined ? { 'retry-after': String(reply.retryAfter) } : {}),
      ...(reply.close ? { connection: 'close' } : {}),
    });
    // The rest of an oversize body is never read: the connection goes once the answer is out.
    if (reply.close) res.on('finish', () => req.socket.destroy());
    res.end(text);
  };
}

/** Reads the body and the path parameters, then runs the handler. */
async function runRoute(route: ApiRoute, req: IncomingMessage, res: ServerResponse, path: string, url: URL, budget: ByteBudget, ctx: RequestContext): Promise<Reply> {
  let body: unknown = null;
  if (req.method === 'POST' || req.method === 'PUT') {
    // A declared length over the limit is refused before one byte of the body is read.
    const read: BodyRead = Number(req.headers['content-length'] ?? 0) > API_BODY_LIMIT ? { kind: 'too-large' } : await readBody(req, res, API_BODY_LIMIT, budget);
    if (read.kind === 'too-large') return { ...json(413, { error: 'too-large', reason: 'API request bodies are limited to 16 MiB.' }), close: true };
    if (read.kind === 'busy') return { ...json(503, { error: 'busy', reason: 'The back end holds too many unfinished requests; retry later.' }), close: true, retryAfter: 5 };
    try {
      body = read.body.length > 0 ? JSON.parse(read.body.toString('utf8')) : {};
    } catch {
      body = undefined;
    }
  }
  let params: string[];
  try {
    params = (route.pattern.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
  } catch {
    return json(400, { error: 'bad-path', reason: `The path ${path} has a malformed %-escape.` });
  }
  return route.handle(params, url, body, ctx);
}

/** The answer to a request whose token is not accepted. */
function refusal(auth: Exclude<AuthOutcome, { kind: 'ok' }>): Reply {
  switch (auth.kind) {
    case 'missing':
    case 'wrong':
      return json(401, { error: 'unauthorized', reason: 'Send Authorization: Bearer <token>: a personal token from `callhome login` (POST /api/v1/login), or the bootstrap token `callhome serve` was started with. An expired or revoked token is refused.' });
    case 'throttled':
      return {
        ...json(429, { error: 'too-many-attempts', reason: `Too many wrong tokens; this one is wrong too. Wrong tokens are slowed for ${auth.retryAfterSeconds} s; the right token is always accepted.` }),
        retryAfter: auth.retryAfterSeconds,
      };
    default:
      return assertNever(auth, 'auth outcome');
  }
}

async function stats(service: BackendService, { store, caller }: RequestContext) {
  const devices = await store.listDevices();
  const byRegistration: Record<string, number> = {};
  for (const d of devices) byRegistration[d.registration] = (byRegistration[d.registration] ?? 0) + 1;
  const cases = await store.listCases();
  return {
    devices: devices.length,
    byRegistration,
    cases: { total: cases.length, open: cases.filter((c) => c.status !== 'closed').length },
    lastSeq: await store.lastSeq(),
    // Refusals are about senders on the internet, not a company's data: SCH administrators only.
    ...(caller.schAdmin ? { refusals: service.refusalStats() } : {}),
  };
}

/** Writes to a response with back-pressure: each write resolves once the socket can take more (or is gone). */
function socketSink(res: ServerResponse): Sink {
  return {
    get closed() {
      return res.destroyed;
    },
    write: (text) =>
      new Promise<void>((resolve) => {
        if (res.destroyed || res.write(text)) return resolve();
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      }),
  };
}

