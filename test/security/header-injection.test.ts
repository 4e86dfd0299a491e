/**
 * Threat: CR/LF (or extra addresses) in values that end up in mail headers create new headers or
 * new recipients. Two senders are checked with a real SMTP server receiving the mail:
 * - the back end's notifications (src/backend/processing/notify.ts, sent by service.ts through the
 *   relay): the subject is built from the device's host name and serial, and the recipients from the
 *   message's contact e-mail; all come from an unauthenticated device message;
 * - the lab's Call Home e-mail (src/lab/engine/smtp-transport.ts): from / reply-to / subject carry
 *   device configuration (sender from, reply-to, hostname).
 * Expected: one line per header, no injected header, and only the intended recipients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail } from '../../src/lab/engine/smtp-transport.js';
import { api, sampleWith, startTestBackend, type TestBackend } from '../backend/helpers.js';
import { rawRequest, waitFor } from './helpers.js';
import { startMailSink, type MailSink } from './mail-sink.js';
import { DDCE_SERVICE_PATH } from '../../src/domain/callhome.js';

let sink: MailSink;
let b: TestBackend;

beforeAll(async () => {
  sink = await startMailSink();
  b = await startTestBackend({ smtpPort: null, relay: { host: '127.0.0.1', port: sink.port } });
});
afterAll(async () => {
  await b.stop();
  await sink.close();
});

const EVIL = 'evil@attacker.example';
/** No header line may be one the attacker wrote, and no recipient may be theirs. */
function expectClean(mail: { rcptTo: readonly string[]; headers: readonly string[]; raw: string }, allowed: readonly string[]): void {
  expect(mail.rcptTo.every((r) => allowed.includes(r)), `recipients ${mail.rcptTo.join(', ')}`).toBe(true);
  expect(mail.headers.filter((h) => /^(bcc|cc|x-injected)\s*:/i.test(h)), mail.raw).toEqual([]);
  expect(mail.raw).not.toContain(`\r\nBcc: ${EVIL}`);
  for (const name of ['subject', 'to', 'from', 'reply-to']) expect(mail.headers.filter((h) => h.toLowerCase().startsWith(`${name}:`)).length, name).toBeLessThanOrEqual(1);
}

describe('back-end notifications', () => {
  it('keeps CR/LF in the host name and contact e-mail of a device message out of the headers and recipients', async () => {
    const cases: [string, string, string][] = [
      // [serial, hostname, contact e-mail] as they appear inside the XML (character references make CR/LF survive XML parsing).
      ['INJ00001', `r1&#13;&#10;Bcc: ${EVIL}&#13;&#10;X-Injected: yes`, `noc@example.com&#13;&#10;Bcc: ${EVIL}`],
      ['INJ00002', 'r2\r\nX-Injected: raw', `noc@example.com, ${EVIL}`],
      ['INJ00003', 'r3', `noc@example.com&#10;To: ${EVIL}`],
      ['INJ00004', 'r4', `"x\r\n" <${EVIL}>`],
      // A valid contact, so this one is mailed: its host name lands in the subject.
      ['INJ00005', `r5&#13;&#10;Bcc: ${EVIL}&#13;&#10;X-Injected: yes`, 'noc@example.com'],
    ];
    for (const [serial, hostname, email] of cases) {
      const r = await rawRequest(b.url, DDCE_SERVICE_PATH, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: sampleWith({ serial, messageId: `M-${serial}`, hostname, email }) });
      expect([200, 400, 422], serial).toContain(r.status);
    }
    // One legitimate device too, so the sink is known to work and the check is not vacuous.
    expect((await rawRequest(b.url, DDCE_SERVICE_PATH, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: sampleWith({ serial: 'INJ00000', messageId: 'M-ok', hostname: 'good', email: 'noc@example.com' }) })).status).toBe(200);
    await waitFor(async () => sink.mails.filter((m) => m.raw.includes('INJ00000') || m.raw.includes('INJ00005')).length, (n) => n >= 2, 10_000, 'the notifications to noc@');
    // Every notification has settled (sent, or recorded without a valid recipient) before the headers are judged.
    const recorded = (await api<{ notifications: unknown[] }>(b.url, '/notifications')).body.notifications.length;
    await waitFor(async () => b.events.filter((e) => e.type === 'notification.sent').length, (n) => n >= recorded, 10_000, 'every notification');
    expect(sink.mails.length).toBeGreaterThanOrEqual(1);
    // The subject stays one line with the host name flattened into it.
    const subjects = sink.mails.flatMap((m) => m.headers.filter((h) => h.startsWith('Subject:')));
    expect(subjects.length).toBe(sink.mails.length);
    for (const mail of sink.mails) expectClean(mail, ['noc@example.com']);
    // Nothing at all went to the attacker's address.
    expect(sink.mails.flatMap((m) => m.rcptTo)).not.toContain(EVIL);
  });
});

describe('the lab device e-mail', () => {
  const options = (): Parameters<typeof sendMail>[2] => ({ port: sink.port, clientName: 'r1', timeoutMs: 5_000, attemptsPerServer: 1, rounds: 1 });

  it('refuses a sender, reply-to or destination that is not one address', async () => {
    const before = sink.mails.length;
    for (const bad of [`router@example.com\r\nBcc: ${EVIL}`, `router@example.com, ${EVIL}`, `"r" <${EVIL}>`]) {
      const asFrom = await sendMail([{ host: '127.0.0.1', priority: 1 }], { from: bad, to: ['callhome@example.com'], subject: 's', text: 'b' }, options());
      expect(asFrom).toMatchObject({ ok: false, reason: expect.stringMatching(/is not one e-mail address/) as unknown });
      const asReplyTo = await sendMail([{ host: '127.0.0.1', priority: 1 }], { from: 'router@example.com', replyTo: bad, to: ['callhome@example.com'], subject: 's', text: 'b' }, options());
      expect(asReplyTo.ok).toBe(false);
      const asTo = await sendMail([{ host: '127.0.0.1', priority: 1 }], { from: 'router@example.com', to: [bad], subject: 's', text: 'b' }, options());
      expect(asTo.ok).toBe(false);
    }
    expect(sink.mails.length).toBe(before);
  });

  it('keeps CR/LF in the subject (built from the hostname) out of the headers', async () => {
    const before = sink.mails.length;
    const r = await sendMail(
      [{ host: '127.0.0.1', priority: 1 }],
      { from: 'router@example.com', replyTo: 'noc@example.com', to: ['callhome@example.com'], subject: `System Notification From r1\r\nBcc: ${EVIL}\r\nX-Injected: yes - syslog`, text: 'body' },
      options(),
    );
    expect(r.ok).toBe(true);
    await waitFor(async () => sink.mails.length, (n) => n > before, 10_000, 'the lab mail');
    const mail = sink.mails[sink.mails.length - 1];
    expect(mail).toBeDefined();
    if (mail) {
      expectClean(mail, ['callhome@example.com']);
      expect(mail.mailFrom).toBe('router@example.com');
      expect(mail.headers.find((h) => h.startsWith('Subject:'))).toMatch(/^Subject: System Notification From r1 +Bcc: evil@attacker\.example +X-Injected: yes - syslog$/);
    }
    expect(sink.mails.flatMap((m) => m.rcptTo)).not.toContain(EVIL);
  });
});
