/**
 * Issue 6, faults 4: the back end restarted on the same SMTP port and database while devices mail a burst
 * of Call Home messages over several SMTP connections — alternately an orderly restart (SIGTERM, as
 * `systemctl restart` does) and a crash restart (SIGKILL, then started again), which can lose the 250 of
 * a mail already committed. Senders retry every mail that was not accepted with 250, as an MTA does. Every mail
 * accepted is stored exactly once: none lost, none doubled by a retry of a mail whose 250 was lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../backend/helpers.js';
import { DDCE_SERVICE_PATH } from '../../src/domain/callhome.js';
import { faultScale, scaled } from '../support/scale.js';
import { duplicates, killSpawned, loadXml, lookAtDb, prepareServe, rawSmtp, spawnServe, stopServe, type ServeProcess } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-fault-smtp-'));
const db = join(dir, 'callhome.db');

afterAll(() => {
  killSpawned();
  rmSync(dir, { recursive: true, force: true });
});

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('back end restarted during a mail burst', () => {
  it('stores every mail accepted with 250 exactly once while senders retry the ones that were not', { timeout: faultScale() === 'full' ? 900_000 : 90_000 }, async () => {
    const total = scaled(300, 3_000);
    const senders = scaled(10, 20);
    const restarts = scaled(2, 4);
    // Restart points, as accepted-mail counts spread over the middle of the burst.
    const restartAt = Array.from({ length: restarts }, (_v, r) => Math.floor((total * (r + 1)) / (restarts + 2) + Math.random() * (total / (restarts + 2) / 2)));
    const mails = Array.from({ length: total }, (_v, i) => loadXml('MAIL', i, 40));
    const started = Date.now();

    // Given a back end with an SMTP listener, and senders that each keep one SMTP connection open
    let server: ServeProcess = await spawnServe({ db, smtpPort: 0 });
    const smtpPort = server.smtpPort ?? 0;
    expect(smtpPort).toBeGreaterThan(0);
    // The replacement processes are loaded up front, so each restart happens where it is planned.
    const replacements = await Promise.all(Array.from({ length: restarts }, () => prepareServe({ db, smtpPort })));
    const transports = Array.from({ length: senders }, () => nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 20_000 }));
    const accepted = new Set<string>();
    const errors = new Map<string, number>();
    let attempts = 0;
    let next = 0;
    const restartMs: number[] = [];

    // When the back end is restarted mid-burst (the senders carry on and retry what was not accepted)
    let restarting: Promise<void> | null = null;
    const restart = async (signal: NodeJS.Signals): Promise<void> => {
      const replacement = replacements.shift();
      if (!replacement) throw new Error('no replacement process left');
      const t = Date.now();
      await stopServe(server, signal);
      server = await replacement.start();
      restartMs.push(Date.now() - t);
    };
    const sender = async (transport: (typeof transports)[number]): Promise<void> => {
      while (next < total) {
        const mail = mails[next++];
        if (!mail) break;
        for (let attempt = 1; ; attempt++) {
          attempts++;
          try {
            await transport.sendMail({ from: 'router@example.com', to: 'callhome@example.com', subject: `System Notification From MAIL - ${mail.messageId}`, text: mail.xml });
            accepted.add(mail.messageId);
            break;
          } catch (e) {
            const reason = e instanceof Error ? (('code' in e && typeof e.code === 'string' ? e.code : '') || e.message.slice(0, 40)) : 'error';
            errors.set(reason, (errors.get(reason) ?? 0) + 1);
            expect(attempt).toBeLessThan(200);
            await delay(Math.min(20 * attempt, 200));
          }
        }
        if (!restarting && restartAt[0] !== undefined && accepted.size >= restartAt[0]) {
          restartAt.shift();
          restarting = restart(restartMs.length % 2 === 0 ? 'SIGTERM' : 'SIGKILL').finally(() => (restarting = null));
        }
      }
    };
    await Promise.all(transports.map(sender));
    await restarting;
    // A sender that retries a mail whose 250 it never saw gets 250 again, and nothing is stored twice
    const again = mails.filter((_m, i) => i % Math.ceil(total / 20) === 0);
    for (const mail of again) await transports[0]?.sendMail({ from: 'router@example.com', to: 'callhome@example.com', subject: 'retry', text: mail.xml });
    for (const t of transports) t.close();
    await stopServe(server, 'SIGTERM');

    // Then every mail was accepted in the end, and each accepted one is stored once
    expect(restartMs).toHaveLength(restarts);
    expect(accepted.size).toBe(total);
    const look = lookAtDb(db);
    expect(look.integrity).toBe('ok');
    expect(duplicates(look.messageIds)).toEqual([]);
    const stored = new Set(look.messageIds);
    expect([...accepted].filter((id) => !stored.has(id))).toEqual([]);
    expect(look.messageIds).toHaveLength(total);

    const failures = [...errors].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none';
    console.info(
      `[faults/smtp-restart ${faultScale()}] ${total} mails over ${senders} SMTP connections, ${restarts} restarts (SIGTERM and SIGKILL alternately; stop → listening again) taking ${restartMs.join(', ')} ms; ${attempts} attempts (failures: ${failures}); accepted ${accepted.size}, stored ${look.messageIds.length}, duplicates 0 (also after ${again.length} deliberate re-sends); whole test ${Date.now() - started} ms`,
    );
  });
});

describe('an orderly stop of the back end', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('hangs up idle connections at once with 421 but lets a mail being received finish and get its 250', { timeout: 20_000 }, async () => {
    const port = backend.smtpPort ?? 0;
    // Given one idle connection (a pooled sender between mails) and one in the middle of a mail body
    const idle = await rawSmtp(port);
    idle.write('EHLO idle.example.com');
    expect(await idle.reply()).toMatch(/^250/);
    const busy = await rawSmtp(port);
    const mail = loadXml('STOP', 1, 1);
    for (const line of ['EHLO busy.example.com', 'MAIL FROM:<router@example.com>', 'RCPT TO:<callhome@example.com>', 'DATA']) {
      busy.write(line);
      expect(await busy.reply()).toMatch(/^(250|354)/);
    }
    // The mail as a sender puts it on the wire: composed by nodemailer, dot-stuffed (RFC 5321 §4.5.2).
    const built = await new MailComposer({ from: 'router@example.com', to: 'callhome@example.com', subject: 'System Notification', text: mail.xml }).compile().build();
    const message = built.toString('utf8').replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    busy.raw(message.slice(0, 1000));

    // When the back end closes (an orderly stop)
    const closed = backend.close();
    // Then the idle one is told 421 and let go now, not after smtp-server's 30 s close timeout
    expect(await idle.reply()).toMatch(/^421/);
    await idle.ended;
    // …and the one mid-mail finishes, is accepted after its message is stored, and is then let go
    busy.raw(`${message.slice(1000)}\r\n.\r\n`);
    expect(await busy.reply()).toMatch(/^250/);
    await busy.ended;
    await closed;
    expect(lookAtDb(join(backend.dir, 'callhome.db')).messageIds).toEqual([mail.messageId]);
  });

  it('answers a device post already being received with 200 once it is stored, and closes idle keep-alive connections', { timeout: 20_000 }, async () => {
    const other = await startTestBackend({ smtpPort: null });
    try {
      // Given an idle keep-alive connection and a device in the middle of posting a message body
      const idle = connect(other.httpPort, '127.0.0.1');
      const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
      idle.on('error', () => undefined);
      // A keep-alive connection that has had its answer and now waits for the next request.
      idle.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      await new Promise<void>((resolve) => idle.once('data', () => resolve()));
      idle.resume();
      const mail = loadXml('HTTPSTOP', 1, 1);
      const body = Buffer.from(mail.xml);
      let closed: Promise<void> | undefined;
      const res = new Promise<number>((resolve, reject) => {
        // Expect: 100-continue makes the server say when it has the request in hand.
        const req = request(`${other.url}${DDCE_SERVICE_PATH}`, { method: 'POST', agent: false, headers: { 'content-type': 'application/soap+xml', 'content-length': body.length, expect: '100-continue' } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        });
        req.on('error', reject);
        // When the back end stops while the body is still on its way
        req.once('continue', () => {
          closed = other.close();
          req.write(body.subarray(0, 500));
          setImmediate(() => req.end(body.subarray(500)));
        });
      });
      // Then the device gets its 200, the idle connection is closed, and the message is stored
      expect(await res).toBe(200);
      await idleClosed;
      await closed;
      expect(lookAtDb(join(other.dir, 'callhome.db')).messageIds).toEqual([mail.messageId]);
    } finally {
      await other.stop();
    }
  });
});
