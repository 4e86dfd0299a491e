/**
 * Service requests (S50–S55) end to end: device messages over HTTP into a real back end (SQLite), the
 * REST API, and the notification mail captured by a real SMTP sink. The user directory that says who
 * may be an SR contact is a fixture here (the accounts back office provides it in production).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SrContactStanding } from '../../../src/backend/cases/sr-contact.js';
import { api } from '../helpers.js';
import { mailsTo, notes, register, send, settled, startRig, subjectOf, tempFailure, tempRecovery, type CaseDoc, type Rig } from './helpers.js';

const DAY = 86_400_000;
const people = new Map<string, SrContactStanding>();
const person = (email: string, o: Partial<SrContactStanding> = {}): void => void people.set(email, { email, admin: true, caseManagement: true, contractExpiresAt: null, ...o });
let rig: Rig;

beforeAll(async () => {
  person('admin@example.com');
  person('nocase@example.com', { caseManagement: false });
  rig = await startRig({ srContacts: (contact) => Promise.resolve(people.get(contact) ?? null) });
});
afterAll(async () => rig.stop());

const prefs = (serial: string, body: Record<string, unknown>) => api<Record<string, unknown>>(rig.b.url, `/devices/${serial}/preferences`, { method: 'PUT', body });
const caseOf = async (key: string) => (await api<CaseDoc>(rig.b.url, `/cases/${key}`)).body;
const kinds = async (serial: string) => (await notes(rig.b)).filter((n) => n.serial === serial).map((n) => n.kind);

describe('SR contact preference', () => {
  it('accepts only an administrator with Case Management permissions as SR contact', async () => {
    await register(rig.b, 'SRPREF01', { contract: 'C-100' });
    expect((await prefs('SRPREF01', { srContact: 'stranger@example.com' })).status).toBe(422);
    const noCase = await prefs('SRPREF01', { srContact: 'nocase@example.com' });
    expect(noCase.status).toBe(422);
    expect(JSON.stringify(noCase.body)).toMatch(/Case Management/);
    expect((await prefs('SRPREF01', { srContact: 'admin@example.com' })).status).toBe(200);
    const got = await api<{ srContact: string; serviceRequests: boolean; notifications: boolean }>(rig.b.url, '/devices/SRPREF01/preferences');
    expect(got.body).toMatchObject({ srContact: 'admin@example.com', serviceRequests: true, notifications: true });
    expect((await prefs('NOSUCHDEV', { srContact: 'admin@example.com' })).status).toBe(404);
  });
});

describe('automatic SR creation (S50) and its failure mails (S53)', () => {
  it('opens an SR when the device is entitled, the SR preference is on and the SR contact is valid; the SR contact and the device list are mailed', async () => {
    await register(rig.b, 'SROPEN01', { contract: 'C-101', hostname: 'core1' });
    expect((await prefs('SROPEN01', { srContact: 'admin@example.com', emails: ['oncall@example.com'] })).status).toBe(200);
    const m = await send(rig.b, tempFailure('SROPEN01', 'core1'));
    expect(m.results).toMatchObject({ caseAction: 'created' });
    const c = await caseOf(m.results.caseNumber ?? '');
    expect(c.status).toBe('open');
    expect(c.history[0]?.note).toMatch(/opened for SR contact admin@example.com/);
    // S51: the message's CLI output is attached.
    expect(c.attachments.map((a) => a.name)).toContain('show version');
    await settled(rig.b);
    for (const to of ['admin@example.com', 'oncall@example.com', 'noc@example.com']) expect(mailsTo(rig.sink, to).some((mail) => subjectOf(mail).includes(`Service request opened ${c.number}`)), to).toBe(true);
  });

  it('creates no SR when the SR preference is off, and mails the analysis (no failure mail: the owner chose it)', async () => {
    await register(rig.b, 'SROFF001', { contract: 'C-102' });
    expect((await prefs('SROFF001', { srContact: 'admin@example.com', serviceRequests: false })).status).toBe(200);
    const m = await send(rig.b, tempFailure('SROFF001'));
    expect(m.results).toMatchObject({ caseAction: 'none', srFailure: 'preference-off' });
    expect(await kinds('SROFF001')).toContain('environment');
    expect(await kinds('SROFF001')).not.toContain('case-failed');
    expect((await api<{ cases: { serial: string }[] }>(rig.b.url, '/cases')).body.cases.filter((c) => c.serial === 'SROFF001')).toHaveLength(0);
  });

  it('mails "SR not created: missing permissions" (N20) when the device has no valid SR contact', async () => {
    await register(rig.b, 'SRNOCON1', { contract: 'C-103' });
    const m = await send(rig.b, tempFailure('SRNOCON1'));
    expect(m.results).toMatchObject({ caseAction: 'none', srFailure: 'no-contact' });
    const n = (await notes(rig.b)).find((x) => x.serial === 'SRNOCON1' && x.kind === 'sr-no-permission');
    expect(n?.subject).toMatch(/^\[SCH\] Service request not created: missing permissions/);
    expect(n?.body).toMatch(/no valid SR contact/);
    expect(n?.to).toContain('noc@example.com');
  });

  it('mails N20 when the SR contact lost Case Management permissions, N10 when they are no longer an administrator, N18 when their contract expired', async () => {
    person('later@example.com');
    await register(rig.b, 'SRPERM01', { contract: 'C-104' });
    expect((await prefs('SRPERM01', { srContact: 'later@example.com' })).status).toBe(200);
    person('later@example.com', { caseManagement: false });
    expect((await send(rig.b, tempFailure('SRPERM01'))).results.srFailure).toBe('no-permission');
    person('later@example.com', { admin: false });
    expect((await send(rig.b, tempFailure('SRPERM01'))).results.srFailure).toBe('contact-lost-permission');
    person('later@example.com', { contractExpiresAt: new Date(Date.now() - DAY).toISOString() });
    expect((await send(rig.b, tempFailure('SRPERM01'))).results.srFailure).toBe('contact-contract-expired');
    const mine = (await notes(rig.b)).filter((n) => n.serial === 'SRPERM01');
    expect(mine.map((n) => n.kind)).toEqual(expect.arrayContaining(['sr-no-permission', 'sr-contact-permission-lost', 'sr-contact-contract-expired']));
    // N10 and N18 go to the SR contact as well as the device list.
    for (const kind of ['sr-contact-permission-lost', 'sr-contact-contract-expired']) expect(mine.find((n) => n.kind === kind)?.to).toEqual(expect.arrayContaining(['later@example.com', 'noc@example.com']));
    expect((await api<{ cases: { serial: string }[] }>(rig.b.url, '/cases')).body.cases.filter((c) => c.serial === 'SRPERM01')).toHaveLength(0);
  });

  it('opens the SR but warns the SR contact whose contract ends within 30 days (N18)', async () => {
    person('soon@example.com', { contractExpiresAt: new Date(Date.now() + 10 * DAY).toISOString() });
    await register(rig.b, 'SRSOON01', { contract: 'C-105' });
    expect((await prefs('SRSOON01', { srContact: 'soon@example.com' })).status).toBe(200);
    expect((await send(rig.b, tempFailure('SRSOON01'))).results.caseAction).toBe('created');
    const warn = (await notes(rig.b)).find((n) => n.serial === 'SRSOON01' && n.kind === 'sr-contact-contract-expiring');
    expect(warn?.to).toContain('soon@example.com');
  });

  it('mails "SR creation failed" (N12) when the SR tracker is down, and opens the SR once it is back', async () => {
    await register(rig.b, 'SRDOWN01', { contract: 'C-106' });
    expect((await prefs('SRDOWN01', { srContact: 'admin@example.com' })).status).toBe(200);
    expect((await api(rig.b.url, '/sr-tracker', { method: 'PUT', body: { available: false, reason: 'maintenance window' } })).status).toBe(200);
    expect((await api(rig.b.url, '/sr-tracker')).body).toEqual({ available: false, reason: 'maintenance window' });
    const failed = await send(rig.b, tempFailure('SRDOWN01'));
    expect(failed.results).toMatchObject({ caseAction: 'none', srFailure: 'tracker-unavailable' });
    const n = (await notes(rig.b)).find((x) => x.serial === 'SRDOWN01' && x.kind === 'case-failed');
    expect(n?.body).toMatch(/back-end failure[\s\S]*Tracker: maintenance window/);
    expect(n?.to).toEqual(expect.arrayContaining(['admin@example.com', 'noc@example.com']));
    expect((await api(rig.b.url, '/sr-tracker', { method: 'PUT', body: { available: true } })).status).toBe(200);
    expect((await send(rig.b, tempFailure('SRDOWN01'))).results.caseAction).toBe('created');
  });

  it('mails "SR not created: device not entitled" (N21) for an expired registration, and processes nothing else', async () => {
    // Registered under a contract that then lapses (a lapsed contract covers nothing at confirmation, S13).
    await register(rig.b, 'SREXP001', { contract: 'C-OLD' });
    await api(rig.b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: 'SREXP001', contractNumber: 'C-OLD', expiresAt: '2020-01-01T00:00:00Z' }] } });
    expect((await api<{ registration: string }>(rig.b.url, '/devices/SREXP001')).body.registration).toBe('expired');
    const m = await send(rig.b, tempFailure('SREXP001'));
    expect(m.status).toBe('not-entitled');
    expect(m.results.srFailure).toBe('not-entitled');
    const n = (await notes(rig.b)).find((x) => x.serial === 'SREXP001' && x.kind === 'sr-not-entitled');
    expect(n?.subject).toMatch(/Service request not created: device not entitled/);
  });
});

describe('the SR tracker lifecycle (S52, S55): open, updated, resolved, closed, with history', () => {
  it('folds repeats and recoveries into the case, lets an operator resolve and close it, and mails every change even with notifications off', async () => {
    await register(rig.b, 'SRLIFE01', { contract: 'C-107', hostname: 'edge7' });
    expect((await prefs('SRLIFE01', { srContact: 'admin@example.com', notifications: false })).status).toBe(200);
    const first = await send(rig.b, tempFailure('SRLIFE01', 'edge7'));
    expect(first.results).toMatchObject({ caseAction: 'created' });
    const number = first.results.caseNumber ?? '';
    expect(first.results.caseAction).toBe('created');
    expect((await send(rig.b, tempFailure('SRLIFE01', 'edge7'))).results).toMatchObject({ caseAction: 'updated', caseNumber: number });
    expect((await send(rig.b, tempRecovery('SRLIFE01', 'edge7'))).results).toMatchObject({ caseAction: 'updated', caseNumber: number });

    const resolved = await api<CaseDoc>(rig.b.url, `/cases/${number}/update`, { method: 'POST', body: { note: 'fan tray replaced', status: 'resolved', priority: 3 } });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', priority: 3 });
    const closed = await api<CaseDoc>(rig.b.url, `/cases/${number}/close`, { method: 'POST', body: { note: 'customer confirmed' } });
    expect(closed.body.status).toBe('closed');
    const notesOfCase = closed.body.history.map((h) => h.note);
    expect(notesOfCase).toHaveLength(5);
    // The history says who did it: here the bootstrap token's user.
    expect(notesOfCase[3]).toMatch(/^resolved, priority P2 -> P3 by bootstrap token \(serve --token\): fan tray replaced$/);
    expect(notesOfCase[4]).toMatch(/^closed by .+: customer confirmed$/);
    expect(rig.b.events.some((e) => e.type === 'case.closed' && e.case.number === number)).toBe(true);

    // A closed case takes no more changes; a new failure opens a new case.
    expect((await api(rig.b.url, `/cases/${number}/update`, { method: 'POST', body: { note: 'again' } })).status).toBe(409);
    expect((await api(rig.b.url, `/cases/${number}/close`, { method: 'POST', body: { note: 'again' } })).status).toBe(409);
    const next = await send(rig.b, tempFailure('SRLIFE01', 'edge7'));
    expect(next.results.caseAction).toBe('created');
    expect(next.results.caseNumber).not.toBe(number);

    // S58: SR mails go although the device's notifications are off; the optional inventory mail did not.
    const k = await kinds('SRLIFE01');
    expect(k.filter((x) => x === 'case-updated')).toHaveLength(3);
    expect(k).toEqual(expect.arrayContaining(['case-created', 'case-closed']));
    await settled(rig.b);
    expect(mailsTo(rig.sink, 'admin@example.com').some((mail) => subjectOf(mail) === `[SCH] Service request closed ${number} - edge7`)).toBe(true);
  });

  it('refuses a change without a note (400) and to an unknown case (404)', async () => {
    expect((await api(rig.b.url, '/cases/999999999/close', { method: 'POST', body: { note: 'x' } })).status).toBe(404);
    const cases = (await api<{ cases: { number: string }[] }>(rig.b.url, '/cases')).body.cases;
    const any = cases[0]?.number ?? '';
    const r = await api<{ reason: string }>(rig.b.url, `/cases/${any}/update`, { method: 'POST', body: { status: 'resolved' } });
    expect(r.status).toBe(400);
    expect(r.body.reason).toMatch(/note/);
    expect((await api(rig.b.url, `/cases/${any}/update`, { method: 'POST', body: { note: 'x', status: 'closed' } })).status).toBe(400);
  });
});

describe('the SR contact from the accounts directory (no fixture directory)', () => {
  let own: Rig;
  beforeAll(async () => {
    own = await startRig();
    const directory = {
      companies: [{ id: 'acme', name: 'Acme' }],
      users: [
        { id: 'alice', name: 'Alice', email: 'alice@acme.example', contracts: ['C-300'], companies: { acme: 'administrator' } },
        { id: 'bob', name: 'Bob', email: 'bob@acme.example', companies: { acme: 'user' } },
        { id: 'carol', name: 'Carol', email: 'carol@acme.example', caseManagement: false, companies: { acme: 'administrator' } },
      ],
    };
    expect((await api(own.b.url, '/directory', { method: 'POST', body: directory })).status).toBe(200);
    await api(own.b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: 'ACCT0001', contractNumber: 'C-300', company: 'acme' }] } });
    await register(own.b, 'ACCT0001');
  });
  afterAll(async () => own.stop());

  it('takes only an administrator of the device\'s company with Case Management as SR contact, and opens SRs for them', async () => {
    const set = (srContact: string) => api(own.b.url, '/devices/ACCT0001/preferences', { method: 'PUT', body: { srContact } });
    expect((await set('bob')).status).toBe(422);
    expect((await set('carol')).status).toBe(422);
    expect((await set('nobody')).status).toBe(422);
    expect((await set('alice')).status).toBe(200);
    const m = await send(own.b, tempFailure('ACCT0001'));
    expect(m.results.caseAction).toBe('created');
    expect((await notes(own.b)).find((n) => n.serial === 'ACCT0001' && n.kind === 'case-created')?.to).toContain('alice@acme.example');
  });
});
