/**
 * Admin routes of the gateway registry under /api/v1 (S66, S81, S83): register, list, delete, reset.
 * A gateway belongs to a company: its Administrators (and SCH administrators) manage it, list it and
 * see its events; the registrant is an Administrator of that company, so becomes one of its administrators.
 */
import { z } from 'zod';
import type { ApiRoute, RequestContext } from '../api/router.js';
import type { BackendService } from '../service.js';
import { publicGateway, registerGateway, resetGatewayPassword } from './registry.js';
import { gatewaySummary } from './status.js';
import { gatewayPasswordChanged } from '../notifications/triggers.js';

const Registration = z.strictObject({ name: z.string().trim().min(1).max(64), company: z.string().trim().min(1).max(64).optional() });

const notFound = (id: string | undefined): { status: number; body: unknown } => ({ status: 404, body: { error: 'not-found', reason: `Gateway ${id ?? ''} does not exist.` } });

/**
 * The company a registration is for: the one named, if the caller administers it; else the caller's only
 * administered company. An SCH administrator may name any company, or none (the gateway is then the
 * service's own, seen by SCH administrators only).
 */
function registrationCompany(ctx: RequestContext, named: string | undefined): { ok: true; company: string | null } | { ok: false; status: number; body: unknown } {
  const administered = ctx.scope;
  if (administered === null) return { ok: true, company: named ?? null };
  if (named !== undefined) return administered.includes(named) ? { ok: true, company: named } : { ok: false, status: 403, body: { error: 'forbidden', reason: `You are not an Administrator of company ${named}.` } };
  if (administered.length === 1) return { ok: true, company: administered[0] ?? null };
  return { ok: false, status: 400, body: { error: 'bad-request', reason: `You administer ${administered.length} companies: name one with {"company": "..."}.` } };
}

export function gatewayApiRoutes(service: BackendService): ApiRoute[] {
  const { accounts } = service;
  const origin = (ctx: RequestContext) => ({ caller: ctx.caller, remote: ctx.remote });
  return [
    {
      method: 'POST',
      pattern: /^\/gateways$/,
      permission: 'admin',
      returns: 'company',
      handle: async (_p, _url, body, ctx) => {
        const r = Registration.safeParse(body);
        if (!r.success) return { status: 400, body: { error: 'bad-request', reason: 'Give {"name": "..."} (1 to 64 characters) and, when you administer several companies, {"company": "..."}.' } };
        const company = registrationCompany(ctx, r.data.company);
        if (!company.ok) return company;
        if (company.company !== null) await accounts.ensureCompanies([company.company]);
        const issued = await registerGateway(ctx.store, r.data.name, ctx.caller.userId, company.company);
        await service.log.append({ type: 'gateway.registered', gateway: gatewaySummary(issued), registeredBy: ctx.caller.userId });
        await accounts.audit(origin(ctx), 'gateway.registered', issued.id, issued.company, { name: issued.name });
        return { status: 201, body: issued };
      },
    },
    { method: 'GET', pattern: /^\/gateways$/, permission: 'admin', returns: 'company', handle: async (_p, _u, _b, { store }) => ({ status: 200, body: { gateways: (await store.listGateways()).map((g) => publicGateway(g)) } }) },
    {
      method: 'DELETE',
      pattern: /^\/gateways\/([^/]+)$/,
      permission: 'admin',
      returns: 'company',
      handle: async ([id], _u, _b, ctx) => {
        const g = await ctx.store.getGateway(id ?? '');
        if (!g || !(await ctx.store.deleteGateway(g.id))) return notFound(id);
        await service.log.append({ type: 'gateway.deleted', gateway: gatewaySummary(g) });
        await accounts.audit(origin(ctx), 'gateway.deleted', g.id, g.company, { name: g.name });
        return { status: 200, body: { deleted: g.id } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/gateways\/([^/]+)\/reset-password$/,
      permission: 'admin',
      returns: 'company',
      handle: async ([id], _u, _b, ctx) => {
        const issued = await resetGatewayPassword(ctx.store, id ?? '');
        if (!issued) return notFound(id);
        await accounts.audit(origin(ctx), 'gateway.password-reset', issued.id, issued.company);
        await service.raise((tx) => gatewayPasswordChanged(tx, issued, { resetBy: ctx.caller.userId }));
        return { status: 200, body: issued };
      },
    },
  ];
}
