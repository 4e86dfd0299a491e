/**
 * REST routes of the accounts (issue 15; S28–S32, S64–S68, S93) under /api/v1: log-in, the caller, the legal
 * agreement, companies, users and their roles, personal tokens, the back-office directory import and the
 * audit log. Their permissions are in the table; the router enforces them (api/router.ts).
 */
import { z } from 'zod';
import { json, notFound, parseQuery, type ApiRoute, type RequestContext } from '../api/router.js';
import type { BackendService } from '../service.js';
import { DirectorySchema } from './directory-file.js';
import { ROLES } from './model.js';

const LoginBody = z.strictObject({ user: z.string().min(1).max(64), password: z.string().min(1).max(1024), label: z.string().trim().min(1).max(64).optional() });
const AgreementBody = z.strictObject({ version: z.string().min(1).max(64) });
const AddUserBody = z.strictObject({ user: z.string().min(1).max(64), company: z.string().min(1).max(64), role: z.enum(ROLES).default('user') });
const RoleBody = z.strictObject({ role: z.enum(ROLES) });
const TokenBody = z.strictObject({ label: z.string().trim().min(1).max(64).default('api') });
const TokensQuery = z.strictObject({ user: z.string().min(1).max(64).optional() });
const AuditQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200), before: z.coerce.number().int().positive().optional() });

const badBody = (reason: string) => json(400, { error: 'bad-body', reason });
const issues = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

export function accountRoutes(service: BackendService): ApiRoute[] {
  const { accounts } = service;
  const origin = (ctx: RequestContext) => ({ caller: ctx.caller, remote: ctx.remote });
  return [
    {
      method: 'POST',
      pattern: /^\/login$/,
      permission: 'public',
      returns: 'caller',
      handle: async (_p, _u, body, ctx) => {
        const b = LoginBody.safeParse(body);
        if (!b.success) return badBody('Send {"user": "<your user id>", "password": "…"} (and optionally "label").');
        const r = await accounts.login(b.data.user, b.data.password, b.data.label ?? 'login', ctx.remote);
        if (!r) return ctx.wrongCredentials();
        return json(200, { token: r.token, tokenId: r.tokenId, expiresAt: r.expiresAt, user: r.user, legalAgreement: { version: accounts.agreement.version, accepted: !r.caller.agreementPending } });
      },
    },
    { method: 'GET', pattern: /^\/me$/, permission: 'self', returns: 'caller', handle: async (_p, _u, _b, ctx) => json(200, await accounts.me(ctx.caller)) },
    {
      method: 'GET',
      pattern: /^\/agreement$/,
      permission: 'self',
      returns: 'service',
      handle: (_p, _u, _b, ctx) => Promise.resolve(json(200, { ...accounts.agreement, accepted: !ctx.caller.agreementPending })),
    },
    {
      method: 'POST',
      pattern: /^\/agreement$/,
      permission: 'self',
      returns: 'caller',
      handle: async (_p, _u, body, ctx) => {
        const b = AgreementBody.safeParse(body);
        if (!b.success) return badBody(`Send {"version": "${accounts.agreement.version}"} to accept the current legal agreement.`);
        const r = await accounts.acceptAgreement(origin(ctx), b.data.version);
        return r.ok ? json(200, { accepted: b.data.version }) : json(r.error.status, { error: r.error.error, reason: r.error.reason });
      },
    },
    { method: 'GET', pattern: /^\/companies$/, permission: 'read', returns: 'company', handle: async (_p, _u, _b, ctx) => json(200, { companies: await accounts.listCompanies(ctx.scope) }) },
    { method: 'GET', pattern: /^\/users$/, permission: 'read', returns: 'company', handle: async (_p, _u, _b, ctx) => json(200, { users: await accounts.listUsers(ctx.scope) }) },
    {
      method: 'POST',
      pattern: /^\/users$/,
      permission: 'admin',
      returns: 'company',
      handle: async (_p, _u, body, ctx) => {
        const b = AddUserBody.safeParse(body);
        if (!b.success) return badBody(`Send {"user": "<CCO id>", "company": "<company id>", "role": "administrator" | "user"}: ${issues(b.error)}`);
        const r = await accounts.addUser(origin(ctx), b.data.user, b.data.company, b.data.role);
        return r.ok ? json(201, r.value) : json(r.error.status, { error: r.error.error, reason: r.error.reason });
      },
    },
    {
      method: 'PUT',
      pattern: /^\/users\/([^/]+)\/companies\/([^/]+)$/,
      permission: 'admin',
      returns: 'company',
      handle: async ([user = '', company = ''], _u, body, ctx) => {
        const b = RoleBody.safeParse(body);
        if (!b.success) return badBody('Send {"role": "administrator" | "user"}.');
        const r = await accounts.setRole(origin(ctx), user, company, b.data.role);
        return r.ok ? json(200, r.value) : json(r.error.status, { error: r.error.error, reason: r.error.reason });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/users\/([^/]+)\/companies\/([^/]+)$/,
      permission: 'admin',
      returns: 'company',
      handle: async ([user = '', company = ''], _u, _b, ctx) => {
        const r = await accounts.deleteUser(origin(ctx), user, company);
        return r.ok ? json(200, { deleted: { user, company } }) : json(r.error.status, { error: r.error.error, reason: r.error.reason });
      },
    },
    {
      method: 'GET',
      pattern: /^\/tokens$/,
      permission: 'self',
      returns: 'caller',
      handle: async (_p, url, _b, ctx) => {
        const q = parseQuery(TokensQuery, url);
        if (!q.ok) return q.reply;
        if (q.value.user !== undefined && !ctx.caller.schAdmin && q.value.user !== ctx.caller.userId) return json(403, { error: 'forbidden', reason: 'Only an SCH administrator may list another user’s tokens.' });
        return json(200, { tokens: await accounts.listTokens(ctx.caller, q.value.user ?? (ctx.caller.schAdmin ? null : ctx.caller.userId)) });
      },
    },
    {
      method: 'POST',
      pattern: /^\/tokens$/,
      permission: 'self',
      returns: 'caller',
      handle: async (_p, _u, body, ctx) => {
        const b = TokenBody.safeParse(body);
        if (!b.success) return badBody('Send {"label": "<what the token is for>"}.');
        const r = await accounts.createToken(origin(ctx), b.data.label);
        return r.ok ? json(201, r.value) : json(r.error.status, { error: r.error.error, reason: r.error.reason });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/tokens\/([^/]+)$/,
      permission: 'self',
      returns: 'caller',
      handle: async ([id = ''], _u, _b, ctx) => {
        // `current` is the token of this request (log out).
        const which = id === 'current' ? ctx.caller.tokenId : id;
        if (which === null) return json(409, { error: 'bootstrap-token', reason: 'The bootstrap token cannot be revoked; restart `callhome serve` with another --token.' });
        const r = await accounts.revokeToken(origin(ctx), which);
        return r.ok ? json(200, { revoked: which }) : json(r.error.status, { error: r.error.error, reason: r.error.reason });
      },
    },
    {
      method: 'POST',
      pattern: /^\/directory$/,
      permission: 'sch-admin',
      returns: 'service',
      handle: async (_p, _u, body, ctx) => {
        const b = DirectorySchema.safeParse(body);
        if (!b.success) return badBody(issues(b.error));
        return json(200, await accounts.importDirectory(origin(ctx), b.data));
      },
    },
    {
      method: 'GET',
      pattern: /^\/audit$/,
      permission: 'admin',
      returns: 'company',
      handle: async (_p, url, _b, ctx) => {
        const q = parseQuery(AuditQuery, url);
        if (!q.ok) return q.reply;
        return json(200, { entries: await accounts.listAudit(ctx.scope, q.value.limit, q.value.before) });
      },
    },
    { method: 'GET', pattern: /^\/companies\/([^/]+)$/, permission: 'read', returns: 'company', handle: async ([id = ''], _u, _b, ctx) => {
      const found = (await accounts.listCompanies(ctx.scope)).find((c) => c.id === id);
      return found ? json(200, found) : notFound(`Company ${id}`);
    } },
  ];
}
