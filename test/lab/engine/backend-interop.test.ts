/**
 * The lab's deliveries reach the real back end: XML over HTTP and long text over SMTP are stored
 * and read back through the REST API with the fields the engine put in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../../src/client/api-client.js';
import { startBackend, type Backend } from '../../../src/backend/server.js';
import { ciscoTacProfile, DDCE_SERVICE_PATH } from '../../../src/domain/callhome.js';
import { createCallHomeEngine } from '../../../src/lab/engine/engine.js';
import { anonymousId } from '../../../src/lab/engine/privacy.js';
import { configWith, httpProfile, IDENTITY, mailProfile, makeHost } from './support.js';

let dir: string;
let backend: Backend;
let api: ApiClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callhome-engine-'));
  backend = await startBackend({ dbPath: join(dir, 'callhome.db'), httpPort: 0, smtpPort: 0, token: 'secret-token', maintenanceIntervalMs: 3_600_000 });
  api = createApiClient({ url: backend.url, token: 'secret-token' });
});
afterAll(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls `probe` until it returns a value (the back end may commit in batches). */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('engine → back end', () => {
  it('stores an XML test message posted over HTTP and a long-text inventory mailed over SMTP', async () => {
    const smtpPort = backend.smtpPort;
    if (smtpPort === null) throw new Error('the back end started without SMTP');
    const config = configWith(
      [
        httpProfile('sch', `${backend.url}${DDCE_SERVICE_PATH}`),
        mailProfile('mail', ['callhome@backend.example'], { format: 'long-text', subscriptions: { inventory: {} } }),
      ],
      { mailServers: [{ host: '127.0.0.1', priority: 1 }] },
    );
    const engine = createCallHomeEngine(makeHost(config, { smtpPort }), { delivery: { httpRetryDelaysMs: [] } });
    engine.test('sch', 'interop test');
    engine.sendAlertGroup('inventory', { profile: 'mail' });
    await engine.idle();
    const stats = engine.statistics();
    expect(stats.sections.success.test).toEqual({ total: 1, email: 0, http: 1 });
    expect(stats.sections.success.inventory).toEqual({ total: 1, email: 1, http: 0 });

    const messages = await eventually(async () => {
      const { messages: list } = await api.messages({});
      return list.length >= 2 ? list : undefined;
    });
    const test = messages.find((m) => m.transport === 'http');
    const inventory = messages.find((m) => m.transport === 'email');
    expect(test).toMatchObject({ serial: IDENTITY.serial, hostname: 'R1', model: 'CSR1000V', type: 'test', description: 'interop test' });
    expect(test?.messageId).toMatch(new RegExp(`^M\\d+:${IDENTITY.serial}:[0-9A-F]+$`));
    expect(inventory).toMatchObject({ serial: IDENTITY.serial, type: 'inventory', subType: 'full' });
    await engine.close();
  });

  it('stores an anonymous inventory under the ANON pseudonym, without hostname or serial', async () => {
    const tac = { ...ciscoTacProfile(IDENTITY.serial), active: true, mode: 'anonymous' as const, transportEmail: false, transportHttp: true, httpUrls: [`${backend.url}${DDCE_SERVICE_PATH}`] };
    const engine = createCallHomeEngine(makeHost({ ...configWith([]), contactEmail: undefined, profiles: [tac] }), { delivery: { httpRetryDelaysMs: [] } });
    expect(engine.reportingEnabled('anonymous')).toEqual({ kind: 'queued', profiles: ['CiscoTAC-1'] });
    await engine.idle();
    expect(engine.statistics().sections.success.inventory?.http).toBe(1);
    const anon = anonymousId(IDENTITY.serial);
    const stored = await eventually(async () => (await api.messages({})).messages.find((m) => m.serial === anon));
    expect(stored).toMatchObject({ hostname: '', type: 'inventory' });
    await engine.close();
  });
});
