import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseXml, renderXml } from '../../src/callhome/codec.js';
import { defaultRulesFile, loadRules } from '../../src/backend/processing/rules.js';
import { createBackendService } from '../../src/backend/service.js';
import { openSqliteStore } from '../../src/backend/store/sqlite-store.js';
import { buildMessage } from './build-message.js';
import { api, postXml, startTestBackend } from './helpers.js';
import { SUPPORT_ACTOR } from '../../src/backend/entitlement/model.js';
import { backOffice, trialFixture } from './entitlement/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trial life cycle over time', () => {
  it('reminds every 2 weeks during the 120-day trial, then expires it', async () => {
    // Given a service with a clock the test moves
    let now = new Date('2026-01-01T00:00:00Z');
    const store = openSqliteStore(join(dir, 'trial.db'));
    const service = createBackendService({ store, rules: loadRules(defaultRulesFile()), portalUrl: 'http://x', now: () => now });
    await service.importBackOffice(backOffice(trialFixture(['TRIAL01'])));
    const m = buildMessage({ serialNumber: 'TRIAL01', hostname: 'T1' });
    const raw = renderXml(m);
    const parsed = parseXml(raw);
    if (!parsed.ok) throw new Error(parsed.error.reason);
    await service.ingest({ receivedAt: now.toISOString(), transport: 'http', remote: null, format: 'xml', raw, message: parsed.value });
    const token = /Security token: (\S+)/.exec((await store.listNotifications(10))[0]?.body ?? '')?.[1] ?? '';
    const confirmed = await service.confirm('TRIAL01', token, { actor: SUPPORT_ACTOR });
    expect(confirmed.ok && confirmed.value.trialEndsAt).toBe('2026-05-01T00:00:00.000Z');
    const reminders = async () => (await store.listNotifications(100)).filter((n) => n.kind === 'trial-reminder').length;
    // When 13 days pass, no reminder; at 14 days, one; at 20 days, still one; at 28, two
    for (const [day, expected] of [[13, 0], [14, 1], [20, 1], [28, 2]] as const) {
      now = new Date(Date.parse('2026-01-01T00:00:00Z') + day * 86_400_000);
      await service.entitlementPass();
      expect(await reminders()).toBe(expected);
    }
    // Then after 120 days it is expired, with an entitlement notification
    now = new Date('2026-05-02T00:00:00Z');
    await service.entitlementPass();
    expect((await store.getRegistration('TRIAL01'))?.state).toBe('expired');
    expect((await store.listNotifications(1))[0]?.kind).toBe('entitlement-expired');
    await service.close();
    await store.close();
  });
});

describe('notification delivery', () => {
  it('records a failed relay delivery with its reason, and keeps the notification', async () => {
    // Given a relay address where nothing listens
    const { createServer } = await import('node:net');
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const b = await startTestBackend({ relay: { host: '127.0.0.1', port } });
    // When a first message causes a Pending Registration mail
    await postXml(b.url, renderXml(buildMessage({ serialNumber: 'RELAY01' })));
    // Then the notification is recorded as not delivered, with the reason, and announced
    await expect.poll(async () => (await api<{ notifications: { error: string | null }[] }>(b.url, '/notifications')).body.notifications[0]?.error ?? null, { timeout: 15_000 }).toMatch(/ECONNREFUSED/);
    expect((await api<{ notifications: { delivered: boolean }[] }>(b.url, '/notifications')).body.notifications[0]?.delivered).toBe(false);
    // (announced after two more commits, a moment after the delivery is recorded)
    await expect.poll(() => b.events.some((e) => e.type === 'notification.sent' && !e.notification.delivered), { timeout: 15_000 }).toBe(true);
    await b.stop();
  });
});

describe('internal failures', () => {
  it('answer 5xx so devices retry (S8), and the server keeps serving', async () => {
    const b = await startTestBackend();
    await b.service.store.close();
    const r = await postXml(b.url, renderXml(buildMessage({ serialNumber: 'FAIL001' })));
    expect(r.status).toBe(500);
    expect(String(r.json['reason'])).toMatch(/retry later/);
    expect((await api(b.url, '/health', { token: null })).status).toBe(200);
    await b.stop();
  });
});
