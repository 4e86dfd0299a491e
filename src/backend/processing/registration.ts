/**
 * Device registration (spec §2.3–§2.6, S9–S22): the Pending Registration mail with its token and link,
 * confirmation by token or by selection, the per-user token lock-out, the entitlement decision, contract
 * edits, and the re-check of confirmed registrations as contracts change and time passes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CallHomeMessage } from '../../domain/message.js';
import type { RegistrationState } from '../../events/protocol.js';
import { err, ok, type Result } from '../../util/result.js';
import { decide, endsAt, recheck, type ContractWithFamilies, type Entitled, type Standing } from '../entitlement/engine.js';
import { activeAt, daysLeft, DAY_MS, EXPIRY_WARNING_DAYS, supportedContract, TRIAL_DAYS, TRIAL_REMINDER_DAYS, type ActingProfile, type Actor, type Profile, type Refusal } from '../entitlement/model.js';
import type { Registration, StoreQueries } from '../store/types.js';
import type { TxContext } from './context.js';
import { isSingleAddress } from './notify.js';
import { supportAlert } from '../notifications/send.js';
import * as notice from '../notifications/triggers.js';

export { TRIAL_DAYS };
/** Invalid tokens a user may enter before they are blocked from confirming registrations (S17). */
export const MAX_TOKEN_ATTEMPTS = 10;

/** Hash of a registration token; only the hash is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token.trim().toUpperCase()).digest('hex');
}

function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The confirm link of the Pending Registration mail: it opens the confirm page with the token filled in (S11). */
export function confirmLink(portalUrl: string, serial: string, token: string): string {
  return `${portalUrl}/registration/confirm?${new URLSearchParams({ serial, token }).toString()}`;
}

/** The serial and token a confirm link carries (pasted instead of the token), or null. */
export function parseConfirmLink(text: string): { serial: string; token: string } | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const serial = url.searchParams.get('serial');
  const token = url.searchParams.get('token');
  return url.pathname.endsWith('/registration/confirm') && serial && token ? { serial, token } : null;
}

const NO_ENTITLEMENT: Pick<Registration, 'coverage' | 'coverageEndsAt' | 'registeredBy' | 'warnedDays' | 'refusal'> = { coverage: null, coverageEndsAt: null, registeredBy: null, warnedDays: null, refusal: null };

async function changed(ctx: TxContext, serial: string, from: RegistrationState | null, next: Registration): Promise<void> {
  const hostname = (await ctx.store.getDevice(serial))?.hostname ?? '';
  await ctx.store.putRegistration(next);
  if (from !== next.state) ctx.emit({ type: 'registration.changed', serial, hostname, from, to: next.state, trialEndsAt: next.trialEndsAt });
}

/**
 * First supported message from an unknown (or deleted) serial: Pending, with the token mailed to the
 * message's reply-to address, else its contact (S10, N1).
 */
export async function startPending(ctx: TxContext, m: CallHomeMessage, previous: Registration | null): Promise<void> {
  const token = randomBytes(6).toString('hex').toUpperCase();
  const at = ctx.now().toISOString();
  await changed(ctx, m.serialNumber, previous?.state ?? null, {
    serial: m.serialNumber,
    state: 'pending',
    tokenHash: hashToken(token),
    failedAttempts: 0,
    contractNumber: null,
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
    confirmedAt: null,
    trialEndsAt: null,
    lastReminderAt: null,
    ...NO_ENTITLEMENT,
  });
  // N1 goes to the message's reply-to, else its contact (the catalogue's `contact` audience, S10).
  await notice.pendingRegistration(ctx, m, token, confirmLink(ctx.portalUrl, m.serialNumber, token));
}

/** Why a confirmation (or a contract edit) did not complete; `refused` carries the S16 reason code. */
export type ConfirmFailure =
  | { readonly kind: 'unknown'; readonly message: string }
  | { readonly kind: 'not-pending'; readonly message: string }
  | { readonly kind: 'locked'; readonly message: string }
  | { readonly kind: 'bad-token'; readonly message: string; readonly attemptsLeft: number }
  | { readonly kind: 'refused'; readonly code: Refusal['code']; readonly message: string };

/**
 * Who confirms, for which CCO profile (an SCH administrator may name one), with which contract (null: the
 * engine picks), and the company the device goes to when the decision names none (accounts, S27).
 */
export type ConfirmOptions = { readonly actor: Actor; readonly profile?: string | null; readonly contract?: string | null; readonly company?: string | null };

/** A completed confirmation: the registration, and the company it is for (the contract's, else the caller's). */
export type Confirmed = Registration & { readonly company: string | null };

/** A directory user's CCO profile (accounts keeps users; their profile fields are what entitlement reads). */
export async function profileOf(store: StoreQueries, ccoId: string): Promise<Profile | null> {
  const u = await store.getUser(ccoId);
  return u ? { ccoId: u.id, company: u.profileCompany ?? '', contracts: u.profileContracts, caseManagement: u.caseManagement, email: u.email } : null;
}

/** The CCO profile a confirmation is decided for: the named one, the actor's own, or SCH Support's (every contract). */
async function actingProfile(store: StoreQueries, o: ConfirmOptions): Promise<Result<ActingProfile, Refusal>> {
  const name = o.profile ?? (o.actor.support ? null : o.actor.user);
  if (name === null) return ok({ ccoId: o.actor.user, company: '', contracts: [], caseManagement: true, email: '', all: true });
  if (!o.actor.support && name !== o.actor.user) return err({ code: 'unknown-profile', reason: `Only an SCH administrator confirms for another CCO profile; you act as ${o.actor.user}.` });
  const p = await profileOf(store, name);
  return p ? ok({ ...p, all: false }) : err({ code: 'unknown-profile', reason: `There is no CCO profile ${name} in the directory (callhome users import, or profiles in callhome contracts import, adds it).` });
}

async function withFamilies(store: StoreQueries, contracts: readonly ContractWithFamilies[] | Awaited<ReturnType<StoreQueries['listServiceContracts']>>): Promise<ContractWithFamilies[]> {
  const fam = await store.familiesCoveredBy(contracts.map((c) => c.number));
  return contracts.map((c) => ({ ...c, coveredFamilies: [...c.families, ...(fam.get(c.number) ?? [])] }));
}

/** Runs the decision table for one serial and profile. */
async function decideFor(ctx: TxContext, serial: string, profile: ActingProfile, chosen: string | null) {
  const store = ctx.store;
  const all = profile.all ? await store.listServiceContracts() : (await Promise.all(profile.contracts.map((n) => store.getServiceContract(n)))).filter((c) => c !== null);
  return decide({
    serial,
    now: ctx.now(),
    profile,
    covering: await store.coveringContracts(serial),
    installedBase: await store.getInstalledBase(serial),
    reportedFamily: (await store.getDevice(serial))?.series ?? '',
    profileContracts: await withFamilies(store, all),
    chosen,
  });
}

/** §2.3: the confirming user joins the device's notification list (the preferences' registrant, S57). */
async function addRegistrant(ctx: TxContext, serial: string, profile: ActingProfile | null): Promise<void> {
  const own = profile?.email ?? '';
  if (!isSingleAddress(own)) return;
  const prefs = await ctx.store.getPreferences(serial);
  if (prefs.registrant === null) await ctx.store.putPreferences({ ...prefs, registrant: own, updatedAt: ctx.now().toISOString() });
}

/** After the token (or the selection): the entitlement decision, then Registered / Trial, or a cause-specific refusal. */
async function complete(ctx: TxContext, reg: Registration, o: ConfirmOptions): Promise<Result<Confirmed, ConfirmFailure>> {
  const serial = reg.serial;
  const at = ctx.now().toISOString();
  const hostname = (await ctx.store.getDevice(serial))?.hostname ?? '';
  const profile = await actingProfile(ctx.store, o);
  const decision = profile.ok ? await decideFor(ctx, serial, profile.value, o.contract ?? null) : { ok: false as const, refusal: profile.error };
  if (!decision.ok) {
    const r = decision.refusal;
    await ctx.store.putRegistration({ ...reg, updatedAt: at, refusal: { code: r.code, reason: r.reason } });
    const p = profile.ok ? profile.value : null;
    // §2.4: a covering contract missing from the profile is asked for automatically; N23 follows when it is added.
    if (r.code === 'contract-not-in-profile' && r.contract !== undefined && p !== null && !p.all) {
      await ctx.store.addContractRequest({ ccoId: p.ccoId, contractNumber: r.contract, serial, requestedAt: at });
      await supportAlert(ctx, { serial, reason: `Add contract ${r.contract} to CCO profile ${p.ccoId} (registration of ${serial})` });
    }
    // N9: the device is not covered by a supported contract (or cannot be registered): a registration mail, always sent.
    await notice.notCovered(ctx, serial, hostname, r, p?.email ?? null);
    return err({ kind: 'refused', code: r.code, message: r.reason });
  }
  const d: Entitled = decision.value;
  const next: Registration = {
    ...reg,
    state: d.state,
    contractNumber: d.contractNumber,
    trialEndsAt: d.trialEndsAt,
    failedAttempts: 0,
    confirmedAt: at,
    updatedAt: at,
    lastReminderAt: d.state === 'trial' ? at : null,
    coverage: d.coverage,
    coverageEndsAt: d.coverageEndsAt,
    registeredBy: profile.ok && !profile.value.all ? profile.value.ccoId : o.actor.user,
    warnedDays: null,
    refusal: null,
  };
  await changed(ctx, serial, reg.state, next);
  await addRegistrant(ctx, serial, profile.ok && !profile.value.all ? profile.value : null);
  const trial = d.state === 'trial';
  await notice.registered(ctx, serial, hostname, { trial, contractNumber: d.contractNumber, company: d.company, trialEndsAt: d.trialEndsAt, trialDays: TRIAL_DAYS });
  return ok({ ...next, company: d.company || (o.company ?? null) });
}

/** Counts an invalid token against the user; the tenth blocks them from confirming and alerts SCH Support (S17). */
async function invalidToken(ctx: TxContext, actor: Actor, serial: string): Promise<ConfirmFailure> {
  const at = ctx.now().toISOString();
  const failed = ((await ctx.store.getLockout(actor.user))?.failed ?? 0) + 1;
  const locked = failed >= MAX_TOKEN_ATTEMPTS;
  await ctx.store.putLockout({ user: actor.user, failed, lockedAt: locked ? at : null });
  if (!locked) return { kind: 'bad-token', message: `The token for ${serial} is invalid (${MAX_TOKEN_ATTEMPTS - failed} attempts left). Check the token in the Pending Registration e-mail, or use its link.`, attemptsLeft: MAX_TOKEN_ATTEMPTS - failed };
  await supportAlert(ctx, { serial, reason: `User ${actor.user} entered ${MAX_TOKEN_ATTEMPTS} invalid registration tokens and is blocked from confirming registrations (last serial ${serial})`, extra: [`Unblock with: callhome registration unlock ${actor.user}`] });
  return lockedOut(ctx, actor);
}

function lockedOut(ctx: TxContext, actor: Actor): ConfirmFailure {
  return { kind: 'locked', message: `${actor.user} is blocked from confirming registrations after ${MAX_TOKEN_ATTEMPTS} invalid tokens. Contact SCH Support (${ctx.portalUrl}/api/v1/registrations/lockouts/${encodeURIComponent(actor.user)}; they have been told) to be unblocked.` };
}

/** Confirms a pending registration with its token (S11), for the actor's (or a named) CCO profile. */
export async function confirmRegistration(ctx: TxContext, serial: string, token: string, o: ConfirmOptions): Promise<Result<Confirmed, ConfirmFailure>> {
  const lock = await ctx.store.getLockout(o.actor.user);
  if (lock?.lockedAt) return err(lockedOut(ctx, o.actor));
  const reg = await ctx.store.getRegistration(serial);
  if (!reg || reg.state === 'deleted') return err({ kind: 'unknown', message: `No registration exists for serial ${serial}. The device registers by sending a message (call-home send alert-group inventory).` });
  if (reg.state !== 'pending') return err({ kind: 'not-pending', message: `Serial ${serial} is already ${reg.state}; only pending registrations are confirmed.` });
  if (!tokenMatches(token, reg.tokenHash)) {
    await ctx.store.putRegistration({ ...reg, failedAttempts: reg.failedAttempts + 1, updatedAt: ctx.now().toISOString() });
    return err(await invalidToken(ctx, o.actor, serial));
  }
  if (lock) await ctx.store.clearLockout(o.actor.user);
  return complete(ctx, reg, o);
}

/**
 * Confirms pending devices picked from the Devices Pending Registration list (S12): no token, the same
 * entitlement decision for each. (Which devices a user may pick is scoped to their companies by the API.)
 */
export async function confirmSelected(ctx: TxContext, serial: string, o: ConfirmOptions): Promise<Result<Confirmed, ConfirmFailure>> {
  const reg = await ctx.store.getRegistration(serial);
  if (!reg || reg.state === 'deleted') return err({ kind: 'unknown', message: `No registration exists for serial ${serial}.` });
  if (reg.state !== 'pending') return err({ kind: 'not-pending', message: `Serial ${serial} is already ${reg.state}; only pending registrations are confirmed.` });
  return complete(ctx, reg, o);
}

/**
 * Changes the contract of a registration within the coverage rules (§2.6, S22): a covered device only
 * to another supported contract that covers it; a device that is not covered (trial, same family) to
 * another eligible contract of the profile (of its family, for the latter). A warranty has no alternative.
 */
export async function editContract(ctx: TxContext, serial: string, contract: string, o: ConfirmOptions): Promise<Result<Registration, ConfirmFailure>> {
  const reg = await ctx.store.getRegistration(serial);
  if (!reg || reg.state === 'deleted' || reg.state === 'pending' || reg.state === 'anonymous') return err({ kind: 'unknown', message: `Serial ${serial} has no confirmed registration to edit.` });
  const profile = await actingProfile(ctx.store, o);
  if (!profile.ok) return err({ kind: 'refused', code: profile.error.code, message: profile.error.reason });
  const now = ctx.now();
  const inProfile = (n: string): boolean => profile.value.all || profile.value.contracts.some((c) => c.toLowerCase() === n.toLowerCase());
  const target = await ctx.store.getServiceContract(contract);
  const usable = target !== null && supportedContract(target) && activeAt(target.expiresAt, now) && inProfile(target.number);
  const covering = (await ctx.store.coveringContracts(serial)).filter((c) => supportedContract(c) && activeAt(c.expiresAt, now));
  let ok2 = false;
  let why = '';
  if (reg.coverage === 'contract' || reg.coverage === 'warranty') {
    ok2 = usable && covering.some((c) => c.number === target.number);
    const others = covering.filter((c) => c.number !== reg.contractNumber && inProfile(c.number)).map((c) => c.number);
    why = `Serial ${serial} is covered (${reg.contractNumber ?? ''}); it can only use a supported contract that covers it. ${others.length > 0 ? `Other covering contracts in the profile: ${others.join(', ')}.` : 'No other contracts are available.'}`;
  } else {
    const family = (await ctx.store.getInstalledBase(serial))?.family || ((await ctx.store.getDevice(serial))?.series ?? '');
    const fits = target === null ? false : reg.coverage !== 'family' || (await withFamilies(ctx.store, [{ ...target, coveredFamilies: [] }]))[0]?.coveredFamilies.some((f) => f.toLowerCase() === family.toLowerCase()) === true;
    ok2 = usable && fits;
    why = `Serial ${serial} is not covered; it may use another eligible contract (Cisco Branded Direct or CBR, Remote Tech Support Access, not expired) from the profile${reg.coverage === 'family' ? ` that covers its family (${family})` : ''}. ${contract} is not one.`;
  }
  if (!ok2) return err({ kind: 'refused', code: 'contract-not-usable', message: why });
  const next: Registration = { ...reg, contractNumber: target?.number ?? contract, coverageEndsAt: target?.expiresAt ?? null, warnedDays: null, updatedAt: now.toISOString() };
  await changed(ctx, serial, reg.state, next);
  return ok(next);
}

/** What a registration rests on, in a notification's words. */
function coverageName(s: Standing): string {
  return s.coverage === 'trial' ? 'trial registration' : s.coverage === 'warranty' ? 'warranty' : `contract ${s.contractNumber}`;
}

function standing(reg: Registration): Standing | null {
  if (reg.state !== 'registered' && reg.state !== 'trial' && reg.state !== 'expired') return null;
  return { state: reg.state, coverage: reg.coverage ?? (reg.trialEndsAt ? 'trial' : 'contract'), contractNumber: reg.contractNumber ?? '', coverageEndsAt: reg.coverageEndsAt, trialEndsAt: reg.trialEndsAt };
}

/** Re-checks a confirmed registration against the contracts and the clock; records and announces a change (S21). */
export async function reevaluate(ctx: TxContext, serial: string): Promise<Registration | null> {
  const reg = await ctx.store.getRegistration(serial);
  const current = reg ? standing(reg) : null;
  if (!reg || !current) return reg;
  const own = current.contractNumber ? await ctx.store.getServiceContract(current.contractNumber) : null;
  const ib = await ctx.store.getInstalledBase(serial);
  const now = recheck(current, await ctx.store.coveringContracts(serial), ib, own, ctx.now());
  if (now.state === current.state && now.contractNumber === current.contractNumber && now.coverage === current.coverage && now.coverageEndsAt === current.coverageEndsAt && now.trialEndsAt === current.trialEndsAt) return reg;
  const moved = endsAt(now) !== endsAt(current);
  const next: Registration = { ...reg, ...now, warnedDays: moved ? null : reg.warnedDays, updatedAt: ctx.now().toISOString() };
  await changed(ctx, serial, reg.state, next);
  if (next.state === reg.state) return next;
  const hostname = (await ctx.store.getDevice(serial))?.hostname ?? '';
  if (next.state === 'expired') {
    // The contract or warranty it rested on reached its end date (as the back office says now): N15
    // "expired", which also says it is no longer entitled. Otherwise — a trial's end, coverage withdrawn,
    // a trial's profile contract lapsed — N11 "no longer entitled".
    const what = coverageName(current);
    const end = current.coverage === 'trial' ? null : current.coverage === 'warranty' ? (ib?.warrantyExpiresAt ?? current.coverageEndsAt) : (own?.expiresAt ?? current.coverageEndsAt);
    if (end !== null && Date.parse(end) <= ctx.now().getTime()) await notice.contractExpired(ctx, serial, hostname, what, end);
    else await notice.entitlementLost(ctx, serial, hostname, what);
  } else if (next.state === 'registered') {
    await notice.registered(ctx, serial, hostname, { trial: false, contractNumber: next.contractNumber ?? '', company: '', trialEndsAt: null, trialDays: TRIAL_DAYS });
  }
  return next;
}

/**
 * The daily pass for one serial (S21), under its lock: re-check, then the "about to expire" warning at
 * each threshold (once per end date), and the trial reminder every 14 days (N14).
 */
export async function maintainRegistration(ctx: TxContext, serial: string): Promise<void> {
  const reg = await reevaluate(ctx, serial);
  if (!reg || (reg.state !== 'registered' && reg.state !== 'trial')) return;
  const now = ctx.now();
  const hostname = (await ctx.store.getDevice(serial))?.hostname ?? '';
  let next = reg;
  const s = standing(reg);
  const end = s ? endsAt(s) : null;
  if (end !== null) {
    const left = daysLeft(end, now);
    const due = EXPIRY_WARNING_DAYS.filter((d) => left <= d && (next.warnedDays === null || d < next.warnedDays));
    const threshold = due.length > 0 ? Math.min(...due) : null;
    if (threshold !== null) {
      next = { ...next, warnedDays: threshold };
      if (s) await notice.contractExpiring(ctx, serial, hostname, coverageName(s), end, left);
    }
  }
  if (reg.state === 'trial') {
    const last = reg.lastReminderAt ? Date.parse(reg.lastReminderAt) : 0;
    if (now.getTime() - last >= TRIAL_REMINDER_DAYS * DAY_MS) {
      next = { ...next, lastReminderAt: now.toISOString() };
      await notice.trialReminder(ctx, serial, hostname, reg.trialEndsAt ?? '', daysLeft(reg.trialEndsAt ?? now.toISOString(), now));
    }
  }
  if (next !== reg) await ctx.store.putRegistration(next);
}

/** Serials the daily pass looks at: every confirmed registration. */
export async function confirmedSerials(store: StoreQueries): Promise<string[]> {
  return (await store.listRegistrations()).filter((r) => r.state === 'registered' || r.state === 'trial' || r.state === 'expired').map((r) => r.serial);
}

/** N23: tells each registrant whose requested contract is now in their profile that they can confirm. */
export async function contractsAdded(ctx: TxContext): Promise<number> {
  let told = 0;
  for (const r of await ctx.store.listContractRequests()) {
    const p = await profileOf(ctx.store, r.ccoId);
    if (!p?.contracts.some((c) => c.toLowerCase() === r.contractNumber.toLowerCase())) continue;
    // Deleted here or by another replica first: only the one that deleted it mails.
    if (!(await ctx.store.deleteContractRequest(r))) continue;
    await notice.contractAdded(ctx, p.email, p.ccoId, r.serial, r.contractNumber);
    told++;
  }
  return told;
}
