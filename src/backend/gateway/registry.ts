/**
 * Gateway registration and authentication (S81–S83). A password is 24 random bytes (base64url), kept
 * as an scrypt hash. 30 days after it was issued the next authenticated request rotates it: the
 * answer carries the new one and the old one still works for ROTATION_GRACE_MS (requests already in
 * flight). A password 60 days old (the gateway never came back to collect its rotation) is refused:
 * an administrator resets it.
 */
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { GatewayQueries } from './registry-queries.js';
import type { GatewayRecord } from './registry-queries.js';

/** The store, or one confined to a caller's companies. */
type Store = GatewayQueries;

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export const PASSWORD_ROTATE_MS = 30 * 24 * 3600_000;
export const PASSWORD_EXPIRE_MS = 60 * 24 * 3600_000;
export const ROTATION_GRACE_MS = 10 * 60_000;
const KEY_LENGTH = 32;

/** `scrypt$<salt b64>$<hash b64>` (Node's defaults: N = 16384, r = 8, p = 1). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const newPassword = (): string => randomBytes(24).toString('base64url');

/** What a gateway gets once, at registration or reset; the service keeps only the hash. */
export type IssuedCredentials = { readonly id: string; readonly name: string; readonly password: string; readonly registeredAt: string; readonly company: string | null };

export async function registerGateway(store: Store, name: string, registeredBy: string, company: string | null, now = new Date()): Promise<IssuedCredentials> {
  const password = newPassword();
  const id = randomUUID();
  const at = now.toISOString();
  await store.insertGateway({ id, name, passwordHash: await hashPassword(password), passwordSetAt: at, registeredAt: at, registeredBy, company });
  return { id, name, password, registeredAt: at, company };
}

/** An administrator's reset: a new password at once; the old one stops working. */
export async function resetGatewayPassword(store: Store, id: string, now = new Date()): Promise<IssuedCredentials | null> {
  const g = await store.getGateway(id);
  if (!g) return null;
  const password = newPassword();
  await store.setGatewayPassword(id, await hashPassword(password), now.toISOString(), null);
  return { id, name: g.name, password, registeredAt: g.registeredAt, company: g.company };
}

export type GatewayAuth =
  | { readonly ok: true; readonly gateway: GatewayRecord; readonly newPassword?: string }
  | { readonly ok: false; readonly reason: string };

/** Checks `<id>:<password>` from the gateway header; rotates a password 30 days old. */
export async function authenticateGateway(store: Store, header: string | undefined, now = new Date()): Promise<GatewayAuth> {
  const refused = (reason: string): GatewayAuth => ({ ok: false, reason });
  if (!header) return refused('Gateway requests carry the gateway ID and password in the x-callhome-gateway header.');
  const colon = header.indexOf(':');
  const id = colon > 0 ? header.slice(0, colon) : '';
  const password = colon > 0 ? header.slice(colon + 1) : '';
  const g = id && password ? await store.getGateway(id) : undefined;
  // One answer for an unknown ID and a wrong password: the reply does not tell which IDs exist.
  const wrong = 'Unknown gateway or wrong password.';
  if (!g) {
    // Spend the same time as a real check.
    await passwordMatches(password || 'x', 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    return refused(wrong);
  }
  const t = now.getTime();
  if (await passwordMatches(password, g.passwordHash)) {
    const age = t - Date.parse(g.passwordSetAt);
    if (age >= PASSWORD_EXPIRE_MS) return refused('The gateway password expired; an administrator resets it (callhome gateway reset-password).');
    await store.gatewaySeen(g.id, now.toISOString());
    if (age < PASSWORD_ROTATE_MS) return { ok: true, gateway: g };
    const fresh = newPassword();
    // Requests in flight together may all find the password due: only one rotates, the others go through
    // on the old one (valid for the grace period) and the winner's answer carries the new one.
    const rotated = await store.setGatewayPassword(g.id, await hashPassword(fresh), now.toISOString(), { hash: g.passwordHash, validUntil: new Date(t + ROTATION_GRACE_MS).toISOString() }, g.passwordHash);
    return rotated ? { ok: true, gateway: g, newPassword: fresh } : { ok: true, gateway: g };
  }
  if (g.previousHash && g.previousValidUntil && t < Date.parse(g.previousValidUntil) && (await passwordMatches(password, g.previousHash))) {
    await store.gatewaySeen(g.id, now.toISOString());
    return { ok: true, gateway: g };
  }
  return refused(wrong);
}

/** A registry entry as the API shows it: never a hash. */
export function publicGateway(g: GatewayRecord, now = new Date()): Record<string, unknown> {
  return { id: g.id, name: g.name, company: g.company, status: g.status === null ? null : (JSON.parse(g.status) as unknown), registeredAt: g.registeredAt, registeredBy: g.registeredBy, lastSeenAt: g.lastSeenAt, passwordSetAt: g.passwordSetAt, passwordRotatesAt: new Date(Date.parse(g.passwordSetAt) + PASSWORD_ROTATE_MS).toISOString(), passwordExpired: now.getTime() - Date.parse(g.passwordSetAt) >= PASSWORD_EXPIRE_MS };
}
