/**
 * Issue 17 (S66, S94, S96, S85): a gateway belongs to a company. Its Administrators register, list and
 * delete it (a User of the company may not; another company does not see it), and they — only they, and
 * SCH administrators — get its events on /events: registered, and status reports when its queue, store,
 * forwarding or mailbox change. A full store mails the administrators. Real back end, real WebSocket
 * clients, a real gateway, a real SMTP server as the site's mail server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { connectEventStream, type EventStreamClient } from '../../src/events/client.js';
import type { BackendEvent, GatewayStatus } from '../../src/events/protocol.js';
import { credentialsStore, writeCredentials } from '../../src/gateway/credentials.js';
import { startGateway, type Gateway } from '../../src/gateway/gateway.js';
import { openQueue } from '../../src/gateway/queue.js';
import { api, sampleWith, TOKEN } from '../backend/helpers.js';
import { freePort, postToGateway as post, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-gateway-events-'));
const PASSWORD = 'correct horse battery';
const PEOPLE = [
  { id: 'alice.acme', company: 'acme', role: 'administrator' },
  { id: 'aaron.acme', company: 'acme', role: 'user' },
  { id: 'gina.globex', company: 'globex', role: 'administrator' },
] as const;
type Who = (typeof PEOPLE)[number]['id'] | 'sch';

let port = 0;
let backend: Backend;
let gateway: Gateway | undefined;
let mailServer: SMTPServer;
let mailPort = 0;
const mails: ParsedMail[] = [];
const tokens = new Map<Who, string>();
const seen = new Map<Who, BackendEvent[]>();
const streams: EventStreamClient[] = [];

const start = (): Promise<Backend> => startBackend({ dbPath: join(dir, 'service.db'), httpPort: port, smtpPort: null, token: TOKEN, parseWorkers: 1 });

async function ok<T>(path: string, init: Parameters<typeof api>[2], status = 200): Promise<T> {
  const r = await api<T>(backend.url, path, init);
  if (r.status !== status) throw new Error(`${init?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  port = await freePort();
  backend = await start();
  mailServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData: (stream, _s, cb) => {
      simpleParser(stream)
        .then((m) => mails.push(m))
        .then(() => cb(), cb);
    },
  });
  mailPort = await new Promise<number>((resolve) => mailServer.listen(0, '127.0.0.1', () => resolve((mailServer.server.address() as { port: number }).port)));
  await ok('/directory', {
    method: 'POST',
    body: {
      companies: [
        { id: 'acme', name: 'acme corp' },
        { id: 'globex', name: 'globex corp' },
      ],
      users: PEOPLE.map((p) => ({ id: p.id, name: p.id, email: `${p.id}@example.com`, password: PASSWORD, contracts: [`C-${p.company}`], profileCompany: p.company, companies: { [p.company]: p.role } })),
    },
  });
  tokens.set('sch', TOKEN);
  for (const p of PEOPLE) {
    const { token } = await ok<{ token: string }>('/login', { method: 'POST', body: { user: p.id, password: PASSWORD }, token: null });
    const { version } = await ok<{ version: string }>('/agreement', { token });
    await ok('/agreement', { method: 'POST', body: { version }, token });
    tokens.set(p.id, token);
  }
  for (const [who, token] of tokens) {
    const events: BackendEvent[] = [];
    seen.set(who, events);
    streams.push(connectEventStream({ url: backend.url, token, since: 0, initialBackoffMs: 100, maxBackoffMs: 300, onEvent: (e) => events.push(e) }));
  }
});

afterAll(async () => {
  for (const s of streams) s.close();
  await gateway?.close();
  await backend.close();
  await new Promise<void>((resolve) => mailServer.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const gatewayEvents = (who: Who): BackendEvent[] => (seen.get(who) ?? []).filter((e) => e.type.startsWith('gateway.'));
const statuses = (who: Who): GatewayStatus[] => gatewayEvents(who).flatMap((e) => (e.type === 'gateway.status' ? [e.status] : []));

describe('gateways per company, their events and the store-full mail', () => {
  let gatewayId = '';

  it("lets the company's Administrators, not its Users nor another company, register, list and delete its gateways", async () => {
    // A User of acme may not register one
    expect((await api(backend.url, '/gateways', { method: 'POST', body: { name: 'nope' }, token: tokens.get('aaron.acme') })).status).toBe(403);
    // nor an Administrator for a company not theirs
    expect((await api(backend.url, '/gateways', { method: 'POST', body: { name: 'nope', company: 'globex' }, token: tokens.get('alice.acme') })).status).toBe(403);
    // acme's Administrator registers one: it is acme's
    const issued = await ok<{ id: string; name: string; password: string; registeredAt: string; company: string }>('/gateways', { method: 'POST', body: { name: 'branch-acme' }, token: tokens.get('alice.acme') }, 201);
    expect(issued.company).toBe('acme');
    gatewayId = issued.id;
    writeCredentials(join(dir, 'queue'), { id: issued.id, name: issued.name, password: issued.password, registeredAt: issued.registeredAt });
    const listed = async (who: Who): Promise<string[]> => (await ok<{ gateways: { id: string }[] }>('/gateways', { token: tokens.get(who) })).gateways.map((g) => g.id);
    expect(await listed('alice.acme')).toEqual([gatewayId]);
    expect(await listed('sch')).toEqual([gatewayId]);
    expect(await listed('gina.globex')).toEqual([]);
    expect((await api(backend.url, '/gateways', { token: tokens.get('aaron.acme') })).status).toBe(403);
    // Another company's Administrator cannot delete or reset it: it does not exist for them
    expect((await api(backend.url, `/gateways/${gatewayId}`, { method: 'DELETE', token: tokens.get('gina.globex') })).status).toBe(404);
    expect((await api(backend.url, `/gateways/${gatewayId}/reset-password`, { method: 'POST', token: tokens.get('gina.globex') })).status).toBe(404);
    // The registration is an event for acme's Administrators and SCH administrators only
    await waitFor('the registration on the stream', () => gatewayEvents('alice.acme').some((e) => e.type === 'gateway.registered'), 10_000);
    expect(gatewayEvents('alice.acme')[0]).toMatchObject({ type: 'gateway.registered', company: 'acme', gateway: { id: gatewayId, name: 'branch-acme', company: 'acme' }, registeredBy: 'alice.acme' });
    await waitFor('the registration on the SCH stream', () => gatewayEvents('sch').length > 0, 10_000);
    // A throw-away gateway, deleted by its Administrator: an event too
    const spare = await ok<{ id: string }>('/gateways', { method: 'POST', body: { name: 'spare' }, token: tokens.get('alice.acme') }, 201);
    await ok(`/gateways/${spare.id}`, { method: 'DELETE', token: tokens.get('alice.acme') });
    await waitFor('the deletion on the stream', () => gatewayEvents('alice.acme').some((e) => e.type === 'gateway.deleted' && e.gateway.id === spare.id), 10_000);
    expect(await listed('alice.acme')).toEqual([gatewayId]);
  });

  it('reports the held queue, a full store (with one mail to the administrators) and a failing mailbox; forwarding failing while the service was down, then recovered', { timeout: 90_000 }, async () => {
    const queueDir = join(dir, 'queue');
    const queue = openQueue(queueDir);
    queue.setSetting('send', 'no');
    queue.close();
    const first = sampleWith({ serial: 'GWEVT1', messageId: 'E-1' });
    const credentials = credentialsStore(queueDir);
    gateway = await startGateway({
      queueDir,
      name: 'branch-acme',
      target: { backend: new URL(backend.url) },
      httpPort: 0,
      credentials: () => credentials.get(),
      onNewPassword: (p) => credentials.rotate(p),
      maxStoreBytes: Math.ceil(Buffer.byteLength(first) * 1.5),
      storeFullMail: { to: ['alice.acme@example.com'], server: { host: '127.0.0.1', port: mailPort }, from: 'gateway@branch.example' },
      // Nothing listens there: a real IMAP connection attempt that fails.
      mailbox: { address: { secure: false, host: '127.0.0.1', port: await freePort(), user: 'gw', folder: 'INBOX' }, password: 'x', retryMs: 60_000 },
      report: { everyMs: 500, minGapMs: 100 },
      minBackoffMs: 4_000,
      maxBackoffMs: 4_000,
    });
    // When the Send flag is No, the first message is held; the second does not fit
    expect(await post(gateway.httpPort!, first)).toBe(200);
    expect(await post(gateway.httpPort!, sampleWith({ serial: 'GWEVT1', messageId: 'E-2' }))).toBe(503);
    expect(await post(gateway.httpPort!, sampleWith({ serial: 'GWEVT1', messageId: 'E-3' }))).toBe(503);
    // Then acme's Administrator sees it on the stream
    await waitFor('a full-store status', () => statuses('alice.acme').some((s) => s.queue.full && s.queue.held === 1 && s.mailbox?.state === 'failed'), 20_000);
    const full = statuses('alice.acme').find((s) => s.queue.full)!;
    expect(full).toMatchObject({ sendFlag: false, forwarding: { state: 'ok' }, queue: { queued: 0, held: 1 } });
    expect(full.mailbox?.lastError).toBeTruthy();
    expect(statuses('alice.acme').reduce((n, s) => n + s.activity.refusedAtIntake, 0)).toBe(2);
    // …and one mail, not one per refusal
    await waitFor('the store-full mail', () => mails.length > 0, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('Transport Gateway branch-acme: message store full');
    expect(mails[0]?.to).toMatchObject({ text: 'alice.acme@example.com' });
    expect(mails[0]?.text).toContain('1 held for manual action');
    // triggers: the service learnt it from the status report (flag on) and recorded N26 for that address, once.
    const storeFull = async (): Promise<string[][]> => (await ok<{ notifications: { kind: string; to: string[] }[] }>('/notifications', { token: TOKEN })).notifications.filter((n) => n.kind === 'gateway-store-full').map((n) => n.to);
    await expect.poll(storeFull, { timeout: 10_000 }).toEqual([['alice.acme@example.com']]);
    // A User of acme and another company see none of it; SCH administrators do
    expect(gatewayEvents('aaron.acme')).toEqual([]);
    expect(gatewayEvents('gina.globex')).toEqual([]);
    expect(statuses('sch').some((s) => s.queue.full)).toBe(true);
    // GET /gateways has the last report
    const row = (await ok<{ gateways: { status: GatewayStatus | null }[] }>('/gateways', { token: tokens.get('alice.acme') })).gateways[0];
    expect(row?.status?.queue.held).toBe(1);

    // When the service goes down and the held message is released, forwarding fails
    await backend.close();
    const [held] = gateway.queue.list('held');
    gateway.queue.setState([held!.id], 'queued', null);
    gateway.queue.setSetting('send', 'yes');
    gateway.forwarder.wake();
    await waitFor('forwarding to fail', () => !gateway!.forwarder.status().reachable, 10_000);
    // Then, when the service is back, the first report says how long forwarding has failed, and the next that it recovered
    const before = statuses('alice.acme').length;
    backend = await start();
    await waitFor('a failing-forwarding status', () => statuses('alice.acme').slice(before).some((s) => s.forwarding.state === 'failing'), 20_000);
    const failing = statuses('alice.acme').slice(before).find((s) => s.forwarding.state === 'failing')!;
    expect(failing.forwarding.lastError).toMatch(/ECONNREFUSED|connect/);
    expect(Date.parse(failing.forwarding.since ?? '')).toBeLessThan(Date.parse(failing.reportedAt));
    await waitFor('a recovered status with the queue drained', () => statuses('alice.acme').slice(before).some((s) => s.forwarding.state === 'ok' && s.queue.queued === 0 && s.activity.forwarded === 1), 30_000);
    const stored = await ok<{ messages: { messageId: string }[] }>('/messages', { token: TOKEN });
    expect(stored.messages.map((m) => m.messageId)).toEqual(['E-1']);
  });
});
