/**
 * REST routes of registration and entitlement under /api/v1: confirm by token (S11) or by selection
 * (S12), contract edits (S22), token lock-outs (S17), and the back-office fixtures (contracts,
 * installed base, CCO profiles; S24). An SCH administrator acts for SCH Support and may act for a CCO profile.
 */
import { z } from 'zod';
import type { ApiRoute, RequestContext } from '../api/router.js';
import type { ConfirmFailure, Confirmed } from '../processing/registration.js';
import type { BackendService } from '../service.js';
import type { Registration } from '../store/types.js';
import type { Result } from '../../util/result.js';
import { endsAt } from './engine.js';
import { BackOfficeSchema, daysLeft, type Actor } from './model.js';

const Choice = { profile: z.string().min(1).max(256).optional(), contract: z.string().min(1).max(256).optional(), company: z.string().min(1).max(64).optional() };
const ConfirmBody = z.object({ token: z.string().min(1).max(512), ...Choice });
const ConfirmSelectedBody = z.object({ serials: z.array(z.string().min(1).max(256)).min(1).max(1000), ...Choice });
const EditContractBody = z.object({ contract: z.string().min(1).max(256), profile: Choice.profile });
/** The older import: one row per serial (contract '' = in the installed base, not covered). */
const ContractRowsBody = z.object({
  contracts: z.array(
    z.object({
      serial: z.string().min(1),
      contractNumber: z.string().default(''),
      contractType: z.string().default('direct'),
      company: z.string().default(''),
      expiresAt: z.string().nullable().default(null),
    }),
  ),
});
const BackOfficeBody = z.object({ backOffice: BackOfficeSchema });

/** A registration as the API shows it: no token hash; with the end date and the days left. */
export function publicRegistration(r: Registration, now: Date) {
  const { tokenHash: _hash, ...rest } = r;
  const end = r.coverage ? endsAt({ coverage: r.coverage, coverageEndsAt: r.coverageEndsAt, trialEndsAt: r.trialEndsAt }) : null;
  return { ...rest, endsAt: end, daysLeft: end === null || r.state === 'expired' ? null : daysLeft(end, now) };
}

function failure(e: ConfirmFailure) {
  const status = e.kind === 'unknown' ? 404 : e.kind === 'locked' ? 423 : e.kind === 'not-pending' ? 409 : 403;
  // A refusal's error is its S16 reason code, so clients tell causes apart without reading the text.
  return { status, body: { error: e.kind === 'refused' ? e.code : e.kind, reason: e.message } };
}

const answer = (r: Result<Registration, ConfirmFailure>, now: Date) => (r.ok ? { status: 200, body: { registration: publicRegistration(r.value, now) } } : failure(r.error));

/** The actor of a request: the caller; an SCH administrator (the bootstrap token too) acts for SCH Support. */
const actorOf = (ctx: RequestContext): Actor => ({ user: ctx.caller.userId, support: ctx.caller.schAdmin });

/**
 * The company a confirmed device goes to when the entitlement decision names none (S27): the one the caller
 * names, else the company of the caller's CCO profile, else the caller's only company; null when there is
 * none (the bootstrap token: the device is then seen by SCH administrators only).
 */
async function fallbackCompany(ctx: RequestContext, named: string | undefined): Promise<{ ok: true; value: string | null } | { ok: false; reason: string }> {
  const { caller } = ctx;
  if (named !== undefined) {
    if (!caller.schAdmin && !caller.roles.has(named) && (await ctx.store.getUser(caller.userId))?.profileCompany !== named) return { ok: false, reason: `You cannot register a device to ${named}: you are not registered to that company.` };
    return { ok: true, value: named };
  }
  const profile = (await ctx.store.getUser(caller.userId))?.profileCompany ?? null;
  if (profile !== null) return { ok: true, value: profile };
  const mine = [...caller.roles.keys()];
  if (mine.length > 1) return { ok: false, reason: `You belong to ${mine.join(', ')}: say which company the device is for with {"company": "…"}.` };
  return { ok: true, value: mine[0] ?? null };
}

export function registrationRoutes(service: BackendService): ApiRoute[] {
  const { accounts } = service;
  const now = (): Date => service.now();
  const origin = (ctx: RequestContext) => ({ caller: ctx.caller, remote: ctx.remote });
  const confirmed = async (ctx: RequestContext, r: Result<Confirmed, ConfirmFailure>) => {
    if (!r.ok) return failure(r.error);
    await accounts.confirmedBy(origin(ctx), r.value.serial, r.value.company);
    return { status: 200, body: { registration: { ...publicRegistration(r.value, now()), company: r.value.company } } };
  };
  return [
    { method: 'GET', pattern: /^\/registrations$/, permission: 'read', returns: 'company', handle: async (_p, _u, _b, { store }) => ({ status: 200, body: { registrations: (await store.listRegistrations()).map((r) => publicRegistration(r, now())) } }) },
    {
      method: 'POST',
      pattern: /^\/registrations\/confirm$/,
      // S12: devices picked from the Devices Pending Registration list — only those of the caller's companies.
      permission: 'confirm',
      returns: 'company',
      handle: async (_p, _u, body, ctx) => {
        const b = ConfirmSelectedBody.safeParse(body);
        if (!b.success) return { status: 400, body: { error: 'bad-body', reason: 'Send {"serials": ["SERIAL", ...]} (optional "profile", "contract", "company").' } };
        const company = await fallbackCompany(ctx, b.data.company);
        if (!company.ok) return { status: 403, body: { error: 'forbidden', reason: company.reason } };
        const visible: string[] = [];
        const results: unknown[] = [];
        for (const serial of [...new Set(b.data.serials)]) {
          if (await ctx.store.getRegistration(serial)) visible.push(serial);
          else results.push({ serial, ok: false, error: 'unknown', reason: `No pending registration ${serial} in your companies.` });
        }
        for (const { serial, result } of await service.confirmSelected(visible, { actor: actorOf(ctx), profile: b.data.profile ?? null, contract: b.data.contract ?? null, company: company.value })) {
          const a = await confirmed(ctx, result);
          results.push(a.status === 200 ? { serial, ok: true, ...(a.body as object) } : { serial, ok: false, ...(a.body as object) });
        }
        return { status: 200, body: { results } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/registrations\/([^/]+)\/confirm$/,
      // The token (mailed to the device's contact) proves the device; the confirming user gets its company (S27).
      permission: 'confirm',
      returns: 'company',
      handle: async ([serial = ''], _u, body, ctx) => {
        const b = ConfirmBody.safeParse(body);
        if (!b.success) return { status: 400, body: { error: 'bad-body', reason: 'Send {"token": "<token from the Pending Registration e-mail>"} (optional "profile", "contract", and "company" when you belong to several).' } };
        const company = await fallbackCompany(ctx, b.data.company);
        if (!company.ok) return { status: 403, body: { error: 'forbidden', reason: company.reason } };
        return confirmed(ctx, await service.confirm(serial, b.data.token, { actor: actorOf(ctx), profile: b.data.profile ?? null, contract: b.data.contract ?? null, company: company.value }));
      },
    },
    {
      method: 'PUT',
      pattern: /^\/registrations\/([^/]+)\/contract$/,
      // §2.6: administrators edit the registrations of their companies.
      permission: 'admin',
      returns: 'company',
      handle: async ([serial = ''], _u, body, ctx) => {
        const b = EditContractBody.safeParse(body);
        if (!b.success) return { status: 400, body: { error: 'bad-body', reason: 'Send {"contract": "<contract number>"} (optional "profile").' } };
        const device = await ctx.store.getDevice(serial);
        if (!device || !(await ctx.store.getRegistration(serial))) return { status: 404, body: { error: 'not-found', reason: `Registration ${serial} does not exist.` } };
        const r = await service.editContract(serial, b.data.contract, { actor: actorOf(ctx), profile: b.data.profile ?? null });
        if (!r.ok) return failure(r.error);
        await accounts.audit(origin(ctx), 'registration.edited', serial, device.company, { contract: b.data.contract });
        return answer(r, now());
      },
    },
    { method: 'GET', pattern: /^\/registrations\/lockouts$/, permission: 'sch-admin', returns: 'service', handle: async () => ({ status: 200, body: { lockouts: await service.store.listLockouts() } }) },
    {
      method: 'DELETE',
      pattern: /^\/registrations\/lockouts\/([^/]+)$/,
      // S17: SCH Support unblocks a user.
      permission: 'sch-admin',
      returns: 'service',
      handle: async ([user = '']) => ((await service.unlock(user)) ? { status: 200, body: { ok: true } } : { status: 404, body: { error: 'not-found', reason: `User ${user} has no invalid tokens counted.` } }),
    },
  ];
}

export function contractRoutes(service: BackendService): ApiRoute[] {
  const { accounts } = service;
  return [
    {
      method: 'GET',
      pattern: /^\/contracts$/,
      permission: 'read',
      returns: 'company',
      handle: async (_p, _u, _b, { store }) => ({
        status: 200,
        body: { contracts: await store.listContracts(), serviceContracts: await store.listServiceContracts(), installedBase: await store.listInstalledBase() },
      }),
    },
    {
      method: 'POST',
      pattern: /^\/contracts$/,
      // The simulated back office (S24): contracts and installed base are Cisco's data, not a customer's.
      permission: 'sch-admin',
      returns: 'service',
      handle: async (_p, _u, body, ctx) => {
        const office = BackOfficeBody.safeParse(body);
        const rows = office.success ? null : ContractRowsBody.safeParse(body);
        if (!office.success && !rows?.success) {
          const issues = (typeof body === 'object' && body !== null && 'backOffice' in body ? office.error : rows?.error)?.issues ?? [];
          return { status: 400, body: { error: 'bad-body', reason: issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } };
        }
        const companies = office.success ? [...office.data.backOffice.contracts.map((c) => c.company), ...office.data.backOffice.installedBase.map((e) => e.company), ...office.data.backOffice.profiles.map((p) => p.company)] : (rows?.data?.contracts ?? []).map((c) => c.company);
        await accounts.ensureCompanies(companies);
        const result = office.success ? await service.importBackOffice(office.data.backOffice) : await service.importContracts(rows?.data?.contracts ?? []);
        await accounts.audit({ caller: ctx.caller, remote: ctx.remote }, 'contracts.imported', 'contracts', null, result);
        return { status: 200, body: result };
      },
    },
  ];
}
