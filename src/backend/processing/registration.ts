/** Device registration and entitlement (spec §2.3–§2.5, S15–S18). */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CallHomeMessage } from '../../domain/message.js';
import type { RegistrationState } from '../../events/protocol.js';
import { err, ok, type Result } from '../../util/result.js';
import type { Contract, Registration, StoreQueries } from '../store/types.js';
import type { TxContext } from './context.js';
import { notify, recipientsFor } from './notify.js';

export const TRIAL_DAYS = 120;
export const MAX_TOKEN_ATTEMPTS = 10;
const DAY_MS = 86_400_000;

/** Hash of a registration token; only the hash is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token.trim().toUpperCase()).digest('hex');
}

function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The entitlement decision (§2.4) for a serial, given its contracts row. */
export function entitlementFor(contract: Contract | null, now: Date, current: Registration | null): { state: Extract<RegistrationState, 'registered' | 'trial' | 'expired'>; contractNumber: string | null; trialEndsAt: string | null } {
  if (contract && contract.contractNumber) {
    const expired = contract.expiresAt !== null && Date.parse(contract.expiresAt) < now.getTime();
    return { state: expired ? 'expired' : 'registered', contractNumber: contract.contractNumber, trialEndsAt: null };
  }
  // In the installed base but not covered, or unknown to the contracts table: a 120-day trial.
  const trialEndsAt = current?.trialEndsAt ?? new Date(now.getTime() + TRIAL_DAYS * DAY_MS).toISOString();
  return { state: Date.parse(trialEndsAt) < now.getTime() ? 'expired' : 'trial', contractNumber: null, trialEndsAt };
}

async function changed(ctx: TxContext, serial: string, from: RegistrationState | null, next: Registration): Promise<void> {
  const hostname = (await ctx.store.getDevice(serial))?.hostname ?? '';
  await ctx.store.putRegistration(next);
  ctx.emit({ type: 'registration.changed', serial, hostname, from, to: next.state, trialEndsAt: next.trialEndsAt });
}

/** First supported message from an unknown (or deleted) serial: Pending, with a token e-mail (N1). */
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
  });
  await notify(ctx, {
    kind: 'pending-registration',
    serial: m.serialNumber,
    hostname: m.hostname,
    reason: 'Pending Registration',
    to: await recipientsFor(ctx, m.serialNumber, m),
    message: m,
    extra: [
      `Security token: ${token}`,
      `Confirm with: callhome registration confirm ${m.serialNumber}   (it asks for the token, or reads it from a pipe)`,
      `or POST ${ctx.portalUrl}/api/v1/registrations/${encodeURIComponent(m.serialNumber)}/confirm {"token":"${token}"}`,
    ],
  });
}

export type ConfirmFailure =
  | { readonly kind: 'unknown'; readonly message: string }
  | { readonly kind: 'not-pending'; readonly message: string }
  | { readonly kind: 'locked'; readonly message: string }
  | { readonly kind: 'bad-token'; readonly message: string; readonly attemptsLeft: number };

/** Confirms a pending registration with its token; the entitlement decision picks the state. */
export async function confirmRegistration(ctx: TxContext, serial: string, token: string): Promise<Result<Registration, ConfirmFailure>> {
  const reg = await ctx.store.getRegistration(serial);
  if (!reg || reg.state === 'deleted') return err({ kind: 'unknown', message: `No registration exists for serial ${serial}. The device registers by sending a message (call-home send alert-group inventory).` });
  if (reg.state !== 'pending') return err({ kind: 'not-pending', message: `Serial ${serial} is already ${reg.state}; only pending registrations are confirmed.` });
  const at = ctx.now().toISOString();
  // The right token always confirms: wrong guesses by someone else never lock the owner out (issue 11).
  // Past the limit wrong ones are no longer counted or told apart; the API's throttle slows them.
  if (!tokenMatches(token, reg.tokenHash) && reg.failedAttempts >= MAX_TOKEN_ATTEMPTS) {
    return err({ kind: 'locked', message: `The token for ${serial} is invalid; after ${MAX_TOKEN_ATTEMPTS} invalid tokens only the right one is accepted. Delete the registration (DELETE /api/v1/registrations/${serial}) so the next message issues a new token, or contact SCH Support.` });
  }
  if (!tokenMatches(token, reg.tokenHash)) {
    const failedAttempts = reg.failedAttempts + 1;
    await ctx.store.putRegistration({ ...reg, failedAttempts, updatedAt: at });
    const attemptsLeft = MAX_TOKEN_ATTEMPTS - failedAttempts;
    return err(
      attemptsLeft <= 0
        ? { kind: 'locked', message: `The token for ${serial} is invalid; confirmation is now locked after ${MAX_TOKEN_ATTEMPTS} invalid tokens.` }
        : { kind: 'bad-token', message: `The token for ${serial} is invalid (${attemptsLeft} attempts left). Check the token in the Pending Registration e-mail.`, attemptsLeft },
    );
  }
  const decision = entitlementFor(await ctx.store.getContract(serial), ctx.now(), reg);
  const next: Registration = { ...reg, ...decision, failedAttempts: 0, confirmedAt: at, updatedAt: at, lastReminderAt: decision.state === 'trial' ? at : null };
  await changed(ctx, serial, reg.state, next);
  const device = await ctx.store.getDevice(serial);
  await notify(ctx, {
    kind: decision.state === 'trial' ? 'trial-registered' : 'registration-complete',
    serial,
    hostname: device?.hostname ?? '',
    reason: decision.state === 'trial' ? `Registered for a ${TRIAL_DAYS}-day trial` : decision.state === 'expired' ? 'Registered; contract expired' : 'Registration complete',
    to: await recipientsFor(ctx, serial),
  });
  return ok(next);
}

/** Re-runs the entitlement decision for confirmed devices (after a contracts import or as time passes). */
export async function reevaluate(ctx: TxContext, serial: string): Promise<Registration | null> {
  const reg = await ctx.store.getRegistration(serial);
  if (!reg || reg.state === 'pending' || reg.state === 'deleted' || reg.state === 'anonymous') return reg;
  const decision = entitlementFor(await ctx.store.getContract(serial), ctx.now(), reg);
  if (decision.state === reg.state && decision.contractNumber === reg.contractNumber) return reg;
  const next: Registration = { ...reg, ...decision, updatedAt: ctx.now().toISOString() };
  await changed(ctx, serial, reg.state, next);
  if (next.state === 'expired') {
    const device = await ctx.store.getDevice(serial);
    await notify(ctx, { kind: 'entitlement-expired', serial, hostname: device?.hostname ?? '', reason: 'Device no longer entitled (contract or trial expired)', to: await recipientsFor(ctx, serial) });
  }
  return next;
}

/** Serials whose trial maintenance may have work: every registration in trial. */
export async function trialSerials(store: StoreQueries): Promise<string[]> {
  return (await store.listRegistrations()).filter((r) => r.state === 'trial').map((r) => r.serial);
}

/**
 * Trial reminders every 2 weeks (N14) and expiry checks for one serial; run periodically by the server,
 * under that serial's lock, so two replicas running it at once still remind once.
 */
export async function trialMaintenance(ctx: TxContext, serial: string): Promise<void> {
  const now = ctx.now();
  const reg = await ctx.store.getRegistration(serial);
  if (reg?.state !== 'trial') return;
  const next = await reevaluate(ctx, serial);
  if (next?.state !== 'trial') return;
  const last = next.lastReminderAt ? Date.parse(next.lastReminderAt) : 0;
  if (now.getTime() - last >= 14 * DAY_MS) {
    await ctx.store.putRegistration({ ...next, lastReminderAt: now.toISOString() });
    const device = await ctx.store.getDevice(serial);
    await notify(ctx, { kind: 'trial-reminder', serial, hostname: device?.hostname ?? '', reason: `Trial registration ends ${next.trialEndsAt ?? ''}`, to: await recipientsFor(ctx, serial) });
  }
}
