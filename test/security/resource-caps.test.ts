/**
 * Issue 11, item 5 — resources are capped. Attacks on loopback against a real back end (HTTP, SMTP,
 * SQLite): many idle connections from one address and from several, many SMTP sessions, bodies
 * trickled in to pile up bytes across requests, an SMTP DATA that never ends, and requests cut off
 * mid-body. Each must meet a refusal the client can retry, never unbounded memory, and the aborted
 * requests must be logged in one line each, without a stack trace.
 */
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DDCE_SERVICE_PATH } from '../../src/domain/callhome.js';
import { postXml, sampleWith, startTestBackend, type TestBackend } from '../backend/helpers.js';
import { rawRequest, rawSmtp, waitFor } from './helpers.js';

/** An open TCP connection and whether the server has closed it. */
type Conn = { socket: Socket; closed: Promise<void>; isClosed: () => boolean };
const opened: Socket[] = [];

function open(port: number, localAddress: string): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    opened.push(socket);
    let closed = false;
    const gone = new Promise<void>((r) => socket.once('close', () => ((closed = true), r())));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, closed: gone, isClosed: () => closed }));
    socket.once('error', reject);
  });
}

/** True when a GET /api/v1/health on this open connection is answered (a refused connection is closed instead). */
function served(c: Conn): Promise<boolean> {
  return new Promise((resolve) => {
    if (c.isClosed()) return resolve(false);
    c.socket.once('data', () => resolve(true));
    void c.closed.then(() => resolve(false));
    c.socket.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
}

afterEach(() => {
  for (const s of opened.splice(0)) s.destroy();
});

describe('connection caps', () => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startTestBackend({ limits: { maxHttpConnections: 6, maxHttpConnectionsPerAddress: 3, maxSmtpConnections: 2 } });
  });
  afterAll(async () => {
    await b.stop();
  });

  it('closes HTTP connections over the per-address cap, then over the total, and serves again once they go', async () => {
    // Given one address holding its three connections
    const first = await Promise.all([1, 2, 3].map(() => open(b.httpPort, '127.0.0.1')));
    // When it opens a fourth, the server closes it without serving it
    const fourth = await open(b.httpPort, '127.0.0.1');
    expect(await served(fourth)).toBe(false);
    // …while another address is still served, up to the total of six
    const others = [await open(b.httpPort, '127.0.0.2'), await open(b.httpPort, '127.0.0.2'), await open(b.httpPort, '127.0.0.3')];
    for (const c of [...first, ...others]) expect(await served(c)).toBe(true);
    const seventh = await open(b.httpPort, '127.0.0.4');
    expect(await served(seventh)).toBe(false);
    // Then once the first address lets go, others are served again
    for (const c of first) c.socket.destroy();
    await Promise.all(first.map((c) => c.closed));
    await waitFor(async () => served(await open(b.httpPort, '127.0.0.4')), (ok) => ok, 5_000, 'a connection to be served again');
  });

  it('answers SMTP connections over the cap with 421', async () => {
    const a = await rawSmtp(b.smtpPort ?? 0);
    const c = await rawSmtp(b.smtpPort ?? 0);
    expect((await a.reply()).code).toBe(220);
    expect((await c.reply()).code).toBe(220);
    const third = await rawSmtp(b.smtpPort ?? 0);
    expect(await third.reply()).toMatchObject({ code: 421, text: expect.stringMatching(/too many/i) as unknown });
    for (const s of [a, c, third]) s.close();
  });
});

describe('bytes held by unfinished requests', () => {
  let b: TestBackend;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)), done()) });
    b = await startTestBackend({ logger: pino({ level: 'info' }, sink), limits: { maxPendingBytes: 1024 * 1024, smtpDataTimeoutMs: 1_500 } });
  });
  afterAll(async () => {
    await b.stop();
  });

  /** A device post that declares `total` bytes and sends only `sent` of them, then stalls. */
  async function stalledPost(total: number, sent: number): Promise<{ conn: Conn; answer: Promise<string> }> {
    const conn = await open(b.httpPort, '127.0.0.1');
    let text = '';
    const answer = new Promise<string>((resolve) => {
      conn.socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      void conn.closed.then(() => resolve(text));
      conn.socket.on('data', () => {
        if (/\r\n\r\n/.test(text)) resolve(text);
      });
    });
    conn.socket.write(`POST ${DDCE_SERVICE_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\nContent-Length: ${total}\r\n\r\n`);
    conn.socket.write(Buffer.alloc(sent, 0x20));
    return { conn, answer };
  }

  it('refuses with 503 and Retry-After the request that would pass the global cap, and frees the bytes when requests end', async () => {
    // Given two slow posts holding 450 KiB each (each well under the 3 MiB message limit)
    const slow = [await stalledPost(2_000_000, 450 * 1024), await stalledPost(2_000_000, 450 * 1024)];
    await new Promise((r) => setTimeout(r, 200));
    // When a third brings the total over 1 MiB, it is refused at once, not buffered
    const third = await stalledPost(2_000_000, 300 * 1024);
    const reply = await third.answer;
    expect(reply).toMatch(/^HTTP\/1\.1 503/);
    expect(reply).toMatch(/retry-after: \d+/i);
    expect(reply).toMatch(/too many unfinished requests/);
    // …and an API body is held to the same cap
    const api = await rawRequest(b.url, '/api/v1/contracts', { method: 'POST', headers: { authorization: 'Bearer test-token-0123456789', 'content-type': 'application/json' }, body: Buffer.alloc(400 * 1024, 0x20) });
    expect(api.status).toBe(503);
    // Then once the slow clients hang up, their bytes are given back and a real message is stored
    for (const s of slow) s.conn.socket.destroy();
    await waitFor(() => postXml(b.url, sampleWith({ serial: 'CAPS00001', messageId: 'caps-1' })), (r) => r.status === 200, 5_000, 'a post to be accepted again');
  });

  it('logs a request cut off mid-body in one line, without a stack trace', async () => {
    lines.length = 0;
    const { conn } = await stalledPost(100_000, 1_000);
    await new Promise((r) => setTimeout(r, 100));
    conn.socket.destroy();
    const line = await waitFor(async () => lines.find((l) => l.includes('request aborted by the client')), (l) => l !== undefined, 5_000, 'the abort log line');
    const entry = JSON.parse(line ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({ bytes: 1_000, path: DDCE_SERVICE_PATH });
    expect(entry['err']).toBeUndefined();
    expect(lines.join('\n')).not.toMatch(/"stack"|\n\s+at /);
  });

  it('cuts an SMTP DATA that takes longer than the time limit with 421', async () => {
    const smtp = await rawSmtp(b.smtpPort ?? 0);
    await smtp.reply();
    expect((await smtp.command('EHLO attacker')).code).toBe(250);
    expect((await smtp.command('MAIL FROM:<a@example.com>')).code).toBe(250);
    expect((await smtp.command('RCPT TO:<callhome@example.com>')).code).toBe(250);
    expect((await smtp.command('DATA')).code).toBe(354);
    const started = Date.now();
    // A sender that trickles a line every 100 ms, forever: each line is well inside any idle timeout.
    const trickle = setInterval(() => void smtp.write('X-Slow: 1\r\n').catch(() => undefined), 100);
    try {
      const r = await smtp.reply();
      expect(r.code).toBe(421);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      clearInterval(trickle);
      smtp.close();
    }
    expect(lines.some((l) => l.includes('SMTP DATA cut: time limit'))).toBe(true);
  });
});
