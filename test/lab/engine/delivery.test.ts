import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciscoTacProfile } from '../../../src/domain/callhome.js';
import { createCallHomeEngine } from '../../../src/lab/engine/engine.js';
import { XML_CONTENT_TYPE } from '../../../src/lab/engine/http-transport.js';
import {
  configWith,
  freePort,
  httpProfile,
  IDENTITY,
  mailProfile,
  makeHost,
  startHttpSink,
  startProxy,
  startSmtpSink,
  type HttpSink,
  type Proxy,
  type SmtpSink,
} from './support.js';

const FAST = { delivery: { httpRetryDelaysMs: [5, 5], httpTimeoutMs: 5_000, smtpTimeoutMs: 5_000, smtpAttemptsPerServer: 1, smtpRounds: 1 } };

let sink: HttpSink;
let tlsSink: HttpSink;
let proxy: Proxy;
// Two mail servers on one port but different loopback addresses: the lab dials every mail server on host.smtpPort.
let smtpA: SmtpSink;
let smtpB: SmtpSink;

beforeAll(async () => {
  [sink, tlsSink, proxy] = await Promise.all([startHttpSink(), startHttpSink({ tls: true }), startProxy()]);
  smtpA = await startSmtpSink('A', '127.0.0.2');
  smtpB = await startSmtpSink('B', '127.0.0.3', smtpA.port);
});
afterAll(async () => {
  await Promise.all([sink.close(), tlsSink.close(), proxy.close(), smtpA.close(), smtpB.close()]);
});

describe('HTTP delivery (C80)', () => {
  it('posts well-formed SOAP XML and counts a success with the last-sent time', async () => {
    const now = new Date(Date.UTC(2026, 10, 23, 21, 40, 51));
    const engine = createCallHomeEngine(makeHost(configWith([httpProfile('web', sink.url)]), { now: () => now }), FAST);
    const from = sink.received.length;
    engine.test('web');
    // Queued until delivered (§8: In-Queue).
    expect(engine.statistics().sections.inQueue.test).toEqual({ total: 1, email: 0, http: 1 });
    await engine.idle();
    const [req] = sink.received.slice(from);
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/its/service/oddce/services/DDCEService');
    expect(req?.headers['content-type']).toBe(XML_CONTENT_TYPE);
    expect(XMLValidator.validate(req?.body ?? '')).toBe(true);
    expect(req?.body).toMatch(/<aml-session:MessageId>M1:9S1NMSF22DW:[0-9A-F]{8}<\/aml-session:MessageId>/);
    const stats = engine.statistics();
    expect(stats.sections.success.test).toEqual({ total: 1, email: 0, http: 1 });
    expect(stats.sections.inQueue.test).toEqual({ total: 0, email: 0, http: 0 });
    expect(stats.lastSent).toBe('2026-11-23 21:40:51 GMT+00:00');
    await engine.close();
  });

  it('retries a failing server, then counts Failed and logs the IOS error', async () => {
    sink.status = 500;
    const host = makeHost(configWith([httpProfile('web', sink.url)]));
    const engine = createCallHomeEngine(host, FAST);
    const from = sink.received.length;
    engine.test('web');
    await engine.idle();
    sink.status = 200;
    expect(sink.received.length - from).toBe(3);
    expect(host.logs).toEqual(['%CALL_HOME-3-HTTP_REQUEST_FAILED: Call-Home HTTP request failed (ERR 500)']);
    const stats = engine.statistics();
    expect(stats.sections.failed.test).toEqual({ total: 1, email: 0, http: 1 });
    expect(stats.sections.success.total?.total).toBe(0);
    expect(stats.lastSent).toBeNull();
    await engine.close();
  });

  it('counts Failed with ERR 0 when nothing listens', async () => {
    const port = await freePort();
    const host = makeHost(configWith([httpProfile('down', `http://127.0.0.1:${port}/x`)]));
    const engine = createCallHomeEngine(host, FAST);
    engine.test('down');
    await engine.idle();
    expect(host.logs).toEqual(['%CALL_HOME-3-HTTP_REQUEST_FAILED: Call-Home HTTP request failed (ERR 0)']);
    expect(engine.statistics().sections.failed.test?.http).toBe(1);
    await engine.close();
  });

  it('trusts a self-signed HTTPS back end on loopback', async () => {
    const engine = createCallHomeEngine(makeHost(configWith([httpProfile('tls', tlsSink.url)])), FAST);
    const from = tlsSink.received.length;
    engine.test('tls');
    await engine.idle();
    expect(tlsSink.received.length - from).toBe(1);
    expect(engine.statistics().sections.success.test?.http).toBe(1);
    await engine.close();
  });

  it('goes through http-proxy: absolute URI for http, CONNECT for https', async () => {
    const config = configWith([httpProfile('plain', sink.url), httpProfile('secure', tlsSink.url)], { httpProxy: { host: '127.0.0.1', port: proxy.port } });
    const engine = createCallHomeEngine(makeHost(config), FAST);
    const [plainFrom, tlsFrom, proxyFrom] = [sink.received.length, tlsSink.received.length, proxy.requests.length];
    engine.test('plain');
    engine.test('secure');
    await engine.idle();
    expect(proxy.requests.slice(proxyFrom)).toEqual([`POST ${sink.url}`, `CONNECT 127.0.0.1:${tlsSink.port}`]);
    expect(sink.received.length - plainFrom).toBe(1);
    expect(tlsSink.received.length - tlsFrom).toBe(1);
    expect(engine.statistics().sections.success.test?.http).toBe(2);
    await engine.close();
  });
});

describe('SMTP delivery (C79)', () => {
  it('uses the lowest priority number first, with From, Reply-To and the profile format', async () => {
    const config = configWith([mailProfile('mail', ['ops@example.com', 'tac@example.com'], { format: 'long-text' })], {
      mailServers: [
        { host: '127.0.0.3', priority: 20 },
        { host: '127.0.0.2', priority: 1 },
      ],
      senderFrom: 'r1@example.com',
      senderReplyTo: 'noc-replies@example.com',
    });
    const engine = createCallHomeEngine(makeHost(config, { smtpPort: smtpA.port }), FAST);
    const fromA = smtpA.mails.length;
    engine.test('mail', 'mail test');
    await engine.idle();
    const [mail] = smtpA.mails.slice(fromA);
    expect(mail).toMatchObject({ from: 'r1@example.com', replyTo: 'noc-replies@example.com', to: 'ops@example.com, tac@example.com', server: 'A' });
    expect(mail?.subject).toMatch(/^System Notification From R1 - test - \d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+00:00$/);
    expect(mail?.text).toContain('Event Description : mail test');
    expect(mail?.text).toContain(`Device ID : CSR1000V@C@${IDENTITY.serial}`);
    expect(engine.statistics().sections.success.test).toEqual({ total: 1, email: 1, http: 0 });
    await engine.close();
  });

  it('fails over to the next server when the first does not answer', async () => {
    const config = configWith([mailProfile('mail', ['ops@example.com'])], {
      mailServers: [
        { host: '127.0.0.4', priority: 1 },
        { host: '127.0.0.3', priority: 2 },
      ],
    });
    const engine = createCallHomeEngine(makeHost(config, { smtpPort: smtpA.port }), FAST);
    const fromB = smtpB.mails.length;
    engine.sendAlertGroup('inventory', { profile: 'mail' });
    await engine.idle();
    const [mail] = smtpB.mails.slice(fromB);
    expect(mail?.from).toBe('noc@example.com');
    expect(XMLValidator.validate(mail?.text ?? '')).toBe(true);
    expect(mail?.text).toContain('<ch:Type>inventory</ch:Type>');
    expect(engine.statistics().sections.success.inventory).toEqual({ total: 1, email: 1, http: 0 });
    await engine.close();
  });

  it('counts Failed and logs when every server fails', async () => {
    const config = configWith([mailProfile('mail', ['ops@example.com'])], { mailServers: [{ host: '127.0.0.4', priority: 1 }] });
    const host = makeHost(config, { smtpPort: smtpA.port });
    const engine = createCallHomeEngine(host, FAST);
    engine.test('mail');
    await engine.idle();
    expect(host.logs).toHaveLength(1);
    expect(host.logs[0]).toMatch(/^%CALL_HOME-3-SMTP_SEND_FAILED: Unable to send notification using all SMTP servers \(ERR 0, 127\.0\.0\.4: /);
    expect(engine.statistics().sections.failed.test).toEqual({ total: 1, email: 1, http: 0 });
    await engine.close();
  });

  it('send-CLI: to an address with the SR in the subject; to attach@cisco.com; http with a forward address', async () => {
    const tac = { ...ciscoTacProfile(IDENTITY.serial), httpUrls: [sink.url] };
    const base = configWith([], { mailServers: [{ host: '127.0.0.2', priority: 1 }] });
    const engine = createCallHomeEngine(makeHost({ ...base, profiles: [tac] }, { smtpPort: smtpA.port }), FAST);
    const [fromA, fromHttp] = [smtpA.mails.length, sink.received.length];
    expect(engine.sendCli(['show version', 'show clock'], { email: 'support@example.com', serviceRequest: '612345678' })).toEqual({ kind: 'queued', profiles: [''] });
    expect(engine.sendCli(['show diag'], { serviceRequest: '123456' })).toEqual({ kind: 'queued', profiles: [''] });
    expect(engine.sendCli(['show diag'], {})).toMatchObject({ kind: 'rejected' });
    expect(engine.sendCli(['show diag'], { http: true })).toMatchObject({ kind: 'rejected' });
    expect(engine.sendCli(['show version'], { http: true, destinationEmail: 'me@example.com' })).toEqual({ kind: 'queued', profiles: ['CiscoTAC-1'] });
    await engine.idle();
    const mails = smtpA.mails.slice(fromA);
    expect(mails.map((m) => m.to)).toEqual(['support@example.com', 'attach@cisco.com']);
    expect(mails[0]?.subject).toMatch(/ - send-cli - .* - SR#612345678$/);
    expect(mails[0]?.text).toContain('Command Output Name : show clock');
    expect(mails[0]?.text).toContain('Service Request Number : 612345678');
    const [post] = sink.received.slice(fromHttp);
    expect(post?.body).toContain('<rme:AD name="ForwardAddress" value="me@example.com" />');
    expect(engine.statistics().sections.success.sendCli).toEqual({ total: 3, email: 2, http: 1 });
    await engine.close();
  });
});

describe('mail-server probe (C58)', () => {
  it('reports each server as available or not, in priority order', async () => {
    const config = configWith([], {
      mailServers: [
        { host: '127.0.0.4', priority: 2 },
        { host: '127.0.0.2', priority: 1 },
      ],
    });
    const engine = createCallHomeEngine(makeHost(config, { smtpPort: smtpA.port }), { probeTimeoutMs: 2_000 });
    const connections = smtpA.connections.length;
    expect(await engine.probeMailServers()).toEqual([
      { host: '127.0.0.2', priority: 1, available: true },
      { host: '127.0.0.4', priority: 2, available: false },
    ]);
    expect(smtpA.connections.length - connections).toBe(1);
    await engine.close();
  });
});
