/**
 * One function per catalogue trigger whose cause lies outside message processing (§5.4): the code that
 * detects the cause calls it, and nothing else sends that kind. The rest are raised where their cause is
 * detected, each through one function too: processing/processing-notices.ts raiseTrigger (N2, N3, N6,
 * N7, N8, N19, N27) and cases/service-requests.ts (N4, N5, N10, N12, N18, N20, N21). Callers:
 * - processing/registration.ts: N1, N9, N11, N13, N14, N15, N22, N23 (ingest, confirmation, the daily pass);
 * - service.ts, for accounts/accounts.ts: N16 (an Administrator adds a user), N17 (deletes one);
 * - gateway/routes.ts and gateway/api-routes.ts: N24 (a password rotated or reset), N26 (a status report: store full);
 * - notifications/api-routes.ts: N25 (an SCH administrator starts a CA certificate update).
 */
import type { CallHomeMessage } from '../../domain/message.js';
import type { TxContext } from '../processing/context.js';
import { isSingleAddress } from '../processing/notify.js';
import { send, type Sent } from './send.js';

// ---- registration and entitlement ----

/** N1: the first message from an unknown serial: Pending Registration, with the token and a link that fills it in (S10, S11). */
export function pendingRegistration(ctx: TxContext, m: CallHomeMessage, token: string, confirmUrl: string): Promise<Sent> {
  return send(ctx, 'pending-registration', {
    serial: m.serialNumber,
    hostname: m.hostname,
    reason: 'Pending Registration',
    message: m,
    extra: [`Security token: ${token}`, `Confirm (the link fills in the token): ${confirmUrl}`, `or: callhome registration confirm ${m.serialNumber}   (paste the token or the link when it asks)`],
  });
}

/**
 * N9: the device is not covered by a supported contract (a refused confirmation, with the S16 reason
 * code). The user who tried to confirm is told as well as the device's recipients.
 */
export function notCovered(ctx: TxContext, serial: string, hostname: string, refusal: { readonly code: string; readonly reason: string }, confirmingUser: string | null): Promise<Sent> {
  const own = confirmingUser && isSingleAddress(confirmingUser) ? [confirmingUser] : [];
  return send(ctx, 'not-covered', { serial, hostname, reason: `Registration not completed (${refusal.code})`, extra: [refusal.reason], to: own });
}

/** N13 / N22: a confirmation (or a renewal, which names no company) put the device on a trial or registered it under a contract. */
export function registered(ctx: TxContext, serial: string, hostname: string, r: { readonly trial: boolean; readonly contractNumber: string; readonly company: string; readonly trialEndsAt: string | null; readonly trialDays: number }): Promise<Sent> {
  return r.trial
    ? send(ctx, 'trial-registered', { serial, hostname, reason: `Registered for a ${r.trialDays}-day trial under contract ${r.contractNumber}, until ${r.trialEndsAt ?? ''}` })
    : send(ctx, 'registration-complete', { serial, hostname, reason: `Registration complete: contract ${r.contractNumber}${r.company ? `, company ${r.company}` : ''}` });
}

/** N14: the fortnightly reminder while a device is on trial. */
export function trialReminder(ctx: TxContext, serial: string, hostname: string, trialEndsAt: string, daysLeft: number): Promise<Sent> {
  return send(ctx, 'trial-reminder', { serial, hostname, reason: `Trial registration ends ${trialEndsAt} (${daysLeft} days left)`, extra: ['Add a supported contract that covers the device to your CCO profile to keep it registered after the trial.'] });
}

/** N15 "about to expire": the registration's contract (or warranty, or trial) ends in `daysLeft` days. */
export function contractExpiring(ctx: TxContext, serial: string, hostname: string, what: string, endsAt: string, daysLeft: number): Promise<Sent> {
  return send(ctx, 'contract-expiring', { serial, hostname, reason: `The ${what} expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${endsAt})`, extra: ['Renew it to keep service requests and analysis for this device.'] });
}

/** N15 "expired": the end date of the registration's contract or warranty passed; the device is no longer entitled. */
export function contractExpired(ctx: TxContext, serial: string, hostname: string, what: string, endedAt: string): Promise<Sent> {
  return send(ctx, 'contract-expired', { serial, hostname, reason: `The ${what} expired (${endedAt})`, extra: ['The device is no longer entitled: only inventory and configuration messages are processed and no service requests are created until it is covered again.'] });
}

/** N11: the device is no longer entitled for another reason: its trial ended, coverage was withdrawn, the contract is no longer eligible, a trial's profile contract lapsed. */
export function entitlementLost(ctx: TxContext, serial: string, hostname: string, what: string): Promise<Sent> {
  return send(ctx, 'entitlement-expired', { serial, hostname, reason: `The ${what} no longer entitles the device (only inventory and configuration are processed; no service requests)` });
}

/** N23: a contract was added to the user's profile, so they can now confirm the device's registration. */
export function contractAdded(ctx: TxContext, to: string, ccoId: string, serial: string, contractNumber: string): Promise<Sent> {
  return send(ctx, 'contract-added', { serial, hostname: '', to: isSingleAddress(to) ? [to] : [], reason: `Contract ${contractNumber} was added to your profile ${ccoId}: you can now confirm the registration of ${serial}` });
}

// ---- users (accounts) ----

export type UserNotice = { readonly userId: string; readonly email: string; readonly company: string };

/** N16: an Administrator registered a user to a company; the mail asks them to accept the legal agreement when they have not. */
export function userCreated(ctx: TxContext, u: UserNotice & { readonly role: string; readonly agreementPending: boolean; readonly agreementVersion: string }, by: string): Promise<Sent> {
  const agreement = u.agreementPending
    ? `Accept the legal agreement (version ${u.agreementVersion}) before you use the service: ${ctx.portalUrl}/api/v1/agreement (callhome login asks you to).`
    : `You have accepted the current legal agreement (version ${u.agreementVersion}).`;
  return send(ctx, 'user-created', { serial: null, to: [u.email], reason: `${by} registered you (${u.userId}) as ${u.role} of ${u.company}`, extra: [agreement] });
}

/** N17: an Administrator deleted a user's registration to a company (the CCO account stays). */
export function userDeleted(ctx: TxContext, u: UserNotice, by: string): Promise<Sent> {
  return send(ctx, 'user-deleted', { serial: null, to: [u.email], reason: `${by} deleted your user registration (${u.userId}) for ${u.company}`, extra: ['You no longer see that company’s devices, reports or cases.'] });
}

// ---- Transport Gateways ----

export type GatewayNotice = { readonly id: string; readonly name: string };

/** N24 (audit only, never mailed): a gateway's password was rotated (30 days) or reset by an administrator; never the password. */
export function gatewayPasswordChanged(ctx: TxContext, g: GatewayNotice, how: { readonly rotated: true } | { readonly resetBy: string }): Promise<Sent> {
  const what = 'rotated' in how ? 'rotated after 30 days; the new one went to the gateway in the answer' : `reset by ${how.resetBy}; the new one was given to them`;
  return send(ctx, 'gateway-password-rotated', { serial: null, reason: `Transport Gateway ${g.name} (${g.id}): password ${what}` });
}

/**
 * N26: a gateway reported that its mail store is full and its store-full flag is on. The gateway mails
 * its configured address itself (S85, src/gateway/store-full-mail.ts); the service records it.
 */
export function gatewayStoreFull(ctx: TxContext, to: readonly string[], g: GatewayNotice, store: { readonly bytes: number; readonly maxBytes: number | null; readonly queued: number; readonly held: number }): Promise<Sent> {
  const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return send(ctx, 'gateway-store-full', {
    serial: null,
    to,
    reason: `Transport Gateway ${g.name} (${g.id}): mail store full`,
    extra: [`Store: ${mib(store.bytes)}${store.maxBytes === null ? '' : ` of ${mib(store.maxBytes)}`}; ${store.queued} queued, ${store.held} held.`, 'New messages are refused until there is room: check forwarding (callhome gateway test-connection) and release or drop held messages.'],
  });
}

// ---- security ----

/** N25: CA root certificate update instructions (§7.3), to one registered user with a valid CCO ID. */
export function caCertificateUpdate(ctx: TxContext, to: string, ccoId: string, version: string, instructions: readonly string[]): Promise<Sent> {
  return send(ctx, 'ca-certificate-update', { serial: null, to: [to], reason: `CA root certificate update ${version} (for ${ccoId})`, extra: instructions });
}
