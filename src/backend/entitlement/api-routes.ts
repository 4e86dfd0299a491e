/**
 * REST routes of registration and entitlement under /api/v1: confirm by token (S11) or by selection
 * (S12), contract edits (S22), token lock-outs (S17), and the back-office fixtures (contracts,
 * installed base, profiles; S24). Before user accounts exist, the API token acts for SCH Support.
 */
import { z } from 'zod';
import type { ApiRoute } from '../api/router.js';
import type { ConfirmFailure } from '../processing/registration.js';
import type { BackendService } from '../service.js';
import type { Registration } from '../store/types.js';
import type { Result } from '../../util/result.js';
import { endsAt } from './engine.js';
import { BackOfficeSchema, SUPPORT_ACTOR, daysLeft, type Actor } from './model.js';

const Choice = { profile: z.string().min(1).max(256).optional(), contract: z.string().min(1).max(256).optional() };
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

/** The actor of a request. Until user accounts exist, the one API token is SCH Support's. */
const actorOf = (): Actor => SUPPORT_ACTOR;

export function registrationRoutes(service: BackendService): ApiRoute[] {
  const { store } = service;
  const now = (): Date => service.now();
  return [
    { method: 'GET', pattern: /^\/registrations$/, auth: true, handle: async () => ({ status: 200, body: { registrations: (await store.listRegistrations()).map((r) => publicRegistration(r, now())) } }) },
    {
      method: 'POST',
      pattern: /^\/registrations\/confirm$/,
      auth: true,
      handle: async (_p, _u, body) => {
        const b = ConfirmSelectedBody.safeParse(body);
        if (!b.success) return { status: 400, body: { error: 'bad-body', reason: 'Send {"serials": ["SERIAL", ...]} (optional "profile", "contract").' } };
        const results = await service.confirmSelected(b.data.serials, { actor: actorOf(), profile: b.data.profile ?? null, contract: b.data.contract ?? null });
        return {
          status: 200,
          body: { results: results.map(({ serial, result }) => (result.ok ? { serial, ok: true, registration: publicRegistration(result.value, now()) } : { serial, ok: false, ...failure(result.error).body })) },
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/registrations\/([^/]+)\/confirm$/,
      auth: true,
      handle: async ([serial = ''], _u, body) => {
        const b = ConfirmBody.safeParse(body);
        if (!b.success) return { status: 400, body: { error: 'bad-body', reason: 'Send {"token": "<token from the Pending Registration e-mail>"} (optional "profile", "contract").' } };
        return answer(await service.confirm(serial, b.data.token, { actor: actorOf(), profile: b.data.profile ?? null, contract: b.data.contract ?? null }), now());
      },
    },
    {
      method: 'PUT',
      pattern: /^\/registrations\/([^/]+)\/contract$/,
      auth: true,
      handle: async ([serial = ''], _u, body) => {
        const b = EditContractBody.safeParse(body);
        if (!b.success) return { status: 400, body: { error: 'bad-body', reason: 'Send {"contract": "<contract number>"} (optional "profile").' } };
        return answer(await service.editContract(serial, b.data.contract, { actor: actorOf(), profile: b.data.profile ?? null }), now());
      },
    },
    { method: 'GET', pattern: /^\/registrations\/lockouts$/, auth: true, handle: async () => ({ status: 200, body: { lockouts: await store.listLockouts() } }) },
    {
      method: 'DELETE',
      pattern: /^\/registrations\/lockouts\/([^/]+)$/,
      auth: true,
      handle: async ([user = '']) => ((await service.unlock(user)) ? { status: 200, body: { ok: true } } : { status: 404, body: { error: 'not-found', reason: `User ${user} has no invalid tokens counted.` } }),
    },
  ];
}

export function contractRoutes(service: BackendService): ApiRoute[] {
  const { store } = service;
  return [
    {
      method: 'GET',
      pattern: /^\/contracts$/,
      auth: true,
      handle: async () => ({
        status: 200,
        body: { contracts: await store.listContracts(), serviceContracts: await store.listServiceContracts(), installedBase: await store.listInstalledBase(), profiles: await store.listProfiles() },
      }),
    },
    {
      method: 'POST',
      pattern: /^\/contracts$/,
      auth: true,
      handle: async (_p, _u, body) => {
        const office = BackOfficeBody.safeParse(body);
        if (office.success) return { status: 200, body: await service.importBackOffice(office.data.backOffice) };
        const rows = ContractRowsBody.safeParse(body);
        if (rows.success) return { status: 200, body: await service.importContracts(rows.data.contracts) };
        const issues = (typeof body === 'object' && body !== null && 'backOffice' in body ? office.error : rows.error).issues;
        return { status: 400, body: { error: 'bad-body', reason: issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } };
      },
    },
  ];
}
