/**
 * Issue 11, item 3 — nobody uses the service to send mail for them. Anyone can post a Call Home
 * message naming any serial and any contact address; each new serial makes a Pending Registration
 * notification to that contact. Attacks on loopback against a real back end with a real relay
 * (an SMTP sink): many serials naming one victim, many victims from one source, one serial
 * re-registered over and over, and device text chosen to land in the subject line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DDCE_SERVICE_PATH } from '../../src/domain/callhome.js';
import { api, sampleWith, startTestBackend, type TestBackend } from '../backend/helpers.js';
import { rawRequest, waitFor } from './helpers.js';
import { startMailSink, type MailSink } from './mail-sink.js';

let sink: MailSink;
let b: TestBackend;
type Note = { id: number; kind: string; serial: string | null; to: string[]; subject: string; body: string };

beforeAll(async () => {
  sink = await startMailSink();
  b = await startTestBackend({ smtpPort: null, relay: { host: '127.0.0.1', port: sink.port }, mailLimits: { perRecipient: 3, perSerial: 5, perSource: 8 } });
});
afterAll(async () => {
  await b.stop();
  await sink.close();
});

const post = (o: Parameters<typeof sampleWith>[0], localAddress = '127.0.0.1') =>
  rawRequest(b.url, DDCE_SERVICE_PATH, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: sampleWith(o), localAddress });
const notes = async (): Promise<Note[]> => (await api<{ notifications: Note[] }>(b.url, '/notifications?limit=1000')).body.notifications;
/** Waits until every recorded notification has settled (mailed, failed, or recorded without recipients). */
const settled = async (): Promise<void> => {
  const n = (await notes()).length;
  await waitFor(async () => b.events.filter((e) => e.type === 'notification.sent').length, (k) => k >= n, 10_000, 'notifications to settle');
};
const mailsTo = (address: string) => sink.mails.filter((m) => m.rcptTo.includes(address));

describe('notification mail to addresses from unauthenticated messages', () => {
  it('mails one victim at most the per-recipient limit, however many serials name it; the rest is recorded, not mailed', async () => {
    for (let i = 0; i < 10; i++) expect((await post({ serial: `VICTIM${String(i).padStart(4, '0')}`, messageId: `v-${i}`, email: 'victim@example.com' }, `127.0.2.${i + 1}`)).status).toBe(200);
    await settled();
    expect(mailsTo('victim@example.com')).toHaveLength(3);
    const pending = (await notes()).filter((n) => n.serial?.startsWith('VICTIM'));
    expect(pending).toHaveLength(10);
    const held = pending.filter((n) => n.to.length === 0);
    expect(held).toHaveLength(7);
    // The operator still sees each one, with its token, and why it was not mailed
    for (const n of held) expect(n.body).toMatch(/Security token: [0-9A-F]{12}[\s\S]*Not e-mailed to victim@example.com: rate limit \(per-recipient\)/);
  });

  it('mails at most the per-source limit for messages from one address, whatever the recipients', async () => {
    const before = sink.mails.length;
    for (let i = 0; i < 12; i++) expect((await post({ serial: `SOURCE${String(i).padStart(4, '0')}`, messageId: `s-${i}`, email: `target${i}@example.com` }, '127.0.3.1')).status).toBe(200);
    await settled();
    expect(sink.mails.length - before).toBe(8);
    // Another source is not held up by that one
    expect((await post({ serial: 'OTHERSRC1', messageId: 'o-1', email: 'someone@example.com' }, '127.0.3.2')).status).toBe(200);
    await settled();
    expect(mailsTo('someone@example.com')).toHaveLength(1);
  });

  it('sends a Pending Registration mail once per serial per period, even when the registration is restarted', async () => {
    expect((await post({ serial: 'ONCEONLY1', messageId: 'once-1', email: 'owner@example.com' }, '127.0.4.1')).status).toBe(200);
    for (let i = 2; i <= 4; i++) {
      expect((await api(b.url, '/registrations/ONCEONLY1', { method: 'DELETE' })).status).toBe(200);
      expect((await post({ serial: 'ONCEONLY1', messageId: `once-${i}`, email: 'owner@example.com' }, `127.0.4.${i}`)).status).toBe(200);
    }
    await settled();
    expect(mailsTo('owner@example.com')).toHaveLength(1);
    const pending = (await notes()).filter((n) => n.serial === 'ONCEONLY1' && n.kind === 'pending-registration');
    expect(pending).toHaveLength(4);
    expect(pending.filter((n) => /rate limit \(pending-once\)/.test(n.body))).toHaveLength(3);
  });

  it('puts no device text in any subject', async () => {
    expect((await post({ serial: 'SUBJECT01', messageId: 'subj-1', hostname: 'WIN A PRIZE at evil.example', email: 'subject@example.com' }, '127.0.5.1')).status).toBe(200);
    await settled();
    expect(mailsTo('subject@example.com')).toHaveLength(1);
    for (const mail of sink.mails) {
      const subject = mail.headers.find((h) => h.startsWith('Subject:')) ?? '';
      expect(subject).toMatch(/^Subject: \[SCH\] [A-Za-z ]+( \d+)?$/);
    }
    // The body still says which device it is about
    expect(mailsTo('subject@example.com')[0]?.raw).toMatch(/WIN A PRIZE/);
  });
});
