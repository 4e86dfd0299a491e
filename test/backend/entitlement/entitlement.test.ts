/**
 * Entitlement and registration (spec §2.3–§2.6, S10–S22) through a real back end: device messages over
 * HTTP and SMTP, the REST API, SQLite. The daily pass runs on an injected clock, never on sleeps.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderXml } from '../../../src/callhome/codec.js';
import type { CallHomeMessage } from '../../../src/domain/message.js';
import { buildMessage } from '../build-message.js';
import { api, postXml, startTestBackend, TOKEN, type TestBackend } from '../helpers.js';
import { importBackOffice, trialFixture, type BackOfficeInput } from './fixtures.js';

type Notification = { kind: string; serial: string | null; to: string[]; subject: string; body: string };
type Reg = { serial: string; state: string; contractNumber: string | null; coverage: string | null; trialEndsAt: string | null; coverageEndsAt: string | null; endsAt: string | null; daysLeft: number | null; refusal: { code: string; reason: string } | null; registeredBy: string | null };
type Answer = { registration?: Reg; error?: string; reason?: string };

const FAMILY = 'CSR1000v Cloud Services Router';
const LATER = '2099-12-31';

function client(b: TestBackend) {
  const send = async (m: CallHomeMessage): Promise<void> => {
    const r = await postXml(b.url, renderXml(m));
    expect(r.status).toBe(200);
  };
  const notifications = async (): Promise<Notification[]> => (await api<{ notifications: Notification[] }>(b.url, '/notifications?limit=1000')).body.notifications;
  const tokenFor = async (serial: string): Promise<string> => {
    const n = (await notifications()).find((x) => x.serial === serial && x.kind === 'pending-registration');
    const token = /Security token: (\S+)/.exec(n?.body ?? '')?.[1];
    if (!token) throw new Error(`no pending-registration notification for ${serial}`);
    return token;
  };
  const confirm = (serial: string, token: string, extra: Record<string, string> = {}) => api<Answer>(b.url, `/registrations/${serial}/confirm`, { method: 'POST', body: { token, ...extra } });
  /** A first message from the serial, then its confirmation with the mailed token. */
  const register = async (serial: string, extra: Record<string, string> = {}, m: Partial<CallHomeMessage> = {}) => {
    await send(buildMessage({ serialNumber: serial, hostname: `h-${serial}`, ...m }));
    return confirm(serial, await tokenFor(serial), extra);
  };
  const registration = async (serial: string): Promise<Reg | undefined> => (await api<{ registrations: Reg[] }>(b.url, '/registrations')).body.registrations.find((r) => r.serial === serial);
  const fixtures = (f: BackOfficeInput) => importBackOffice(b.url, f);
  return { send, notifications, tokenFor, confirm, register, registration, fixtures };
}

describe('the entitlement decision (S13–S16), through the API', () => {
  let b: TestBackend;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    b = await startTestBackend();
    c = client(b);
    await c.fixtures({
      contracts: [
        { number: 'C-ACME', type: 'direct', company: 'acme', expires: LATER, serials: ['COV0001', 'COV0002'] },
        { number: 'C-ACME-2', type: 'cbr', company: 'acme', expires: LATER, serials: ['COV0002'] },
        { number: 'C-OTHER', type: 'direct', company: 'other', expires: LATER, serials: ['COV0003'] },
        { number: 'P-PARTNER', type: 'partner-branded', company: 'acme', expires: LATER, serials: ['PBR0001'] },
        { number: 'C-NOKEY', type: 'direct', company: 'acme', expires: LATER, remoteSupport: false, serials: ['NOKEY001'] },
        { number: 'C-FAMILY', type: 'direct', company: 'acme', expires: LATER, serials: ['IB-FAM01'] },
        { number: 'C-OLD', type: 'direct', company: 'acme', expires: '2020-01-01', serials: ['OLD00001'] },
      ],
      installedBase: [
        { serial: 'COV0001', family: FAMILY, company: 'acme' },
        { serial: 'IB-FAM01', family: FAMILY, company: 'acme' },
        { serial: 'IBU00001', family: FAMILY, company: 'acme' },
        { serial: 'IBU00002', family: FAMILY, company: 'acme' },
        { serial: 'WAR00001', family: FAMILY, company: 'acme', warranty: { expires: LATER, company: 'acme' } },
        { serial: 'WAR00002', family: FAMILY, company: 'acme', warranty: { expires: LATER, company: 'acme' } },
        { serial: 'OLD00001', family: FAMILY, company: 'acme' },
      ],
      profiles: [
        { ccoId: 'alice', company: 'acme', contracts: ['C-ACME', 'C-ACME-2', 'C-FAMILY'], email: 'alice@acme.example' },
        { ccoId: 'bob', company: 'other', contracts: ['C-OTHER'], email: 'bob@other.example' },
        { ccoId: 'carol', company: 'acme', contracts: ['C-ACME'], caseManagement: false },
        { ccoId: 'nocompany', company: '', contracts: [] },
      ],
    });
  });
  afterAll(() => b.stop());

  it('S13: covered by a supported contract in the profile → registered under it, automatically', async () => {
    const r = await c.register('COV0001', { profile: 'alice' });
    expect(r.status).toBe(200);
    expect(r.body.registration).toMatchObject({ state: 'registered', coverage: 'contract', contractNumber: 'C-ACME', coverageEndsAt: '2099-12-31T00:00:00.000Z', registeredBy: 'alice' });
    const mail = (await c.notifications()).find((n) => n.serial === 'COV0001' && n.kind === 'registration-complete');
    // N22 goes to the contact; the confirming user joins the device's list (the registrant) for what follows.
    expect(mail?.to).toEqual(['noc@example.com']);
    expect((await api<{ registrant: string | null }>(b.url, '/devices/COV0001/preferences')).body.registrant).toBe('alice@acme.example');
    expect(mail?.body).toContain('company acme');
  });

  it('S13: covered by a warranty → registered "Under Warranty"; a profile of another company → warranty-company-mismatch', async () => {
    expect((await c.register('WAR00001', { profile: 'alice' })).body.registration).toMatchObject({ state: 'registered', coverage: 'warranty', contractNumber: 'Under Warranty' });
    const other = await c.register('WAR00002', { profile: 'bob' });
    expect(other.status).toBe(403);
    expect(other.body.error).toBe('warranty-company-mismatch');
    expect(other.body.reason).toMatch(/purchasing company \(acme\) is not the profile's company \(other\)/);
    const none = await c.confirm('WAR00002', await c.tokenFor('WAR00002'), { profile: 'nocompany' });
    expect(none.body.error).toBe('warranty-company-mismatch');
    expect(none.body.reason).toMatch(/has no company name/);
  });

  it('S14: in the installed base, not covered → a 120-day trial under an eligible profile contract; without one → no-eligible-contract', async () => {
    const r = await c.register('IBU00001', { profile: 'alice' });
    expect(r.body.registration).toMatchObject({ state: 'trial', coverage: 'trial', contractNumber: 'C-ACME' });
    expect(r.body.registration?.daysLeft).toBe(120);
    const trialMail = (await c.notifications()).find((n) => n.serial === 'IBU00001' && n.kind === 'trial-registered');
    expect(trialMail?.body).toMatch(/120-day trial under contract C-ACME/);
    expect(trialMail?.to).toContain('alice@acme.example');
    // bob's only contract is eligible too, so a contract of his own choosing that he does not hold is refused
    const refused = await c.register('IBU00002', { profile: 'bob', contract: 'C-ACME' });
    expect(refused.body.error).toBe('no-eligible-contract');
    expect(refused.body.reason).toMatch(/in the Installed Base but not covered.*CPR Profile Update tool/);
  });

  it('S15: not in the installed base → registered with an eligible profile contract covering its family; no such contract → refused (no free trial)', async () => {
    const same = await c.register('NEW00001', { profile: 'alice' }, { series: FAMILY });
    expect(same.body.registration).toMatchObject({ state: 'registered', coverage: 'family', contractNumber: 'C-ACME' });
    const otherFamily = await c.register('NEW00002', { profile: 'alice' }, { series: 'Cisco Catalyst 9800 Wireless Controllers' });
    expect(otherFamily.status).toBe(403);
    expect(otherFamily.body.error).toBe('no-eligible-contract');
    expect(otherFamily.body.reason).toMatch(/not in the Installed Base.*family \(Cisco Catalyst 9800 Wireless Controllers\)/);
    // An unknown serial with no back-office data at all gets no trial: SCH Support's profile holds nothing of that family either.
    const unknown = await c.register('NEW00003', {}, { series: 'Unknown Family' });
    expect(unknown.body.error).toBe('no-eligible-contract');
    expect((await c.registration('NEW00003'))?.state).toBe('pending');
  });

  it('S16: each cause has its own code and message — in the API answer, a notification, the registrations list and the device', async () => {
    const notInProfile = await c.register('COV0003', { profile: 'alice' });
    expect(notInProfile.body.error).toBe('contract-not-in-profile');
    expect(notInProfile.body.reason).toMatch(/covered by contract C-OTHER, which is not in the CCO profile alice\. A request to add it/);
    const partner = await c.register('PBR0001', { profile: 'alice' });
    expect(partner.body.error).toBe('unsupported-contract');
    expect(partner.body.reason).toMatch(/Partner Branded/);
    const noKey = await c.register('NOKEY001', { profile: 'alice' });
    expect(noKey.body.error).toBe('unsupported-contract');
    expect(noKey.body.reason).toMatch(/without the Remote Tech Support Access key/);
    const noCm = await c.confirm('PBR0001', await c.tokenFor('PBR0001'), { profile: 'carol' });
    expect(noCm.body.error).toBe('no-case-management');
    expect(noCm.body.reason).toMatch(/lacks Case Management permissions/);
    // Covered only by a lapsed contract: treated as not covered, and this profile holds no eligible contract for a trial.
    const expired = await c.register('OLD00001', { profile: 'nocompany' });
    expect(expired.body.error).toBe('no-eligible-contract');
    // The refusal stays on the pending registration (console, registrations list) and on the device.
    expect((await c.registration('COV0003'))?.refusal?.code).toBe('contract-not-in-profile');
    expect((await api<{ registrationRefusal: string | null; registration: string }>(b.url, '/devices/PBR0001')).body).toMatchObject({ registrationRefusal: 'no-case-management', registration: 'pending' });
    const notes = await c.notifications();
    const refusedMails = notes.filter((n) => n.kind === 'not-covered');
    for (const code of ['contract-not-in-profile', 'unsupported-contract', 'no-case-management', 'warranty-company-mismatch', 'no-eligible-contract']) expect(refusedMails.some((n) => n.body.includes(`(${code})`))).toBe(true);
    // The automatic add-contract request goes to SCH Support; when the contract reaches the profile, alice is told (N23) and confirms.
    expect(notes.find((n) => n.kind === 'support-alert' && n.body.includes('Add contract'))?.body).toMatch(/Add contract C-OTHER to CCO profile alice/);
    await c.fixtures({ profiles: [{ ccoId: 'alice', company: 'acme', contracts: ['C-ACME', 'C-ACME-2', 'C-FAMILY', 'C-OTHER'], email: 'alice@acme.example' }] });
    const added = (await c.notifications()).find((n) => n.kind === 'contract-added');
    expect(added).toMatchObject({ serial: 'COV0003', to: ['alice@acme.example'] });
    expect((await c.confirm('COV0003', await c.tokenFor('COV0003'), { profile: 'alice' })).body.registration).toMatchObject({ state: 'registered', contractNumber: 'C-OTHER' });
    expect((await c.registration('COV0003'))?.refusal).toBeNull();
  });

  it('S12: confirms several pending devices picked from the list, each with its own result', async () => {
    await c.send(buildMessage({ serialNumber: 'IB-FAM01', hostname: 'sel-1' }));
    await c.send(buildMessage({ serialNumber: 'SEL00002', hostname: 'sel-2', series: 'No Such Family' }));
    const r = await api<{ results: { serial: string; ok: boolean; registration?: Reg; error?: string }[] }>(b.url, '/registrations/confirm', { method: 'POST', body: { serials: ['IB-FAM01', 'SEL00002', 'COV0001'], profile: 'alice' } });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.serial, x.ok, x.registration?.state ?? x.error])).toEqual([
      ['IB-FAM01', true, 'registered'],
      ['SEL00002', false, 'no-eligible-contract'],
      ['COV0001', false, 'not-pending'],
    ]);
  });

  it('S22: a covered device switches only between contracts that cover it; an uncovered one to another eligible profile contract', async () => {
    await c.register('COV0002', { profile: 'alice' });
    expect((await c.registration('COV0002'))?.contractNumber).toBe('C-ACME');
    const edit = (serial: string, contract: string) => api<Answer>(b.url, `/registrations/${serial}/contract`, { method: 'PUT', body: { contract, profile: 'alice' } });
    expect((await edit('COV0002', 'C-ACME-2')).body.registration?.contractNumber).toBe('C-ACME-2');
    const notCovering = await edit('COV0002', 'C-FAMILY');
    expect(notCovering.status).toBe(403);
    expect(notCovering.body).toMatchObject({ error: 'contract-not-usable' });
    expect(notCovering.body.reason).toMatch(/can only use a supported contract that covers it\. Other covering contracts in the profile: C-ACME\./);
    const warranty = await edit('WAR00001', 'C-ACME');
    expect(warranty.body.reason).toMatch(/No other contracts are available/);
    // IBU00001 is on a trial under C-ACME: any eligible contract of the profile will do; the trial end stays.
    const before = await c.registration('IBU00001');
    const moved = await edit('IBU00001', 'C-FAMILY');
    expect(moved.body.registration).toMatchObject({ state: 'trial', contractNumber: 'C-FAMILY', trialEndsAt: before?.trialEndsAt });
    expect((await edit('IBU00001', 'P-PARTNER')).body.error).toBe('contract-not-usable');
  });
});

describe('token mail and link (S10, S11)', () => {
  let b: TestBackend;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    b = await startTestBackend({ smtpPort: 0 });
    c = client(b);
    await c.fixtures(trialFixture(['MAILREG1', 'HTTPREG1']));
  });
  afterAll(() => b.stop());

  it('mails the token to the reply-to address of the mail that carried the message, else to the contact', async () => {
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: b.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await mailer.sendMail({ from: 'router@example.com', replyTo: 'netops@example.com', to: 'callhome@example.com', subject: 'System Notification From R1 - inventory', text: renderXml(buildMessage({ serialNumber: 'MAILREG1', hostname: 'R1' })) });
    mailer.close();
    await c.send(buildMessage({ serialNumber: 'HTTPREG1', hostname: 'R2' }));
    const pending = (await c.notifications()).filter((n) => n.kind === 'pending-registration');
    expect(pending.find((n) => n.serial === 'MAILREG1')?.to).toEqual(['netops@example.com']);
    expect(pending.find((n) => n.serial === 'HTTPREG1')?.to).toEqual(['noc@example.com']);
  });

  it('the mail carries a confirm link that fills in the token, on a page and on the command line', async () => {
    const body = (await c.notifications()).find((n) => n.serial === 'HTTPREG1' && n.kind === 'pending-registration')?.body ?? '';
    const token = await c.tokenFor('HTTPREG1');
    const link = /Confirm \(the link fills in the token\): (\S+)/.exec(body)?.[1] ?? '';
    expect(link).toBe(`${b.url}/registration/confirm?serial=HTTPREG1&token=${token}`);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain(`name="token" value="${token}"`);
    expect(html).toContain('name="serial" value="HTTPREG1"');
    // Markup in the link is shown as text, never run.
    expect(await (await fetch(`${b.url}/registration/confirm?serial=%3Cscript%3Ex&token=%22%3E`)).text()).toContain('value="&#60;script&#62;x"');
    // The CLI takes the link where it takes the token.
    const { runRegistration } = await import('../../../commands/registration.js');
    const out: string[] = [];
    await runRegistration({ backend: b.url, token: TOKEN, json: false, action: 'confirm', serial: 'HTTPREG1', secret: link }, { stdout: (t) => out.push(t), stderr: () => undefined });
    expect(out.join('')).toMatch(/^HTTPREG1 is trial \(trial until /);
  });
});

describe('the daily entitlement pass on an injected clock (S21), and per-state processing (S19, S20)', () => {
  const DAY = 86_400_000;
  const start = Date.parse('2026-01-01T00:00:00Z');
  let now = new Date(start);
  let b: TestBackend;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    b = await startTestBackend({ now: () => now });
    c = client(b);
    await c.fixtures({
      contracts: [
        { number: 'C-SHORT', type: 'direct', company: 'acme', expires: '2026-03-02', serials: ['EXP00001'] },
        { number: 'C-LONG', type: 'direct', company: 'acme', expires: LATER },
      ],
      installedBase: [
        { serial: 'EXP00001', family: FAMILY, company: 'acme' },
        { serial: 'TRI00001', family: FAMILY, company: 'acme' },
      ],
    });
    await c.register('EXP00001');
    await c.register('TRI00001');
  });
  afterAll(() => b.stop());
  const kinds = async (serial: string) => (await c.notifications()).filter((n) => n.serial === serial).map((n) => n.kind);
  const at = async (day: number) => {
    now = new Date(start + day * DAY);
    await b.service.entitlementPass();
  };

  it('warns 30 and 7 days before a contract ends, once each, and expires it on the day without waiting for the device', async () => {
    expect((await c.registration('EXP00001'))).toMatchObject({ state: 'registered', daysLeft: 60 });
    await at(29);
    expect((await kinds('EXP00001')).filter((k) => k === 'contract-expiring')).toHaveLength(0);
    await at(30);
    await at(31);
    expect((await kinds('EXP00001')).filter((k) => k === 'contract-expiring')).toHaveLength(1);
    expect((await c.notifications()).filter((n) => n.kind === 'contract-expiring').map((n) => /expires in (\d+) days/.exec(n.body)?.[1])).toEqual(['30']);
    await at(53);
    await at(54);
    expect((await c.notifications()).filter((n) => n.kind === 'contract-expiring' && n.serial === 'EXP00001').map((n) => /contract C-SHORT expires in (\d+) days/.exec(n.body)?.[1])).toEqual(['7', '30']);
    await at(61);
    expect((await c.registration('EXP00001'))?.state).toBe('expired');
    expect((await kinds('EXP00001'))[0]).toBe('contract-expired'); // triggers: the end date passed → N15 "expired" (N11 is for entitlement lost before it)
    expect(b.events.some((e) => e.type === 'registration.changed' && e.serial === 'EXP00001' && e.to === 'expired')).toBe(true);
  });

  it('reminds a trial every 14 days and expires it at 120 days', async () => {
    const reminders = async () => (await kinds('TRI00001')).filter((k) => k === 'trial-reminder').length;
    // The pass above already ran at day 54 and 61; reminders went at 14-day steps from confirmation (days 29, 53).
    expect(await reminders()).toBeGreaterThanOrEqual(2);
    const before = await reminders();
    await at(75);
    expect(await reminders()).toBe(before + 1);
    await at(76);
    expect(await reminders()).toBe(before + 1);
    // "About to expire" before the trial ends too, 30 and 7 days ahead, once each.
    await at(90);
    await at(91);
    await at(113);
    const warnings = (await c.notifications()).filter((n) => n.kind === 'contract-expiring' && n.serial === 'TRI00001').map((n) => /The trial registration expires in (\d+) days/.exec(n.body)?.[1]);
    expect(warnings).toEqual(['7', '30']);
    await at(121);
    expect((await c.registration('TRI00001'))?.state).toBe('expired');
  });

  it('an expired device: everything stored, only inventory and configuration processed — no rules, cases, test processing or optional mail', async () => {
    const mailsBefore = (await kinds('EXP00001')).length;
    await c.send(buildMessage({ serialNumber: 'EXP00001', hostname: 'h-EXP00001', kind: 'crash', eventName: 'SYSTEM_CRASH', severity: 6, description: 'SYSTEM_CRASH: reload reason: crash' }));
    await c.send(buildMessage({ serialNumber: 'EXP00001', hostname: 'h-EXP00001', kind: 'test', description: 'test message', severity: 1 }));
    await c.send(buildMessage({ serialNumber: 'EXP00001', hostname: 'h-EXP00001', kind: 'inventory' }));
    await c.send(buildMessage({ serialNumber: 'EXP00001', hostname: 'h-EXP00001', kind: 'configuration', attachments: [{ name: 'show running-config', data: 'hostname h-EXP00001\n' }] }));
    const list = (await api<{ messages: { id: number; type: string }[] }>(b.url, '/messages?device=EXP00001')).body.messages;
    const status = async (type: string) => (await api<{ status: string }>(b.url, `/messages/${list.find((m) => m.type === type)?.id ?? 0}`)).body.status;
    expect(await status('crash')).toBe('not-entitled');
    expect(await status('test')).toBe('not-entitled');
    expect(await status('configuration')).toBe('processed');
    expect((await api<{ configuration: { running: string } }>(b.url, '/devices/EXP00001')).body.configuration.running).toBe('hostname h-EXP00001');
    expect((await api<{ cases: { serial: string }[] }>(b.url, '/cases')).body.cases.filter((x) => x.serial === 'EXP00001')).toEqual([]);
    // Only the results of the processing S20 allows (N2, N3), and "SR not created: device not entitled" (N21,
    // always sent) for the crash — no analysis mail, no test mail.
    expect((await kinds('EXP00001')).slice(0, -mailsBefore).sort()).toEqual(['configuration-updated', 'inventory-updated', 'sr-not-entitled']);
  });

  it('a renewed contract brings an expired registration back; the pass also runs at start-up', async () => {
    await c.fixtures({ contracts: [{ number: 'C-SHORT', type: 'direct', company: 'acme', expires: LATER, serials: ['EXP00001'] }] });
    expect((await c.registration('EXP00001'))?.state).toBe('registered');
    // A back end started on a database whose contract has lapsed expires it at start-up, before any device calls.
    await c.fixtures({ contracts: [{ number: 'C-SHORT', type: 'direct', company: 'acme', expires: '2026-06-01', serials: ['EXP00001'] }] });
    const dbPath = `${b.dir}/callhome.db`;
    await b.close();
    now = new Date('2026-07-01T00:00:00Z');
    const again = await startTestBackend({ dbPath, now: () => now });
    try {
      await expect.poll(async () => (await api<{ registrations: Reg[] }>(again.url, '/registrations')).body.registrations.find((r) => r.serial === 'EXP00001')?.state, { timeout: 10_000 }).toBe('expired');
    } finally {
      await again.stop();
    }
  });
});
