/** The REST API under /api/v1 (contract 3): JSON, bearer token, filters, cursor pagination, CSV reports. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { MESSAGE_KINDS } from '../../domain/callhome.js';
import { isSeverityKeyword, severityLevel } from '../../domain/severity.js';
import { assertNever } from '../../util/assert-never.js';
import type { AuthOutcome } from '../auth-throttle.js';
import type { ByteBudget } from '../limits.js';
import { readBody, type BodyRead } from '../read-body.js';
import { identityDifferences } from '../processing/processor.js';
import type { BackendService } from '../service.js';
import type { DeviceDetail } from '../store/types.js';
import { decodeCursor } from '../store/queries.js';
import { gatewayApiRoutes } from '../gateway/api-routes.js';
import { contractRoutes, registrationRoutes } from '../entitlement/api-routes.js';
import { toCsv } from './csv.js';
import { buildReport, REPORT_KINDS, streamHistory, type ReportKind } from './reports.js';

type Reply = { status: number; body: unknown; csv?: string; retryAfter?: number; close?: boolean; stream?: StreamedReply };
/** An answer written piece by piece (large reports): `write` waits for the socket to drain. */
type StreamedReply = { contentType: string; write(sink: Sink): Promise<unknown> };
type Sink = { write(text: string): Promise<void>; readonly closed: boolean };

/** API request bodies larger than this are refused with 413 (a contracts import is the largest). */
const API_BODY_LIMIT = 16 * 1024 * 1024;
/** One REST route: method, path pattern under /api/v1 (groups are path parameters), whether it needs the token. */
export type ApiRoute = { method: string; pattern: RegExp; auth: boolean; handle: (p: string[], url: URL, body: unknown) => Promise<Reply> };

const json = (status: number, body: unknown): Reply => ({ status, body });
const notFound = (what: string): Reply => json(404, { error: 'not-found', reason: `${what} does not exist.` });

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
    cursor: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .refine((q) => q.since === undefined || q.until === undefined || q.since < q.until, { message: 'since must be before until', path: ['since'] });

/** GET /notifications: newest first, at most 1,000. */
const NotificationsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

/** GET /reports/KIND: JSON (default) or CSV. */
const ReportQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json'), cursor: z.string().min(1).max(512).optional() });

/** A 400 naming each bad parameter, or the parsed query. */
function parseQuery<S extends z.ZodType>(schema: S, url: URL): { ok: true; value: z.output<S> } | { ok: false; reply: Reply } {
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
async function identityClaim(store: BackendService['store'], d: DeviceDetail) {
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

/** Device notification preferences (S57): extra recipients for the device's notifications. */
const PreferencesBody = z.object({ notifyEmails: z.array(z.email()).max(50) });

/** The route table; exported so tests can hold every route to the token rule, including new ones. */
export function apiRoutes(service: BackendService): readonly ApiRoute[] {
  const { store } = service;
  return [
    { method: 'GET', pattern: /^\/health$/, auth: false, handle: () => Promise.resolve(json(200, { ok: true })) },
    { method: 'GET', pattern: /^\/devices$/, auth: true, handle: async () => json(200, { devices: await store.listDevices() }) },
    {
      method: 'GET',
      pattern: /^\/devices\/([^/]+)$/,
      auth: true,
      handle: async ([serial = '']) => {
        const d = await store.getDevice(serial);
        return d ? json(200, { ...d, identityClaim: await identityClaim(store, d) }) : notFound(`Device ${serial}`);
      },
    },
    {
      method: 'POST',
      pattern: /^\/devices\/([^/]+)\/identity$/,
      auth: true,
      handle: async ([serial = ''], _u, body) => {
        const b = AcceptIdentityBody.safeParse(body);
        if (!b.success) return json(400, { error: 'bad-body', reason: 'Send {"messageId": <id of the message whose identity to accept, from identityClaim>}.' });
        const d = await service.acceptIdentity(serial, b.data.messageId);
        return d ? json(200, d) : json(404, { error: 'not-found', reason: `Message ${b.data.messageId} is not an identity claim for device ${serial}.` });
      },
    },
    {
      method: 'PUT',
      pattern: /^\/devices\/([^/]+)\/preferences$/,
      auth: true,
      handle: async ([serial = ''], _u, body) => {
        const b = PreferencesBody.safeParse(body);
        if (!b.success) return json(400, { error: 'bad-body', reason: 'Send {"notifyEmails": ["noc@example.com", ...]}.' });
        return (await store.setDeviceNotifyEmails(serial, b.data.notifyEmails)) ? json(200, await store.getDevice(serial)) : notFound(`Device ${serial}`);
      },
    },
    {
      method: 'GET',
      pattern: /^\/messages$/,
      auth: true,
      handle: async (_p, url) => {
        const q = parseQuery(MessagesQuery, url);
        if (!q.ok) return q.reply;
        if (q.value.cursor !== undefined && decodeCursor(q.value.cursor) === null) return json(400, { error: 'bad-cursor', reason: 'The cursor is not one this server issued; start again without --cursor.' });
        return json(200, await store.listMessages(q.value));
      },
    },
    {
      method: 'GET',
      pattern: /^\/messages\/(\d+)$/,
      auth: true,
      handle: async ([id = '']) => {
        const m = await store.getMessage(Number(id));
        return m ? json(200, m) : notFound(`Message ${id}`);
      },
    },
    ...registrationRoutes(service),
    {
      method: 'DELETE',
      pattern: /^\/registrations\/([^/]+)$/,
      auth: true,
      handle: async ([serial = '']) => ((await service.deleteRegistration(serial)) ? json(200, { ok: true }) : notFound(`Registration ${serial}`)),
    },
    ...contractRoutes(service),
    { method: 'GET', pattern: /^\/cases$/, auth: true, handle: async () => json(200, { cases: await store.listCases() }) },
    {
      method: 'GET',
      pattern: /^\/cases\/([^/]+)$/,
      auth: true,
      handle: async ([key = '']) => {
        const c = /^\d{1,6}$/.test(key) ? await store.getCase(Number(key)) : await store.getCaseByNumber(key);
        return c ? json(200, c) : notFound(`Case ${key}`);
      },
    },
    {
      method: 'GET',
      pattern: /^\/notifications$/,
      auth: true,
      handle: async (_p, url) => {
        const q = parseQuery(NotificationsQuery, url);
        return q.ok ? json(200, { notifications: await store.listNotifications(q.value.limit) }) : q.reply;
      },
    },
    { method: 'GET', pattern: /^\/stats$/, auth: true, handle: async () => json(200, await stats(service)) },
    {
      method: 'GET',
      pattern: /^\/reports\/([a-z]+)$/,
      auth: true,
      handle: async ([kind = ''], url) => {
        if (!(REPORT_KINDS as readonly string[]).includes(kind)) return json(404, { error: 'not-found', reason: `Report "${kind}" does not exist; use ${REPORT_KINDS.join(', ')}.` });
        const q = parseQuery(ReportQuery, url);
        if (!q.ok) return q.reply;
        const format = q.value.format === 'csv' ? 'csv' : 'json';
        if (kind === 'history') {
          const cursor = q.value.cursor;
          if (cursor !== undefined && decodeCursor(cursor) === null) return json(400, { error: 'bad-cursor', reason: 'The cursor is not one this server issued; start again without it.' });
          return { status: 200, body: null, stream: { contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json', write: (sink) => streamHistory(store, format, sink, { cursor }) } };
        }
        const report = await buildReport(store, kind as ReportKind);
        return format === 'csv' ? { status: 200, body: null, csv: toCsv(report.columns, report.rows) } : json(200, report);
      },
    },
    ...gatewayApiRoutes(service),
  ];
}

/** Builds the API request handler over the service; `check` validates the bearer token (and throttles wrong ones). */
export function createApiHandler(service: BackendService, check: (req: IncomingMessage) => AuthOutcome, budget: ByteBudget) {
  const routes = apiRoutes(service);
  return async (req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> => {
    const matching = routes.filter((r) => r.pattern.test(path));
    const route = matching.find((r) => r.method === req.method);
    let reply: Reply;
    const auth: AuthOutcome = route?.auth ? check(req) : { kind: 'ok' };
    if (!route) {
      reply = matching.length ? json(405, { error: 'method', reason: `${req.method ?? ''} is not allowed on ${path}.` }) : notFound(`The API path ${path}`);
    } else if (auth.kind !== 'ok') {
      // A wrong token past the free attempts is answered late: guessing goes no faster than the lock-out.
      if (auth.kind === 'throttled') await new Promise((resolve) => setTimeout(resolve, auth.delayMs));
      reply = refusal(auth);
    } else {
      let body: unknown = null;
      if (req.method === 'POST' || req.method === 'PUT') {
        // A declared length over the limit is refused before one byte of the body is read.
        const read: BodyRead = Number(req.headers['content-length'] ?? 0) > API_BODY_LIMIT ? { kind: 'too-large' } : await readBody(req, res, API_BODY_LIMIT, budget);
        if (read.kind === 'too-large') reply = { ...json(413, { error: 'too-large', reason: 'API request bodies are limited to 16 MiB.' }), close: true };
        else if (read.kind === 'busy') reply = { ...json(503, { error: 'busy', reason: 'The back end holds too many unfinished requests; retry later.' }), close: true, retryAfter: 5 };
        else {
          try {
            body = read.body.length > 0 ? JSON.parse(read.body.toString('utf8')) : {};
          } catch {
            body = undefined;
          }
        }
      }
      let params: string[] | null = null;
      try {
        params = (route.pattern.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
      } catch {
        reply ??= json(400, { error: 'bad-path', reason: `The path ${path} has a malformed %-escape.` });
      }
      if (params) reply ??= await route.handle(params, url, body);
      reply ??= json(400, { error: 'bad-path', reason: `The path ${path} cannot be read.` });
    }
    if (reply.stream) {
      res.writeHead(reply.status, { 'content-type': reply.stream.contentType });
      await reply.stream.write(socketSink(res));
      res.end();
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

/** The answer to a request whose token is not accepted. */
function refusal(auth: Exclude<AuthOutcome, { kind: 'ok' }>): Reply {
  switch (auth.kind) {
    case 'missing':
    case 'wrong':
      return json(401, { error: 'unauthorized', reason: 'Send Authorization: Bearer <token> (the token `callhome serve` was started with).' });
    case 'throttled':
      return {
        ...json(429, { error: 'too-many-attempts', reason: `Too many wrong tokens; this one is wrong too. Wrong tokens are slowed for ${auth.retryAfterSeconds} s; the right token is always accepted.` }),
        retryAfter: auth.retryAfterSeconds,
      };
    default:
      return assertNever(auth, 'auth outcome');
  }
}

async function stats(service: BackendService) {
  const { store } = service;
  const devices = await store.listDevices();
  const byRegistration: Record<string, number> = {};
  for (const d of devices) byRegistration[d.registration] = (byRegistration[d.registration] ?? 0) + 1;
  const cases = await store.listCases();
  return {
    devices: devices.length,
    byRegistration,
    cases: { total: cases.length, open: cases.filter((c) => c.status !== 'closed').length },
    lastSeq: await store.lastSeq(),
    refusals: service.refusalStats(),
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
