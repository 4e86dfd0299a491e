import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/client/api-client.js';
import { renderXml } from '../../src/callhome/codec.js';
import type { MessageSummary } from '../../src/events/protocol.js';
import { buildMessage } from './build-message.js';
import { api, postXml, startTestBackend, TOKEN, type TestBackend } from './helpers.js';

let b: TestBackend;
let relay: SMTPServer;
const relayed: { to: string; subject: string; text: string }[] = [];

beforeAll(async () => {
  // A real SMTP relay on loopback receives the notification e-mail.
  relay = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          relayed.push({ to: String(m.to && !Array.isArray(m.to) ? m.to.text : ''), subject: m.subject ?? '', text: m.text ?? '' });
          cb();
        })
        .catch(cb);
    },
  });
  const relayPort = await new Promise<number>((resolve) => relay.listen(0, '127.0.0.1', () => resolve((relay.server.address() as { port: number }).port)));
  b = await startTestBackend({ relay: { host: '127.0.0.1', port: relayPort } });
  // 30 messages from three devices, mixed types and severities.
  for (let i = 0; i < 30; i++) {
    const kind = (['syslog', 'inventory', 'diagnostic'] as const)[i % 3] ?? 'syslog';
    const r = await postXml(b.url, renderXml(buildMessage({ serialNumber: `API000${i % 3}`, hostname: `A${i % 3}`, kind, severity: i % 10, description: i === 7 ? 'needle in the haystack' : `event ${i}` })));
    expect(r.status).toBe(200);
  }
});
afterAll(async () => {
  await b.stop();
  await new Promise<void>((resolve) => relay.close(() => resolve()));
});

describe('REST API', () => {
  it('refuses a missing or wrong token with 401, and serves /health without one', async () => {
    expect((await api(b.url, '/devices', { token: null })).status).toBe(401);
    const wrong = await api<{ reason: string }>(b.url, '/messages', { token: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.reason).toMatch(/Authorization: Bearer/);
    expect(await api(b.url, '/health', { token: null })).toEqual({ status: 200, body: { ok: true } });
    await expect(createApiClient({ url: b.url, token: 'nope' }).devices()).rejects.toThrow(/refused the token/);
  });

  it('filters messages by device, type, severity and text', async () => {
    const client = createApiClient({ url: b.url, token: TOKEN });
    expect((await client.messages({ device: 'API0001', limit: 100 })).messages.every((m) => m.serial === 'API0001')).toBe(true);
    expect((await client.messages({ device: 'A2', limit: 100 })).messages).toHaveLength(10);
    const inv = (await client.messages({ type: 'inventory', limit: 100 })).messages;
    expect(inv).toHaveLength(10);
    expect(inv.every((m) => m.type === 'inventory')).toBe(true);
    expect((await client.messages({ severity: 'critical', limit: 100 })).messages.every((m) => m.severity >= 6)).toBe(true);
    expect((await client.messages({ severity: 8, limit: 100 })).messages).toHaveLength(6);
    expect((await client.messages({ q: 'needle', limit: 100 })).messages.map((m) => m.description)).toEqual(['needle in the haystack']);
    expect((await client.messages({ since: '2999-01-01T00:00:00Z' })).messages).toEqual([]);
    expect((await api(b.url, '/messages?severity=loud')).status).toBe(400);
  });

  it('pages with an opaque cursor, newest first, with no gap and no duplicate', async () => {
    const client = createApiClient({ url: b.url, token: TOKEN });
    const seen: MessageSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.messages({ limit: 7, cursor });
      expect(page.messages.length).toBeLessThanOrEqual(7);
      seen.push(...page.messages);
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(30);
    expect(new Set(seen.map((m) => m.id)).size).toBe(30);
    const ids = seen.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect((await api(b.url, '/messages?cursor=bm9wZQ')).status).toBe(400);
  });

  it('answers malformed requests with 4xx, never a crash', async () => {
    expect((await api(b.url, '/devices/%E0%A4%A')).status).toBe(400);
    expect((await api(b.url, '/registrations/X/confirm', { method: 'POST', body: 'not an object' })).status).toBe(400);
    const raw = await fetch(`${b.url}/api/v1/contracts`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{"contracts": [' });
    expect(raw.status).toBe(400);
    expect((await api(b.url, '/nothing-here')).status).toBe(404);
    expect((await api(b.url, '/health', { token: null })).status).toBe(200);
  });

  it('exports the four reports as JSON and CSV', async () => {
    const client = createApiClient({ url: b.url, token: TOKEN });
    // The three devices are pending: the device report lists registered devices with an inventory only
    // (S77; test/backend/reports.test.ts has the registered ones).
    const device = await client.report('device');
    expect(device.rows).toEqual([]);
    const csv = await client.reportCsv('history');
    const lines = csv.trimEnd().split('\r\n');
    // The first release's columns, in their order; the rest of §4.4's eleven come after them.
    expect(lines[0]?.split(',').slice(0, 12).join(',')).toBe('serial,model,hostname,receivedAt,contract,registration,severity,type,status,srRaised,notificationSent,id');
    expect(lines).toHaveLength(31);
    const network = await client.report('network');
    expect(network.rows).toEqual([{ company: '', series: 'CSR1000v Cloud Services Router', model: 'CSR1000V', softwareVersion: '17.3.1', registration: 'pending', devices: 3 }]);
    const reg = await client.reportCsv('registration');
    expect(reg).toContain('company,contract,contractType,devices,trial,pending,expired,expiringSoon');
    expect(reg).toContain(',Pending,,3,0,3,0,0');
    expect((await api(b.url, '/reports/nope')).status).toBe(404);
  });

  it('delivers notifications through the relay and records the delivery', async () => {
    // The three Pending Registration mails went to the contact through the relay.
    await expect.poll(() => relayed.length).toBe(3);
    expect(relayed[0]).toMatchObject({ to: 'noc@example.com', subject: '[SCH] Pending Registration' });
    expect(relayed[0]?.text).toMatch(/Security token: [0-9A-F]{12}/);
    await expect.poll(async () => (await createApiClient({ url: b.url, token: TOKEN }).notifications()).notifications.every((n) => n.delivered)).toBe(true);
    // Each is announced after two more commits, a moment after its delivery is recorded.
    await expect.poll(() => b.events.filter((e) => e.type === 'notification.sent' && e.notification.delivered)).toHaveLength(3);
  });
});
