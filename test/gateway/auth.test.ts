/**
 * Issue 17, step 2 (S81–S83): every gateway request is authenticated. A wrong or expired password is
 * refused; a password 30 days old is rotated on the next message with no interruption, and the
 * rotated one keeps working; an administrator's reset reaches the running gateway.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { authenticateGateway, PASSWORD_EXPIRE_MS, PASSWORD_ROTATE_MS, ROTATION_GRACE_MS } from '../../src/backend/gateway/registry.js';
import { createApiClient } from '../../src/client/api-client.js';
import { credentialsFile, credentialsStore, readCredentials } from '../../src/gateway/credentials.js';
import { startGateway, type Gateway } from '../../src/gateway/gateway.js';
import { send } from '../../src/gateway/http-post.js';
import { GATEWAY_AUTH_HEADER, GATEWAY_FORWARD_PATH, GATEWAY_PING_PATH } from '../../src/backend/gateway/protocol.js';
import { sampleWith, TOKEN } from '../backend/helpers.js';
import { gatewayCli, postToGateway as post, registerGateway, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-gateway-auth-'));
const queueDir = join(dir, 'queue');
let backend: Backend;
let gateway: Gateway | undefined;
let gatewayId = '';

beforeAll(async () => {
  backend = await startBackend({ dbPath: join(dir, 'service.db'), httpPort: 0, smtpPort: null, token: TOKEN, parseWorkers: 1 });
  gatewayId = (await registerGateway(backend.url, queueDir, 'branch-auth')).id;
});

afterAll(async () => {
  await gateway?.close();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

const target = (): { backend: URL } => ({ backend: new URL(backend.url) });
const ping = async (header?: string): Promise<number> => (await send(target(), 'GET', GATEWAY_PING_PATH, header ? { [GATEWAY_AUTH_HEADER]: header } : {})).status;

/** Moves the current password's issue time back by `ms` (as if that much time had passed). */
async function agePassword(ms: number): Promise<void> {
  const g = await backend.service.store.getGateway(gatewayId);
  if (!g) throw new Error('gateway gone');
  await backend.service.store.setGatewayPassword(gatewayId, g.passwordHash, new Date(Date.now() - ms).toISOString(), null);
}

async function storedIds(): Promise<string[]> {
  return (await createApiClient({ url: backend.url, token: TOKEN }).messages({ limit: 1000 })).messages.map((m) => m.messageId);
}

describe('gateway registration and authentication', () => {
  it('registers: an ID, a password kept only in the 0600 credentials file (the service holds a hash), the registration time', async () => {
    const c = readCredentials(queueDir);
    expect(c?.id).toBe(gatewayId);
    expect(c?.password.length).toBeGreaterThanOrEqual(24);
    expect(Date.parse(c?.registeredAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    const { statSync } = await import('node:fs');
    expect(statSync(credentialsFile(queueDir)).mode & 0o777).toBe(0o600);
    const stored = await backend.service.store.getGateway(gatewayId);
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(stored?.passwordHash).not.toContain(c?.password ?? '?');
    const list = JSON.parse(await gatewayCli('list', { backend: backend.url, queueDir })) as { gateways: { id: string; name: string }[] };
    expect(list.gateways.map((g) => [g.id, g.name])).toEqual([[gatewayId, 'branch-auth']]);
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  it('refuses a missing, unknown or wrong password with 401, on the forwarding path too', async () => {
    const c = readCredentials(queueDir)!;
    expect(await ping(`${c.id}:${c.password}`)).toBe(200);
    expect(await ping()).toBe(401);
    expect(await ping(`${c.id}:${c.password}x`)).toBe(401);
    expect(await ping(`00000000-0000-0000-0000-000000000000:${c.password}`)).toBe(401);
    const forwarded = await send(target(), 'POST', GATEWAY_FORWARD_PATH, { 'content-type': 'application/xml', [GATEWAY_AUTH_HEADER]: `${c.id}:wrong` }, Buffer.from(sampleWith({ serial: 'GWAUTH0', messageId: 'M-refused' })));
    expect(forwarded.status).toBe(401);
    expect(await storedIds()).not.toContain('M-refused');
    // test-connection says so, plainly
    await expect(gatewayCli('test-connection', { backend: backend.url, queueDir: join(dir, 'not-registered') })).rejects.toThrow(/HTTP 401/);
    expect(JSON.parse(await gatewayCli('test-connection', { backend: backend.url, queueDir }))).toMatchObject({ ok: true, gateway: gatewayId });
  });

  it('rotates a 30-day-old password on the next message with no interruption; the rotated one keeps working', async () => {
    const credentials = credentialsStore(queueDir);
    gateway = await startGateway({ queueDir, target: target(), httpPort: 0, credentials: () => credentials.get(), onNewPassword: (p) => credentials.rotate(p), minBackoffMs: 100, maxBackoffMs: 500 });
    const before = readCredentials(queueDir)!.password;
    await agePassword(PASSWORD_ROTATE_MS + 60_000);
    // When the next messages go through the gateway
    for (let i = 0; i < 5; i++) expect(await post(gateway.httpPort!, sampleWith({ serial: 'GWAUTH1', messageId: `M-rot-${i}` }))).toBe(200);
    await waitFor('five messages forwarded', async () => (await storedIds()).filter((id) => id.startsWith('M-rot-')).length === 5, 30_000);
    // Then the gateway holds a new password, and nothing was refused or left behind
    const after = readCredentials(queueDir)!.password;
    expect(after).not.toBe(before);
    expect(gateway.queue.counts()).toMatchObject({ queued: 0, refused: 0 });
    expect(await ping(`${gatewayId}:${after}`)).toBe(200);
    // …the old one works only for the short grace (requests in flight), then never again
    const g = (await backend.service.store.getGateway(gatewayId))!;
    expect((await authenticateGateway(backend.service.store, `${gatewayId}:${before}`, new Date(Date.now() + ROTATION_GRACE_MS + 1000))).ok).toBe(false);
    expect(g.previousHash).not.toBeNull();
    // …and the rotated password keeps working for the next message
    expect(await post(gateway.httpPort!, sampleWith({ serial: 'GWAUTH1', messageId: 'M-rot-next' }))).toBe(200);
    await waitFor('the next message forwarded', async () => (await storedIds()).includes('M-rot-next'), 30_000);
  });

  it('refuses an expired password (60 days, never rotated) until an administrator resets it; the running gateway picks the reset up', async () => {
    await agePassword(PASSWORD_EXPIRE_MS + 60_000);
    const c = readCredentials(queueDir)!;
    expect(await ping(`${c.id}:${c.password}`)).toBe(401);
    expect(await post(gateway!.httpPort!, sampleWith({ serial: 'GWAUTH2', messageId: 'M-expired' }))).toBe(200);
    await waitFor('the gateway to report the refusal', () => gateway!.forwarder.status().lastError?.includes('credentials') === true, 15_000);
    expect(await storedIds()).not.toContain('M-expired');
    expect(gateway!.queue.counts().queued).toBe(1);
    // When the administrator resets the password (written to this gateway's credentials file)
    await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(await gatewayCli('reset-password', { backend: backend.url, queueDir }))).toMatchObject({ id: gatewayId, reset: true, stored: true });
    expect(readCredentials(queueDir)!.password).not.toBe(c.password);
    expect(await ping(`${c.id}:${c.password}`)).toBe(401);
    // Then the queued message goes through with the new one
    await waitFor('the held-back message forwarded', async () => (await storedIds()).includes('M-expired'), 30_000);
    expect(readFileSync(credentialsFile(queueDir), 'utf8')).not.toContain(c.password);
  });
});
