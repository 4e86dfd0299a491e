import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderXml } from '../../src/callhome/codec.js';
import type { CallHomeMessage } from '../../src/domain/message.js';
import { anonymize } from '../../src/lab/engine/privacy.js';
import { buildMessage } from './build-message.js';
import { api, postXml, startTestBackend, type TestBackend } from './helpers.js';
import { importBackOffice, trialFixture } from './entitlement/fixtures.js';

let b: TestBackend;
beforeAll(async () => {
  b = await startTestBackend();
});
afterAll(async () => {
  await b.stop();
});

type Notification = { kind: string; serial: string | null; to: string[]; subject: string; body: string };
type Device = { serial: string; hostname: string; contactEmail: string; registration: string; trialEndsAt: string | null; contractNumber: string | null; lastInventoryAt: string | null };

async function send(m: CallHomeMessage): Promise<void> {
  const r = await postXml(b.url, renderXml(m));
  expect(r.status).toBe(200);
}
async function tokenFor(serial: string): Promise<string> {
  const { body } = await api<{ notifications: Notification[] }>(b.url, '/notifications');
  const n = body.notifications.find((x) => x.serial === serial && x.kind === 'pending-registration');
  const token = /Security token: (\S+)/.exec(n?.body ?? '')?.[1];
  if (!token) throw new Error(`no pending-registration notification for ${serial}`);
  return token;
}
async function device(serial: string): Promise<Device> {
  return (await api<Device>(b.url, `/devices/${serial}`)).body;
}
const confirm = (serial: string, token: string) => api<{ registration?: { state: string }; reason?: string }>(b.url, `/registrations/${serial}/confirm`, { method: 'POST', body: { token } });

describe('registration and entitlement, end to end from messages', () => {
  it('first message → pending with a token e-mail; messages wait; confirm → registered and pending messages are processed', async () => {
    // Given a contract covering the serial
    await api(b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: 'REG0001', contractNumber: 'C-900', company: 'ExampleCorp', expiresAt: '2099-01-01T00:00:00Z' }] } });
    // When the device sends its first inventory and then a crash
    await send(buildMessage({ serialNumber: 'REG0001', hostname: 'R1', kind: 'inventory' }));
    await send(buildMessage({ serialNumber: 'REG0001', hostname: 'R1', kind: 'crash', eventName: 'SYSTEM_CRASH', severity: 6, description: 'SYSTEM_CRASH: reload reason: crash' }));
    // Then it is pending, the contact got a token, and nothing was processed yet
    expect((await device('REG0001')).registration).toBe('pending');
    const notes = (await api<{ notifications: Notification[] }>(b.url, '/notifications')).body.notifications;
    const pending = notes.find((n) => n.serial === 'REG0001' && n.kind === 'pending-registration');
    expect(pending?.to).toEqual(['noc@example.com']);
    // Issue 11: the subject carries no device text (host name and serial are the sender's choice); the body does.
    expect(pending?.subject).toBe('[SCH] Pending Registration');
    expect((await api<{ cases: unknown[] }>(b.url, '/cases')).body.cases).toHaveLength(0);
    expect((await device('REG0001')).lastInventoryAt).toBeNull();
    // When the token is confirmed
    const r = await confirm('REG0001', await tokenFor('REG0001'));
    // Then the device is registered under its contract, and the stored messages were processed (S18)
    expect(r.status).toBe(200);
    expect(r.body.registration?.state).toBe('registered');
    const d = await device('REG0001');
    expect(d).toMatchObject({ registration: 'registered', contractNumber: 'C-900' });
    expect(d.lastInventoryAt).not.toBeNull();
    const cases = (await api<{ cases: { serial: string; title: string }[] }>(b.url, '/cases')).body.cases;
    expect(cases).toEqual([expect.objectContaining({ serial: 'REG0001', title: 'SYSTEM_CRASH on R1' })]);
    expect(b.events.filter((e) => e.type === 'registration.changed' && e.serial === 'REG0001').map((e) => (e.type === 'registration.changed' ? e.to : ''))).toEqual(['pending', 'registered']);
  });

  it('S17: 10 invalid tokens block the user (even the right token), SCH Support is alerted and unblocks; another user is not blocked', async () => {
    await importBackOffice(b.url, trialFixture(['REG0002']));
    await send(buildMessage({ serialNumber: 'REG0002', hostname: 'R2' }));
    const good = await tokenFor('REG0002');
    for (let i = 1; i <= 9; i++) {
      const r = await confirm('REG0002', 'WRONGTOKEN');
      expect(r.status).toBe(403);
      expect(r.body.reason).toContain(`${10 - i} attempts left`);
    }
    const tenth = await confirm('REG0002', 'WRONGTOKEN');
    expect(tenth.status).toBe(423);
    // Blocked: the right token is refused too, and the message sends the user to SCH Support.
    const blocked = await confirm('REG0002', good);
    expect(blocked.status).toBe(423);
    expect(blocked.body.reason).toMatch(/blocked from confirming registrations after 10 invalid tokens\. Contact SCH Support/);
    expect((await device('REG0002')).registration).toBe('pending');
    const notes = (await api<{ notifications: Notification[] }>(b.url, '/notifications')).body.notifications;
    expect(notes.find((n) => n.kind === 'support-alert' && n.body.includes('invalid registration tokens'))?.body).toMatch(/User bootstrap entered 10 invalid registration tokens/);
    expect((await api<{ lockouts: { user: string; failed: number; lockedAt: string | null }[] }>(b.url, '/registrations/lockouts')).body.lockouts).toEqual([expect.objectContaining({ user: 'bootstrap', failed: 10 })]);
    // Issue 11 still holds: guesses by someone else never lock the owner out — the lock is per user.
    const other = await b.service.confirm('REG0002', 'WRONGTOKEN', { actor: { user: 'mallory', support: false } });
    expect(other.ok).toBe(false);
    expect(await b.service.store.getLockout('mallory')).toMatchObject({ failed: 1, lockedAt: null });
    // Support unblocks; the right token confirms.
    expect((await api(b.url, '/registrations/lockouts/bootstrap', { method: 'DELETE' })).status).toBe(200);
    const right = await confirm('REG0002', good);
    expect(right.status).toBe(200);
    expect((await device('REG0002')).registration).toBe('trial');
    // Deleting the registration lets the next message restart the pending flow with a new token.
    expect((await api(b.url, '/registrations/REG0002', { method: 'DELETE' })).status).toBe(200);
    await send(buildMessage({ serialNumber: 'REG0002', hostname: 'R2' }));
    expect((await device('REG0002')).registration).toBe('pending');
  });

  it('in the installed base, not covered → 120-day trial; a contract import later makes it registered; an expired contract → only inventory/configuration processed', async () => {
    await importBackOffice(b.url, trialFixture(['REG0003']));
    await send(buildMessage({ serialNumber: 'REG0003', hostname: 'R3' }));
    const r = await confirm('REG0003', await tokenFor('REG0003'));
    expect(r.body.registration?.state).toBe('trial');
    const trial = await device('REG0003');
    const days = (Date.parse(trial.trialEndsAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(119);
    expect(days).toBeLessThanOrEqual(120);
    // A contract covering it arrives
    await api(b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: 'REG0003', contractNumber: 'C-901' }] } });
    expect((await device('REG0003')).registration).toBe('registered');
    // The contract expires
    const imp = await api<{ changed: number }>(b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: 'REG0003', contractNumber: 'C-901', expiresAt: '2020-01-01' }] } });
    expect(imp.body.changed).toBe(1);
    expect((await device('REG0003')).registration).toBe('expired');
    // Then a crash opens no case, but configuration is still processed
    const cases = (await api<{ cases: unknown[] }>(b.url, '/cases')).body.cases.length;
    await send(buildMessage({ serialNumber: 'REG0003', hostname: 'R3', kind: 'crash', eventName: 'SYSTEM_CRASH', severity: 6, description: 'SYSTEM_CRASH' }));
    await send(buildMessage({ serialNumber: 'REG0003', hostname: 'R3', kind: 'configuration', attachments: [{ name: 'show running-config', data: 'hostname R3\n' }] }));
    expect((await api<{ cases: unknown[] }>(b.url, '/cases')).body.cases.length).toBe(cases);
    const msgs = (await api<{ messages: { id: number; type: string }[] }>(b.url, '/messages?device=REG0003')).body.messages;
    const crash = msgs.find((m) => m.type === 'crash');
    expect((await api<{ status: string }>(b.url, `/messages/${crash?.id ?? 0}`)).body.status).toBe('not-entitled');
    // The configuration record (S37) holds the running configuration the message carried.
    expect((await api<{ configuration: { running: string } }>(b.url, '/devices/REG0003')).body.configuration.running).toBe('hostname R3');
  });

  it('stores anonymous messages (as the lab anonymizes them) without identity and starts no registration', async () => {
    const anon = anonymize(buildMessage({ serialNumber: 'SECRET001', hostname: 'R7', kind: 'inventory' }));
    await send(anon);
    const d = await device(anon.serialNumber);
    expect(d.registration).toBe('anonymous');
    expect(d).toMatchObject({ hostname: '', contactEmail: '' });
    const regs = (await api<{ registrations: { serial: string }[] }>(b.url, '/registrations')).body.registrations;
    expect(regs.map((r) => r.serial)).not.toContain(anon.serialNumber);
    expect(JSON.stringify((await api(b.url, '/devices')).body)).not.toContain('SECRET001');
  });
});
