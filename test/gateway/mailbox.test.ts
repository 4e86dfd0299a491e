/**
 * Issue 17, step 4 (S84, S88): the gateway polls a real IMAP mailbox (Dovecot on loopback), queues each
 * Call Home mail, deletes it only once queued, and forwards it to the service. A mailbox it cannot
 * reach is reported and retried; a mail that is not Call Home stays in the mailbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { createApiClient } from '../../src/client/api-client.js';
import { credentialsStore } from '../../src/gateway/credentials.js';
import type { GatewayEvent } from '../../src/gateway/events.js';
import { startGateway, type Gateway } from '../../src/gateway/gateway.js';
import { parseMailboxUrl, REFUSED_KEYWORD } from '../../src/gateway/mailbox.js';
import { startDovecot, type Dovecot } from '../support/dovecot.js';
import { sampleWith, TOKEN } from '../backend/helpers.js';
import { freePort, registerGateway, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-gateway-imap-'));
let dovecot: Dovecot | undefined;
let backend: Backend | undefined;
let gateway: Gateway | undefined;

afterAll(async () => {
  await gateway?.close();
  await backend?.close();
  await dovecot?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A device's Call Home mail (XML in the body, as IOS sends it). */
function deviceMail(serial: string, messageId: string): Promise<Buffer> {
  return new MailComposer({ from: 'router@example.com', to: 'callhome@service.example.com', subject: `System Notification From ${serial}`, text: sampleWith({ serial, messageId }) }).compile().build();
}

async function imap(port: number): Promise<ImapFlow> {
  const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: 'gateway', pass: dovecot!.password }, logger: false });
  await c.connect();
  return c;
}

describe('gateway mailbox intake over IMAP', () => {
  it('reports an unreachable mailbox and retries; then queues, deletes and forwards every Call Home mail, leaving others', { timeout: 120_000 }, async () => {
    const imapPort = await freePort();
    backend = await startBackend({ dbPath: join(dir, 'service.db'), httpPort: 0, smtpPort: null, token: TOKEN, parseWorkers: 1 });
    const queueDir = join(dir, 'queue');
    await registerGateway(backend.url, queueDir, 'imap-site');
    const credentials = credentialsStore(queueDir);
    const events: GatewayEvent[] = [];
    // Given a gateway polling a mailbox that is not there yet (retry shortened from a minute for the test)
    gateway = await startGateway({
      queueDir,
      target: { backend: new URL(backend.url) },
      httpPort: null,
      credentials: () => credentials.get(),
      onNewPassword: (p) => credentials.rotate(p),
      onEvent: (e) => events.push(e),
      mailbox: { address: parseMailboxUrl(`imap://gateway@127.0.0.1:${imapPort}/INBOX`), password: 'gateway-test-secret', retryMs: 1_000 },
      minBackoffMs: 100,
      maxBackoffMs: 500,
    });
    await waitFor('the mailbox failure to be reported', () => gateway!.mailbox!.status().state === 'failed', 15_000);
    expect(gateway.mailbox!.status().lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(events.some((e) => e.type === 'mailbox' && e.state === 'failed' && /retrying in 1 s/.test(e.detail))).toBe(true);

    // When the mail server comes up with three device mails and one that is not Call Home
    dovecot = await startDovecot(imapPort);
    const c = await imap(imapPort);
    for (let i = 0; i < 3; i++) await c.append('INBOX', await deviceMail('IMAPDEV1', `IMAP-${i}`));
    await c.append('INBOX', 'From: someone@example.com\r\nSubject: lunch?\r\n\r\nAnyone for lunch?\r\n');

    // Then the gateway connects on its next retry, and the three reach the service exactly once
    const client = createApiClient({ url: backend.url, token: TOKEN });
    await waitFor('three mails at the service', async () => (await client.messages({ limit: 100 })).messages.length === 3, 30_000);
    expect((await client.messages({ limit: 100 })).messages.map((m) => [m.serial, m.messageId]).sort()).toEqual([['IMAPDEV1', 'IMAP-0'], ['IMAPDEV1', 'IMAP-1'], ['IMAPDEV1', 'IMAP-2']]);
    expect(gateway.mailbox!.status()).toMatchObject({ state: 'connected', lastError: null, queued: 3 });
    expect(gateway.mailbox!.status().lastPoll).not.toBeNull();
    // …the mailbox keeps only the mail that is not Call Home, marked so it is not read again
    const lock = await c.getMailboxLock('INBOX');
    try {
      const left: { subject: string; flags: string[] }[] = [];
      for await (const m of c.fetch('1:*', { envelope: true, flags: true })) left.push({ subject: m.envelope?.subject ?? '', flags: [...(m.flags ?? [])] });
      expect(left).toEqual([{ subject: 'lunch?', flags: expect.arrayContaining([REFUSED_KEYWORD]) as unknown as string[] }]);
    } finally {
      lock.release();
    }
    await c.logout();
    expect(gateway.queue.counts()).toMatchObject({ queued: 0, held: 0, refused: 0 });
  });

  it('reads the mailbox URL strictly: no password in it, IMAP only', () => {
    expect(parseMailboxUrl('imap://gw@mail.example.com:1143/Call%20Home')).toEqual({ secure: false, host: 'mail.example.com', port: 1143, user: 'gw', folder: 'Call Home' });
    expect(parseMailboxUrl('imaps://gw@mail.example.com')).toMatchObject({ secure: true, port: 993, folder: 'INBOX' });
    expect(() => parseMailboxUrl('imap://gw:secret@mail.example.com/INBOX')).toThrow(/not in the URL/);
    expect(() => parseMailboxUrl('pop3://gw@mail.example.com/INBOX')).toThrow(/POP3 is not supported/);
  });
});
