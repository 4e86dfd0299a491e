/**
 * Issue 17 (S86): forwarding through an HTTP proxy with authentication. The proxy here is a small real
 * forward proxy on loopback (absolute-URI requests and CONNECT) that demands Basic credentials.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedPair, startBackend, type Backend } from '../../src/backend/server.js';
import { createApiClient } from '../../src/client/api-client.js';
import { credentialsStore } from '../../src/gateway/credentials.js';
import { startGateway, type Gateway } from '../../src/gateway/gateway.js';
import { send } from '../../src/gateway/http-post.js';
import { sampleWith, TOKEN } from '../backend/helpers.js';
import { gatewayCli, registerGateway, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-gateway-proxy-'));
const AUTH = `Basic ${Buffer.from('site:pr0xy').toString('base64')}`;
let backend: Backend;
let proxy: Server;
let proxyPort = 0;
const seen: string[] = [];
let gateway: Gateway | undefined;
const tunnels = new Set<Duplex>();

beforeAll(async () => {
  backend = await startBackend({ dbPath: join(dir, 'service.db'), httpPort: 0, smtpPort: null, token: TOKEN, parseWorkers: 1 });
  proxy = createServer((req, res) => {
    if (req.headers['proxy-authorization'] !== AUTH) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
    const url = new URL(req.url ?? '');
    const { 'proxy-authorization': _drop, ...headers } = req.headers;
    const upstream = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.once('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  proxy.on('connect', (req, socket) => {
    if (req.headers['proxy-authorization'] !== AUTH) return void socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
    seen.push(`CONNECT ${req.url ?? ''}`);
    tunnels.add(socket);
    socket.once('close', () => tunnels.delete(socket));
    const [host, port] = (req.url ?? '').split(':');
    const up = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.pipe(socket);
      socket.pipe(up);
    });
    up.once('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const a = proxy.address();
  proxyPort = typeof a === 'object' && a ? a.port : 0;
});

afterAll(async () => {
  await gateway?.close();
  proxy.closeAllConnections();
  // Tunnels are the proxy's own sockets now (an HTTP server no longer tracks them).
  for (const t of tunnels) t.destroy();
  await new Promise((r) => proxy.close(r));
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('gateway forwarding through an authenticating HTTP proxy', () => {
  it('tests the connection and forwards through the proxy; wrong proxy credentials keep the message queued', { timeout: 60_000 }, async () => {
    const queueDir = join(dir, 'queue');
    await registerGateway(backend.url, queueDir, 'proxied');
    const proxyUrl = `http://site:pr0xy@127.0.0.1:${proxyPort}`;
    expect(JSON.parse(await gatewayCli('test-connection', { backend: backend.url, queueDir, proxy: proxyUrl }))).toMatchObject({ ok: true });
    await expect(gatewayCli('test-connection', { backend: backend.url, queueDir, proxy: `http://site:wrong@127.0.0.1:${proxyPort}` })).rejects.toThrow(/HTTP 407/);

    // A wrong proxy password: the message is kept (407 is the path's fault, not the message's)
    const credentials = credentialsStore(queueDir);
    const badProxy = await startGateway({ queueDir, target: { backend: new URL(backend.url), proxy: new URL(`http://site:wrong@127.0.0.1:${proxyPort}`) }, httpPort: null, credentials: () => credentials.get(), onNewPassword: (p) => credentials.rotate(p), minBackoffMs: 100, maxBackoffMs: 200 });
    badProxy.queue.add({ kind: 'xml', body: Buffer.from(sampleWith({ serial: 'PROXY1', messageId: 'P-1' })), messageId: 'P-1', serial: 'PROXY1', subject: '', source: 'http' });
    badProxy.forwarder.wake();
    await waitFor('the 407 to be seen', () => badProxy.forwarder.status().lastError?.includes('407') === true, 10_000);
    expect(badProxy.queue.counts()).toMatchObject({ queued: 1, refused: 0 });
    await badProxy.close();

    // With the right one it goes through the proxy to the service
    gateway = await startGateway({ queueDir, target: { backend: new URL(backend.url), proxy: new URL(proxyUrl) }, httpPort: null, credentials: () => credentials.get(), onNewPassword: (p) => credentials.rotate(p), minBackoffMs: 100, maxBackoffMs: 200 });
    const client = createApiClient({ url: backend.url, token: TOKEN });
    await waitFor('the message at the service', async () => (await client.messages({ limit: 10 })).messages.some((m) => m.messageId === 'P-1'), 20_000);
    expect(seen.some((l) => l.startsWith(`POST ${backend.url}/gateway/v1/messages`))).toBe(true);
  });

  it('tunnels HTTPS through the proxy with CONNECT (the proxy never sees the request) and verifies the service certificate', { timeout: 60_000 }, async () => {
    const pair = await selfSignedPair('127.0.0.1');
    const secure = await startBackend({ dbPath: join(dir, 'secure.db'), httpPort: 0, smtpPort: null, token: TOKEN, parseWorkers: 1, https: pair });
    try {
      const queueDir = join(dir, 'secure-queue');
      writeFileSync(join(dir, 'ca.pem'), pair.cert);
      await gatewayCli('register', { backend: secure.url, queueDir, name: 'tls-site', caFile: join(dir, 'ca.pem') });
      const before = seen.length;
      const credentials = credentialsStore(queueDir);
      const g = await startGateway({ queueDir, target: { backend: new URL(secure.url), proxy: new URL(`http://site:pr0xy@127.0.0.1:${proxyPort}`), ca: pair.cert }, httpPort: null, credentials: () => credentials.get(), onNewPassword: (p) => credentials.rotate(p), minBackoffMs: 100, maxBackoffMs: 200 });
      g.queue.add({ kind: 'xml', body: Buffer.from(sampleWith({ serial: 'PROXY2', messageId: 'P-tls' })), messageId: 'P-tls', serial: 'PROXY2', subject: '', source: 'https' });
      g.forwarder.wake();
      await waitFor('the queue to drain', () => g.queue.counts().queued === 0, 20_000);
      await g.close();
      const listed = await send({ backend: new URL(secure.url), ca: pair.cert }, 'GET', '/api/v1/messages', { authorization: `Bearer ${TOKEN}` });
      expect((JSON.parse(listed.body) as { messages: { messageId: string }[] }).messages.map((m) => m.messageId)).toEqual(['P-tls']);
      const port = new URL(secure.url).port;
      expect(seen.slice(before)).toContain(`CONNECT 127.0.0.1:${port}`);
      expect(seen.slice(before).some((l) => l.startsWith('POST'))).toBe(false);
    } finally {
      await secure.close();
    }
  });
});
