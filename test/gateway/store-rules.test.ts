/**
 * Issue 17, step 3 (S85): the Send flag holds new messages for manual action; messages not forwarded
 * within 3 hours are held, older than 2 days purged; a full store refuses new messages (devices retry).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { createApiClient } from '../../src/client/api-client.js';
import { credentialsStore } from '../../src/gateway/credentials.js';
import { HELD_BY_AGE, HELD_BY_FLAG, startGateway, type Gateway } from '../../src/gateway/gateway.js';
import { sampleWith, TOKEN } from '../backend/helpers.js';
import { freePort, gatewayCli, postToGateway as post, registerGateway, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-gateway-rules-'));
const open: (Gateway | Backend)[] = [];

afterAll(async () => {
  for (const x of open.reverse()) await x.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('gateway store rules', () => {
  it('holds new messages while the Send flag is No; `gateway send all` forwards them', { timeout: 60_000 }, async () => {
    const backend = await startBackend({ dbPath: join(dir, 'service.db'), httpPort: 0, smtpPort: null, token: TOKEN, parseWorkers: 1 });
    open.push(backend);
    const queueDir = join(dir, 'flag');
    await registerGateway(backend.url, queueDir, 'flag-site');
    expect(JSON.parse(await gatewayCli('send-flag', { backend: backend.url, queueDir }))).toEqual({ send: 'yes' });
    expect(JSON.parse(await gatewayCli('send-flag', { backend: backend.url, queueDir, ids: ['no'] }))).toEqual({ send: 'no' });
    const credentials = credentialsStore(queueDir);
    const gateway = await startGateway({ queueDir, target: { backend: new URL(backend.url) }, httpPort: 0, credentials: () => credentials.get(), onNewPassword: (p) => credentials.rotate(p), minBackoffMs: 100, maxBackoffMs: 500 });
    open.push(gateway);
    for (const id of ['F-1', 'F-2']) expect(await post(gateway.httpPort!, sampleWith({ serial: 'GWFLAG1', messageId: id }))).toBe(200);
    const held = JSON.parse(await gatewayCli('held', { backend: backend.url, queueDir })) as { entries: { id: number; messageId: string; lastError: string }[] };
    expect(held.entries.map((e) => [e.messageId, e.lastError])).toEqual([['F-1', HELD_BY_FLAG], ['F-2', HELD_BY_FLAG]]);
    await new Promise((r) => setTimeout(r, 700));
    const client = createApiClient({ url: backend.url, token: TOKEN });
    expect((await client.messages({ limit: 100 })).messages).toHaveLength(0);
    expect(JSON.parse(await gatewayCli('send', { backend: backend.url, queueDir, ids: ['all'] }))).toEqual({ released: 2 });
    await waitFor('the released messages at the service', async () => (await client.messages({ limit: 100 })).messages.length === 2, 20_000);
    expect(gateway.queue.counts()).toMatchObject({ queued: 0, held: 0 });
  });

  it('holds what is older than 3 hours, purges what is older than 2 days, and `drop` deletes a held one', { timeout: 30_000 }, async () => {
    const queueDir = join(dir, 'age');
    // The service is unreachable, so nothing leaves the queue by forwarding.
    const gateway = await startGateway({ queueDir, target: { backend: new URL(`http://127.0.0.1:${await freePort()}`) }, httpPort: 0, rulesEveryMs: 100, minBackoffMs: 60_000, maxBackoffMs: 60_000 });
    open.push(gateway);
    const at = (msAgo: number): string => new Date(Date.now() - msAgo).toISOString();
    const fresh = gateway.queue.add({ kind: 'xml', body: Buffer.from('<x/>'), messageId: 'A-fresh', serial: 'S', subject: '', source: 'http', receivedAt: at(60_000) });
    const old = gateway.queue.add({ kind: 'xml', body: Buffer.from('<x/>'), messageId: 'A-4h', serial: 'S', subject: '', source: 'http', receivedAt: at(4 * 3600_000) });
    const ancient = gateway.queue.add({ kind: 'xml', body: Buffer.from('<x/>'), messageId: 'A-3d', serial: 'S', subject: '', source: 'http', receivedAt: at(3 * 24 * 3600_000) });
    await waitFor('the store rules to run', () => gateway.queue.get(ancient) === undefined, 5_000);
    expect(gateway.queue.get(old)).toMatchObject({ state: 'held', lastError: HELD_BY_AGE });
    expect(gateway.queue.get(fresh)?.state).toBe('queued');
    expect(JSON.parse(await gatewayCli('drop', { backend: 'http://127.0.0.1:1', queueDir, ids: [String(old)] }))).toEqual({ dropped: 1 });
    expect(gateway.queue.get(old)).toBeUndefined();
  });

  it('refuses new messages with 503 when the store is full, keeping what it has', async () => {
    const queueDir = join(dir, 'full');
    const xml = sampleWith({ serial: 'GWFULL1', messageId: 'B-1' });
    const gateway = await startGateway({ queueDir, target: { backend: new URL(`http://127.0.0.1:${await freePort()}`) }, httpPort: 0, maxStoreBytes: Buffer.byteLength(xml) + 100, minBackoffMs: 60_000, maxBackoffMs: 60_000 });
    open.push(gateway);
    expect(await post(gateway.httpPort!, xml)).toBe(200);
    expect(await post(gateway.httpPort!, sampleWith({ serial: 'GWFULL1', messageId: 'B-2' }))).toBe(503);
    expect(gateway.queue.list().map((e) => e.messageId)).toEqual(['B-1']);
  });
});
