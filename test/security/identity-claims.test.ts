/**
 * Issue 11, item 2 — a message does not prove who sent it: serials, host names, contacts and message
 * IDs are the sender's choice. Attacks on loopback against a real back end (HTTP, SMTP, SQLite): a
 * message naming a registered device's serial with another host name and contact; one posing as the
 * owner of another device's case (SR#); a message ID posted in advance to swallow the real alert; and
 * short-text mail from a host name two devices share.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLongText, renderShortText, renderXml } from '../../src/callhome/codec.js';
import type { CallHomeMessage } from '../../src/domain/message.js';
import { buildMessage } from '../backend/build-message.js';
import { api, postXml, startTestBackend, type TestBackend } from '../backend/helpers.js';

let b: TestBackend;
type Device = { serial: string; hostname: string; contactEmail: string; registration: string; identityClaim: null | { messageId: number; fields: Record<string, { current: string; claimed: string }> } };
type Detail = { id: number; serial: string; hostname: string; status: string; flags: string[]; results: { notifiedTo?: string[]; caseNumber?: string } };

beforeAll(async () => {
  b = await startTestBackend();
});
afterAll(async () => {
  await b.stop();
});

const send = async (m: CallHomeMessage): Promise<Record<string, unknown>> => {
  const r = await postXml(b.url, renderXml(m));
  expect(r.status).toBe(200);
  return r.json;
};
const device = async (serial: string): Promise<Device> => (await api<Device>(b.url, `/devices/${serial}`)).body;
const message = async (id: number): Promise<Detail> => (await api<Detail>(b.url, `/messages/${id}`)).body;

/** A device registered under a contract, as its first inventory made it. */
async function registered(serial: string, hostname: string, contactEmail: string): Promise<void> {
  await api(b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial, contractNumber: `C-${serial}` }] } });
  await send(buildMessage({ serialNumber: serial, hostname, contactEmail }));
  const notes = (await api<{ notifications: { serial: string; kind: string; body: string }[] }>(b.url, '/notifications?limit=1000')).body.notifications;
  const token = /Security token: (\S+)/.exec(notes.find((n) => n.serial === serial && n.kind === 'pending-registration')?.body ?? '')?.[1] ?? '';
  expect((await api(b.url, `/registrations/${serial}/confirm`, { method: 'POST', body: { token } })).status).toBe(200);
  expect((await device(serial)).registration).toBe('registered');
}

describe('a message naming a registered device', () => {
  it('does not rewrite its host name, contact, recipients or registration; the claim is recorded and shown', async () => {
    await registered('IDENT0001', 'core-r1', 'owner@example.com');
    // When someone posts an alert naming that serial, with their own host name and contact
    const evil = await send(buildMessage({ serialNumber: 'IDENT0001', hostname: 'pwned', contactEmail: 'attacker@evil.example', kind: 'crash', severity: 6, description: 'TRACEBACK' }));
    const id = Number(evil['id']);
    // Then the device keeps its identity and registration
    const d = await device('IDENT0001');
    expect(d).toMatchObject({ hostname: 'core-r1', contactEmail: 'owner@example.com', registration: 'registered' });
    // …the claim is shown on the device and flagged on the message, with an event
    expect(d.identityClaim).toMatchObject({ messageId: id, fields: { hostname: { current: 'core-r1', claimed: 'pwned' }, contactEmail: { current: 'owner@example.com', claimed: 'attacker@evil.example' } } });
    expect((await message(id)).flags).toContain('identity-claim');
    expect(b.events).toContainEqual(expect.objectContaining({ type: 'device.identity-claimed', serial: 'IDENT0001', messageId: id, fields: ['hostname', 'contactEmail'] }));
    // …and its notifications still go to the device's owner, never to the claimed contact
    const notes = (await api<{ notifications: { serial: string; to: string[] }[] }>(b.url, '/notifications?limit=1000')).body.notifications.filter((n) => n.serial === 'IDENT0001');
    expect(notes.flatMap((n) => n.to)).not.toContain('attacker@evil.example');
    expect((await message(id)).results.notifiedTo ?? []).not.toContain('attacker@evil.example');

    // A message with no host name and no contact (the anonymous form) does not make the device anonymous
    await send(buildMessage({ serialNumber: 'IDENT0001', hostname: '', contactEmail: '' }));
    expect((await device('IDENT0001')).registration).toBe('registered');
  });

  it('applies a claimed identity only when an API-token holder accepts it (the written rule)', async () => {
    await registered('IDENT0002', 'edge-r2', 'noc@example.com');
    const renamed = await send(buildMessage({ serialNumber: 'IDENT0002', hostname: 'edge-r2-new', contactEmail: 'noc@example.com' }));
    expect((await device('IDENT0002')).hostname).toBe('edge-r2');
    // A message of another device is not a claim for this one
    expect((await api(b.url, '/devices/IDENT0001/identity', { method: 'POST', body: { messageId: Number(renamed['id']) } })).status).toBe(404);
    const accepted = await api<Device>(b.url, '/devices/IDENT0002/identity', { method: 'POST', body: { messageId: Number(renamed['id']) } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.hostname).toBe('edge-r2-new');
    expect((await device('IDENT0002')).identityClaim).toBeNull();
  });
});

describe('case attachment', () => {
  it('attaches output to a case only from the device that owns it', async () => {
    await registered('CASEOWN01', 'owner-r', 'o@example.com');
    await registered('CASEOTH01', 'other-r', 'x@example.com');
    await send(buildMessage({ serialNumber: 'CASEOWN01', hostname: 'owner-r', contactEmail: 'o@example.com', kind: 'crash', severity: 6, description: 'TRACEBACK in process IP Input' }));
    const number = (await api<{ cases: { number: string; serial: string }[] }>(b.url, '/cases')).body.cases.find((c) => c.serial === 'CASEOWN01')?.number ?? '';
    expect(number).not.toBe('');
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: b.smtpPort ?? 0, secure: false, ignoreTLS: true });
    try {
      // When another device (or anyone naming it) mails output to that SR, by subject and by ServiceNumber
      const foreign = buildMessage({ serialNumber: 'CASEOTH01', hostname: 'other-r', contactEmail: 'x@example.com', kind: 'send-cli', description: 'send-cli', attachments: [{ name: 'planted output', data: 'rm -rf\nother-r#' }] });
      await mailer.sendMail({ from: 'r@example.com', to: 'callhome@example.com', subject: `System Notification - send-cli - SR#${number}`, text: renderLongText(foreign) });
      await send({ ...foreign, messageId: `${foreign.messageId}-2`, serviceRequest: number });
      // …or a message naming the owner's serial but another identity
      await send(buildMessage({ serialNumber: 'CASEOWN01', hostname: 'impostor', contactEmail: 'o@example.com', kind: 'send-cli', serviceRequest: number, attachments: [{ name: 'impostor output', data: 'x' }] }));
      // Then nothing of theirs is attached, and their messages say why
      let c = (await api<{ attachments: { name: string }[] }>(b.url, `/cases/${number}`)).body;
      expect(c.attachments.map((a) => a.name)).not.toContain('planted output');
      expect(c.attachments.map((a) => a.name)).not.toContain('impostor output');
      const flagged = (await api<{ messages: { id: number }[] }>(b.url, '/messages?type=send-cli&limit=50')).body.messages;
      const flags = await Promise.all(flagged.map(async (m) => (await message(m.id)).flags));
      expect(flags.filter((f) => f.includes('case-not-owned'))).toHaveLength(3);
      // …while the owner's own output is attached
      await send(buildMessage({ serialNumber: 'CASEOWN01', hostname: 'owner-r', contactEmail: 'o@example.com', kind: 'send-cli', serviceRequest: number, attachments: [{ name: 'show tech-support', data: 'ok\nowner-r#' }] }));
      c = (await api<{ attachments: { name: string }[] }>(b.url, `/cases/${number}`)).body;
      expect(c.attachments.map((a) => a.name)).toContain('show tech-support');
    } finally {
      mailer.close();
    }
  });
});

describe('duplicate detection', () => {
  it('treats a resend as a duplicate only with the same ID and content; a pre-posted ID does not swallow the real alert', async () => {
    const real = buildMessage({ serialNumber: 'DUPID0001', hostname: 'dup-r', kind: 'environment', severity: 6, eventName: 'TEMP_FAILURE', description: 'Temperature critical' });
    // Given an attacker who posted a harmless message under the ID the real alert will carry
    const decoy = await send({ ...real, kind: 'inventory', severity: 2, eventName: '', description: 'nothing to see' });
    expect(decoy).toMatchObject({ ok: true, duplicate: false });
    // When the real alert arrives with that ID, it is stored and flagged, not dropped as a duplicate
    const alert = await send(real);
    expect(alert).toMatchObject({ ok: true, duplicate: false });
    expect((await message(Number(alert['id']))).flags).toContain('message-id-reused');
    // …and a true resend (same ID, same content) is still a duplicate
    expect(await send(real)).toMatchObject({ ok: true, duplicate: true });
    const stored = (await api<{ messages: { messageId: string }[] }>(b.url, '/messages?device=DUPID0001')).body.messages.filter((m) => m.messageId === real.messageId);
    expect(stored).toHaveLength(2);
  });
});

describe('short-text attribution', () => {
  it('attributes short text only to the one device with that host name; otherwise stores it unattributed and flagged', async () => {
    await send(buildMessage({ serialNumber: 'SHORT0001', hostname: 'twin', contactEmail: 'a@example.com' }));
    await send(buildMessage({ serialNumber: 'SHORT0002', hostname: 'twin', contactEmail: 'b@example.com' }));
    await send(buildMessage({ serialNumber: 'SHORT0003', hostname: 'single', contactEmail: 'c@example.com' }));
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: b.smtpPort ?? 0, secure: false, ignoreTLS: true });
    try {
      const text = (hostname: string) => renderShortText(buildMessage({ serialNumber: 'X', hostname, kind: 'syslog', severity: 5, description: `%SYS-5-CONFIG_I: from ${hostname}` }));
      await mailer.sendMail({ from: 'r@example.com', to: 'callhome@example.com', subject: 'twin', text: text('twin') });
      await mailer.sendMail({ from: 'r@example.com', to: 'callhome@example.com', subject: 'single', text: text('single') });
    } finally {
      mailer.close();
    }
    const latest = async (q: string): Promise<Detail> => message((await api<{ messages: { id: number }[] }>(b.url, `/messages?q=${encodeURIComponent(q)}&limit=1`)).body.messages[0]?.id ?? 0);
    expect(await latest('from twin')).toMatchObject({ serial: '', hostname: 'twin', status: 'stored-only', flags: ['unattributed'] });
    expect(await latest('from single')).toMatchObject({ serial: 'SHORT0003', flags: [] });
  });
});
