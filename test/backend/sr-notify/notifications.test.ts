/**
 * Notifications (S57–S62, the §5.4 catalogue) through a real back end: device messages over HTTP and
 * SMTP, the REST API, SQLite, and a real SMTP sink as the relay. Every trigger N1–N27, each caused for
 * real, is in ../notifications/catalogue.test.ts.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderXml } from '../../../src/callhome/codec.js';
import { NOTIFICATION_KINDS } from '../../../src/backend/notifications/catalogue.js';
import { buildMessage } from '../build-message.js';
import { api } from '../helpers.js';
import { waitFor } from '../../security/helpers.js';
import { mailsTo, notes, register, send, settled, startRig, subjectOf, type Rig } from './helpers.js';
import { importBackOffice } from '../entitlement/fixtures.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ smtpPort: 0, supportEmail: 'support@sch.example' });
});
afterAll(async () => {
  await rig.stop();
});

const prefs = (serial: string, body: Record<string, unknown>) => api(rig.b.url, `/devices/${serial}/preferences`, { method: 'PUT', body });
const kindsOf = async (serial: string) => (await notes(rig.b)).filter((n) => n.serial === serial).map((n) => n.kind);
const latest = async (serial: string, kind: string) => (await notes(rig.b)).find((n) => n.serial === serial && n.kind === kind);

describe('triggers raised by device messages and the API', () => {
  it('N1 Pending Registration goes to the mail\'s Reply-To, not the contact; after confirmation N22 goes there too (S57)', async () => {
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: rig.b.smtpPort ?? 0, secure: false, ignoreTLS: true });
    try {
      const m = buildMessage({ serialNumber: 'REPLY001', hostname: 'mailer1', contactEmail: 'contact@example.com' });
      await mailer.sendMail({ from: 'router@example.com', replyTo: 'replies@example.com', to: 'callhome@example.com', subject: 'System Notification From mailer1 - inventory', text: renderXml(m) });
    } finally {
      mailer.close();
    }
    const pending = await waitFor(() => latest('REPLY001', 'pending-registration'), (n) => n !== undefined, 10_000, 'the pending registration');
    expect(pending?.to).toEqual(['replies@example.com']);
    expect((await api<{ replyTo: string }>(rig.b.url, '/devices/REPLY001/preferences')).body.replyTo).toBe('replies@example.com');
    const token = /Security token: (\S+)/.exec(pending?.body ?? '')?.[1] ?? '';
    await api(rig.b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: 'REPLY001', contractNumber: 'C-9' }] } });
    expect((await api(rig.b.url, '/registrations/REPLY001/confirm', { method: 'POST', body: { token } })).status).toBe(200);
    expect((await latest('REPLY001', 'registration-complete'))?.to).toEqual(['replies@example.com']);
  });

  it('N13 trial registration, N11 no longer entitled (a lapsed contract), even with notifications off', async () => {
    await register(rig.b, 'TRIALN13');
    expect((await latest('TRIALN13', 'trial-registered'))?.subject).toBe('[SCH] Registered for a trial - R1');
    expect((await prefs('TRIALN13', { notifications: false })).status).toBe(200);
    // entitlement: the trial rests on a profile contract (S14); when that lapses, the trial ends.
    await importBackOffice(rig.b.url, { contracts: [{ number: 'PROFILE-examplecorp', company: 'examplecorp', expires: '2020-01-01' }] });
    expect((await latest('TRIALN13', 'entitlement-expired'))?.to).toEqual(['noc@example.com']);
    await importBackOffice(rig.b.url, { contracts: [{ number: 'PROFILE-examplecorp', company: 'examplecorp' }] });
  });

  it('N2 inventory, N3 configuration, N4 environment, N5 diagnostic and N6 test go to the contact, the preference list and the registrant (S57)', async () => {
    await register(rig.b, 'LISTS001', { contract: 'C-10', hostname: 'dist1' });
    expect((await prefs('LISTS001', { emails: ['ops@example.com'], registrant: 'owner@example.com' })).status).toBe(200);
    await send(rig.b, { serialNumber: 'LISTS001', hostname: 'dist1' });
    await send(rig.b, { serialNumber: 'LISTS001', hostname: 'dist1', kind: 'configuration', subType: 'full', description: 'Configuration', attachments: [{ name: 'show running-config', data: 'hostname dist1\n' }] });
    await send(rig.b, { serialNumber: 'LISTS001', hostname: 'dist1', kind: 'environment', subType: 'minor', severity: 4, description: 'VOLTAGE_LOW: input voltage low' });
    await send(rig.b, { serialNumber: 'LISTS001', hostname: 'dist1', kind: 'diagnostic', subType: 'minor', severity: 4, description: 'DiagFanTest failed' });
    const test = await send(rig.b, { serialNumber: 'LISTS001', hostname: 'dist1', kind: 'test', subType: '', description: 'hello from the NOC' });
    expect(test.results.notifiedTo).toEqual(['noc@example.com', 'ops@example.com', 'owner@example.com']);
    const expected: Record<string, string> = { 'inventory-updated': 'N2', 'configuration-updated': 'N3', environment: 'N4', diagnostic: 'N5', test: 'N6' };
    for (const [kind, trigger] of Object.entries(expected)) {
      const n = await latest('LISTS001', kind);
      expect(n?.to, `${trigger} ${kind}`).toEqual(['noc@example.com', 'ops@example.com', 'owner@example.com']);
      expect(NOTIFICATION_KINDS[kind as keyof typeof NOTIFICATION_KINDS].trigger).toBe(trigger);
    }
    // S59: every standard field, the message name of a test message being the user's text.
    const body = (await latest('LISTS001', 'test'))?.body ?? '';
    for (const field of ['Reason: Test message received', 'Host name: dist1', 'Serial number: LISTS001', 'Time stamp: 2026-11-23 10:00:00 GMT+00:00', 'Message name: hello from the NOC', 'Series: CSR1000v Cloud Services Router', 'Contract ID: C123456', `Details: ${rig.b.url}/api/v1/devices/LISTS001`]) expect(body).toContain(field);
    await settled(rig.b);
    expect(mailsTo(rig.sink, 'owner@example.com').length).toBeGreaterThanOrEqual(5);
  });

  it('S58: with notifications off, optional mails are not sent; SR and registration mails still are', async () => {
    await register(rig.b, 'QUIET001', { contract: 'C-11' });
    expect((await prefs('QUIET001', { notifications: false })).status).toBe(200);
    const before = (await kindsOf('QUIET001')).length;
    const t = await send(rig.b, { serialNumber: 'QUIET001', kind: 'test', subType: '', description: 'quiet please' });
    expect(t.results.notifiedTo ?? []).toEqual([]);
    await send(rig.b, { serialNumber: 'QUIET001' });
    expect((await kindsOf('QUIET001')).length).toBe(before);
    const c = await send(rig.b, { serialNumber: 'QUIET001', kind: 'environment', subType: 'major', severity: 5, description: 'TEMP_FAILURE: TempHigh inlet 71C' });
    expect(c.results.caseAction).toBe('created');
    expect(await kindsOf('QUIET001')).toContain('case-created');
  });

  it('S61: a confirmed device\'s host name is in the subject unless its privacy flag removes it; a pending one\'s never is', async () => {
    await register(rig.b, 'PRIV0001', { contract: 'C-12', hostname: 'secret-core' });
    await send(rig.b, { serialNumber: 'PRIV0001', hostname: 'secret-core', kind: 'test', subType: '', description: 'one' });
    expect((await latest('PRIV0001', 'test'))?.subject).toBe('[SCH] Test message received - secret-core');
    expect((await prefs('PRIV0001', { removeHostname: true })).status).toBe(200);
    await send(rig.b, { serialNumber: 'PRIV0001', hostname: 'secret-core', kind: 'test', subType: '', description: 'two' });
    const hidden = await latest('PRIV0001', 'test');
    expect(hidden?.subject).toBe('[SCH] Test message received');
    // The body still says which device it is.
    expect(hidden?.body).toContain('Host name: secret-core');
    await send(rig.b, { serialNumber: 'PENDSUBJ', hostname: 'pending-host' });
    expect((await latest('PENDSUBJ', 'pending-registration'))?.subject).toBe('[SCH] Pending Registration');
    await settled(rig.b);
    expect(rig.sink.mails.map(subjectOf)).toContain('[SCH] Test message received');
  });

  it('S62: a portal support request is mailed to SCH Support with the action and its parameters', async () => {
    const r = await api<{ notification: number; to: string[] }>(rig.b.url, '/support-requests', { method: 'POST', body: { summary: 'device report fails', action: 'reports device', serial: null, parameters: { company: 'ACME' } } });
    expect(r.status).toBe(200);
    expect(r.body.to).toEqual(['support@sch.example']);
    const n = (await notes(rig.b)).find((x) => x.id === r.body.notification);
    expect(n).toMatchObject({ kind: 'support-request', subject: '[SCH] Portal support request' });
    expect(n?.body).toMatch(/Action: reports device[\s\S]*Parameter company: ACME/);
    expect((await api(rig.b.url, '/support-requests', { method: 'POST', body: { action: 'x' } })).status).toBe(400);
  });

  it('refuses bad preferences with a 400 naming the field, and keeps the older notifyEmails form', async () => {
    await register(rig.b, 'PREFBAD1', { contract: 'C-13' });
    const bad = await api<{ reason: string }>(rig.b.url, '/devices/PREFBAD1/preferences', { method: 'PUT', body: { notifications: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toMatch(/notifications/);
    expect((await prefs('PREFBAD1', { colour: 'red' })).status).toBe(400);
    expect((await prefs('PREFBAD1', {})).status).toBe(400);
    expect((await prefs('PREFBAD1', { srContact: 'not an address' })).status).toBe(422);
    expect((await prefs('PREFBAD1', { notifyEmails: ['legacy@example.com'] })).status).toBe(200);
    expect((await api<{ emails: string[] }>(rig.b.url, '/devices/PREFBAD1/preferences')).body.emails).toEqual(['legacy@example.com']);
    expect((await api(rig.b.url, '/devices/NOPE/preferences')).status).toBe(404);
  });
});
