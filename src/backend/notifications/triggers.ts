/**
 * One function per catalogue trigger whose cause lives elsewhere (§5.4): the code that detects the cause
 * calls it. The others are raised where their cause is: cases/service-requests.ts (N10, N12, N18, N20,
 * N21), processing/processor.ts (N4–N6), processing/processing-notices.ts (N2, N3, N7, N8, N19, N27),
 * processing/registration.ts (N1, N11, N13, N14, N22) and stream/topics.ts (N24, audit only).
 */
import type { TxContext } from '../processing/context.js';
import { send, type Sent } from './send.js';

/** N9: messages arrive from a device no supported contract covers (the S16 refusal, with its reason code). */
export function notCovered(ctx: TxContext, serial: string, reasonCode: string, explanation: string): Promise<Sent> {
  return send(ctx, 'not-covered', { serial, reason: `Device not covered by a supported contract (${reasonCode})`, extra: [explanation] });
}

/** N15: the device's contract is about to expire (`expired` false) or has expired. */
export function contractExpiry(ctx: TxContext, serial: string, contractNumber: string, expiresAt: string, expired: boolean): Promise<Sent> {
  return send(ctx, expired ? 'contract-expired' : 'contract-expiring', { serial, reason: `Contract ${contractNumber} ${expired ? 'expired' : 'expires'} ${expiresAt.slice(0, 10)}`, extra: expired ? ['Only inventory and configuration messages are processed until the contract is renewed; no service requests are created.'] : ['Renew it to keep service requests and analysis for this device.'] });
}

/** N16: a new user registration, with the request to accept the legal agreement. */
export function userCreated(ctx: TxContext, u: { readonly email: string; readonly userId: string; readonly company: string; readonly role: string }, agreementUrl: string): Promise<Sent> {
  return send(ctx, 'user-created', { serial: null, to: [u.email], reason: `You were registered as ${u.role} of ${u.company} (user ${u.userId})`, extra: [`Accept the legal agreement before you sign in: ${agreementUrl}`] });
}

/** N17: an administrator deleted a user registration. */
export function userDeleted(ctx: TxContext, u: { readonly email: string; readonly userId: string; readonly company: string }, by: string): Promise<Sent> {
  return send(ctx, 'user-deleted', { serial: null, to: [u.email], reason: `Your user registration ${u.userId} for ${u.company} was deleted by ${by}` });
}

/** N23: a contract was added to the user's profile, so they can now confirm the device's registration. */
export function contractAdded(ctx: TxContext, to: string, serial: string, contractNumber: string): Promise<Sent> {
  return send(ctx, 'contract-added', { serial, to: [to], reason: `Contract ${contractNumber} was added to your profile; you can now confirm the registration of ${serial}` });
}

/** N25: CA root certificate update instructions, to every registered user with a valid CCO ID. */
export function caCertificateUpdate(ctx: TxContext, to: readonly string[], version: string, instructions: readonly string[]): Promise<Sent> {
  return send(ctx, 'ca-certificate-update', { serial: null, to, reason: `CA root certificate update ${version}`, extra: instructions });
}

/** N26: a Transport Gateway's mail store is full (sent when its store-full flag is on). */
export function gatewayStoreFull(ctx: TxContext, to: string, gateway: { readonly id: string; readonly name: string }, detail: string): Promise<Sent> {
  return send(ctx, 'gateway-store-full', { serial: null, to: [to], reason: `Transport Gateway ${gateway.name} (${gateway.id}): mail store full`, extra: [detail] });
}

