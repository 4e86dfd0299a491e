/**
 * Threats: XML entity tricks (billion laughs, external SYSTEM entities, parameter entities, a
 * DOCTYPE hidden in UTF-16, XInclude) and oversize bodies, over HTTP and SMTP.
 *
 * - Every DOCTYPE/ENTITY is refused with 400 / 554 and a reason naming it; the marker of the file an
 *   entity points at never reaches the store, the API, the event stream or the log; the back end keeps
 *   answering. (test/backend/ingest-http.test.ts has the basic billion-laughs and SYSTEM cases; here they
 *   are checked end to end, with a file the entity points at, and over SMTP too.)
 * - HTTP bodies over 3,145,728 bytes get 413 as soon as that is known (a declared Content-Length at the
 *   headers, a chunked body at the limit), and the server stops reading and closes the connection.
 * - SMTP announces SIZE in EHLO, refuses a larger declared SIZE at MAIL FROM with 552, and refuses an
 *   undeclared oversize DATA with 552 (the memory bound of that case is in smtp-size-memory.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DDCE_SERVICE_PATH, MAX_MESSAGE_SIZE } from '../../src/domain/callhome.js';
import { api, SAMPLE_XML, sampleWith, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { rawRequest, rawSmtp, waitFor } from './helpers.js';

let b: TestBackend;
let dir: string;
let markerFile: string;
let logFile: string;
const MARKER = `XXE-MARKER-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callhome-xxe-'));
  markerFile = join(dir, 'secret.txt');
  writeFileSync(markerFile, `${MARKER}\n`);
  logFile = join(dir, 'backend.log');
  const logger = pino({ level: 'debug' }, pino.destination({ dest: logFile, sync: true }));
  b = await startTestBackend({ logger });
});
afterAll(async () => {
  await b.stop();
  rmSync(dir, { recursive: true, force: true });
});

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';
/** The guide's sample with a DTD inserted after the prolog and `ref` in the host name. */
const withDtd = (dtd: string, ref: string): string => SAMPLE_XML.replace(PROLOG, `${PROLOG}${dtd}`).replace('qiang-vm</ch:Name>', `${ref}</ch:Name>`);

const attacks = (): [string, string | Buffer][] => [
  ['billion laughs', `${PROLOG}<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><lolz>&lol4;</lolz>`],
  ['an external SYSTEM entity in a Call Home envelope', withDtd(`<!DOCTYPE soap-env:Envelope [<!ENTITY xxe SYSTEM "file://${markerFile}">]>`, '&xxe;')],
  ['a parameter entity', withDtd(`<!DOCTYPE soap-env:Envelope [<!ENTITY % ext SYSTEM "file://${markerFile}"> %ext;]>`, 'host')],
  ['an external DTD', withDtd(`<!DOCTYPE soap-env:Envelope SYSTEM "file://${markerFile}">`, 'host')],
  ['a lower-case doctype', withDtd(`<!doctype soap-env:Envelope [<!entity xxe SYSTEM "file://${markerFile}">]>`, '&xxe;')],
];

/** Every place a leaked marker could surface: the API's messages and notifications, the events, the log. */
async function expectNoMarker(): Promise<void> {
  const messages = await api<{ messages: { id: number }[] }>(b.url, '/messages?limit=1000');
  const details = await Promise.all(messages.body.messages.map((m) => api(b.url, `/messages/${m.id}`)));
  const notifications = await api(b.url, '/notifications');
  const devices = await api(b.url, '/devices');
  const seen = JSON.stringify([details, notifications.body, devices.body, b.events]) + readFileSync(logFile, 'utf8');
  expect(seen).not.toContain(MARKER);
}

describe('XML entities over HTTP', () => {
  it('refuses each entity trick with 400 and a reason, and nothing of the file leaks', async () => {
    for (const [name, body] of attacks()) {
      const r = await rawRequest(b.url, DDCE_SERVICE_PATH, { method: 'POST', headers: { 'content-type': 'application/soap+xml; charset=utf-8' }, body });
      expect(r.status, name).toBe(400);
      expect(JSON.parse(r.body), name).toMatchObject({ error: 'forbidden-dtd', reason: expect.stringMatching(/DOCTYPE or ENTITY/) as unknown });
      expect(r.body).not.toContain(MARKER);
    }
    await expectNoMarker();
  });

  it('never expands an entity hidden in UTF-16 or pulled in with XInclude', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(withDtd(`<!DOCTYPE soap-env:Envelope [<!ENTITY xxe SYSTEM "file://${markerFile}">]>`, '&xxe;').replace('UTF-8', 'UTF-16'), 'utf16le')]);
    const r1 = await rawRequest(b.url, DDCE_SERVICE_PATH, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: utf16 });
    expect(r1.status).toBeGreaterThanOrEqual(400);
    expect(r1.status).toBeLessThan(500);
    // XInclude is not processed: the element is at most stored as text; the file is never read.
    const xinclude = sampleWith({ serial: 'XINC0001', description: `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://${markerFile}" parse="text"/>` });
    const r2 = await rawRequest(b.url, DDCE_SERVICE_PATH, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: xinclude });
    expect([200, 400, 422]).toContain(r2.status);
    await expectNoMarker();
  });

  it('stays responsive after the attacks', async () => {
    expect((await rawRequest(b.url, '/api/v1/health')).status).toBe(200);
    const ok = await rawRequest(b.url, DDCE_SERVICE_PATH, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: sampleWith({ serial: 'AFTER0001', messageId: 'M-after-1' }) });
    expect(ok.status).toBe(200);
  });
});

describe('XML entities over SMTP', () => {
  it('refuses a mail whose XML (attached or in the body) declares entities, with 554 and the reason', async () => {
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: b.smtpPort ?? 0, secure: false, ignoreTLS: true });
    try {
      for (const [name, xml] of attacks()) {
        const text = typeof xml === 'string' ? xml : xml.toString('utf8');
        const attached = mailer.sendMail({ from: 'router@example.com', to: 'callhome@example.com', subject: 'System Notification From Router', text: 'see attachment', attachments: [{ filename: 'callhome.xml', content: text, contentType: 'application/xml' }] });
        await expect(attached, name).rejects.toMatchObject({ responseCode: 554, response: expect.stringMatching(/DOCTYPE or ENTITY/) as unknown });
        const inline = mailer.sendMail({ from: 'router@example.com', to: 'callhome@example.com', subject: 'System Notification From Router', text });
        await expect(inline, name).rejects.toMatchObject({ responseCode: 554 });
      }
    } finally {
      mailer.close();
    }
    await expectNoMarker();
    expect((await rawRequest(b.url, '/api/v1/health')).status).toBe(200);
  });
});

describe('oversize bodies over HTTP', () => {
  /** Writes a body until the server answers; returns the answer and how many body bytes got out. */
  function pushUntilAnswered(head: string, chunk: Buffer, frame: (c: Buffer) => Buffer): Promise<{ status: number; sent: number; closed: boolean }> {
    return new Promise((resolve) => {
      const url = new URL(b.url);
      const socket = connect(Number(url.port), url.hostname);
      let sent = 0;
      let answer = '';
      let status = 0;
      let finished = false;
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      // Once answered (or at 64 MiB, which a server that stops reading never takes), the server must close the connection itself.
      const finish = (): void => {
        if (finished) return;
        finished = true;
        const timer = setTimeout(() => resolve({ status, sent, closed: false }), 5_000);
        void closed.then(() => {
          clearTimeout(timer);
          resolve({ status, sent, closed: true });
        });
      };
      // A write after the server closed fails with EPIPE/ECONNRESET; that is the server refusing to read on.
      socket.on('error', () => undefined);
      socket.on('close', finish);
      socket.on('data', (d: Buffer) => {
        answer += d.toString('latin1');
        const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
        if (m && status === 0) {
          status = Number(m[1]);
          finish();
        }
      });
      const pump = (): void => {
        while (!finished && !socket.destroyed) {
          if (sent >= 64 * 1024 * 1024) return finish();
          sent += chunk.length;
          if (!socket.write(frame(chunk))) return void socket.once('drain', pump);
        }
      };
      socket.once('connect', () => {
        socket.write(head);
        pump();
      });
    });
  }

  const chunk = Buffer.alloc(64 * 1024, 0x61);

  it('answers 413 at the headers when Content-Length is too large, and closes without reading the body', async () => {
    const head = `POST ${DDCE_SERVICE_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/soap+xml\r\nContent-Length: ${1024 * 1024 * 1024}\r\n\r\n`;
    const r = await pushUntilAnswered(head, chunk, (c) => c);
    expect(r.status).toBe(413);
    expect(r.closed).toBe(true);
    // Whatever loopback buffers took before the answer came back, it is far from the declared 1 GiB.
    expect(r.sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('stops reading a chunked body at the limit: 413 (or a reset when the 413 is lost in it), and closes the connection', async () => {
    const head = `POST ${DDCE_SERVICE_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/soap+xml\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const r = await pushUntilAnswered(head, chunk, (c) => Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]));
    // The server closes while the client is still writing; the kernel may then drop the 413 in favour of a reset.
    expect([0, 413]).toContain(r.status);
    expect(r.closed).toBe(true);
    expect(r.sent).toBeGreaterThan(MAX_MESSAGE_SIZE);
    expect(r.sent).toBeLessThan(MAX_MESSAGE_SIZE + 16 * 1024 * 1024);
    expect((await rawRequest(b.url, '/api/v1/health')).status).toBe(200);
    // The refusal is on the record with its reason, whatever the client saw (committed and published shortly after).
    const recorded = (): boolean => b.events.some((e) => e.type === 'message.rejected' && /larger than the message size limit/.test(e.reason));
    expect(await waitFor(() => Promise.resolve(recorded()), (seen) => seen, 10_000, 'the message.rejected event')).toBe(true);
  });

  it('limits API request bodies too', async () => {
    const head = `POST /api/v1/contracts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024 * 1024}\r\n\r\n`;
    const r = await pushUntilAnswered(head, chunk, (c) => c);
    expect(r.status).toBe(413);
    expect(r.closed).toBe(true);
    expect(r.sent).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('oversize mail over SMTP', () => {
  it('announces SIZE in EHLO and refuses a larger declared size at MAIL FROM with 552', async () => {
    const smtp = await rawSmtp(b.smtpPort ?? 0);
    try {
      expect((await smtp.reply()).code).toBe(220);
      const ehlo = await smtp.command('EHLO attacker.example');
      const size = Number(/^250[- ]SIZE (\d+)$/m.exec(ehlo.text)?.[1]);
      expect(size).toBeGreaterThanOrEqual(MAX_MESSAGE_SIZE);
      expect(size).toBeLessThan(8 * 1024 * 1024);
      const mail = await smtp.command(`MAIL FROM:<router@example.com> SIZE=${size + 1}`);
      expect(mail.code).toBe(552);
      expect((await smtp.command('MAIL FROM:<router@example.com>')).code).toBe(250);
      expect((await smtp.command('RCPT TO:<callhome@example.com>')).code).toBe(250);
      expect((await smtp.command('DATA')).code).toBe(354);
      // An undeclared oversize message is refused after its end with 552.
      await smtp.write('Subject: big\r\n\r\n');
      const line = `${'x'.repeat(998)}\r\n`;
      const block = Buffer.from(line.repeat(1024));
      for (let sent = 0; sent <= size; sent += block.length) await smtp.write(block);
      const end = await smtp.command('.');
      expect(end.code).toBe(552);
      expect((await smtp.command('QUIT')).code).toBe(221);
    } finally {
      smtp.close();
    }
  });
});
