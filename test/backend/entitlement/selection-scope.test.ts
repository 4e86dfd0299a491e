/**
 * S12 with real users: confirming by picking devices from the Devices Pending Registration list reaches only
 * the pending devices of the caller's companies (the list they see, and what a selection confirms). A real
 * back end over HTTP, users signed in with their passwords, SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderXml } from '../../../src/callhome/codec.js';
import { buildMessage } from '../build-message.js';
import { api, postXml, startTestBackend, type TestBackend } from '../helpers.js';
import { importBackOffice } from './fixtures.js';

const PASSWORD = 'correct horse battery';
type Result = { serial: string; ok: boolean; registration?: { state: string; company: string }; error?: string; reason?: string };

let b: TestBackend;
const tokens = new Map<string, string>();

async function signIn(user: string): Promise<string> {
  const login = await api<{ token: string }>(b.url, '/login', { method: 'POST', body: { user, password: PASSWORD }, token: null });
  expect(login.status).toBe(200);
  const version = (await api<{ version: string }>(b.url, '/agreement', { token: login.body.token })).body.version;
  expect((await api(b.url, '/agreement', { method: 'POST', body: { version }, token: login.body.token })).status).toBe(200);
  return login.body.token;
}
const pendingSeenBy = async (user: string): Promise<string[]> =>
  (await api<{ registrations: { serial: string; state: string }[] }>(b.url, '/registrations', { token: tokens.get(user) ?? null })).body.registrations
    .filter((r) => r.state === 'pending')
    .map((r) => r.serial)
    .sort();
const select = (user: string, serials: string[]) => api<{ results: Result[] }>(b.url, '/registrations/confirm', { method: 'POST', body: { serials }, token: tokens.get(user) ?? null });

beforeAll(async () => {
  b = await startTestBackend();
  await importBackOffice(b.url, {
    contracts: [
      { number: 'C-ACME', type: 'direct', company: 'acme', expires: '2099-12-31' },
      { number: 'C-GLOBEX', type: 'direct', company: 'globex', expires: '2099-12-31' },
    ],
    installedBase: ['SELA0001', 'SELA0002'].map((serial) => ({ serial, company: 'acme' })).concat([{ serial: 'SELG0001', company: 'globex' }]),
  });
  const directory = {
    companies: [
      { id: 'acme', name: 'Acme' },
      { id: 'globex', name: 'Globex' },
    ],
    users: [
      { id: 'alice', name: 'Alice', email: 'alice@acme.example', password: PASSWORD, profileCompany: 'acme', contracts: ['C-ACME'], companies: { acme: 'administrator' } },
      { id: 'aaron', name: 'Aaron', email: 'aaron@acme.example', password: PASSWORD, profileCompany: 'acme', contracts: [], companies: { acme: 'user' } },
      { id: 'gina', name: 'Gina', email: 'gina@globex.example', password: PASSWORD, profileCompany: 'globex', contracts: ['C-GLOBEX'], companies: { globex: 'administrator' } },
    ],
  };
  expect((await api(b.url, '/directory', { method: 'POST', body: directory })).status).toBe(200);
  for (const user of ['alice', 'aaron', 'gina']) tokens.set(user, await signIn(user));
  for (const serial of ['SELA0001', 'SELA0002', 'SELG0001']) expect((await postXml(b.url, renderXml(buildMessage({ serialNumber: serial, hostname: `h-${serial}` })))).status).toBe(200);
});
afterAll(() => b.stop());

describe('confirming by selection, scoped to the caller\'s companies (S12)', () => {
  it('lists to each user the pending devices of their companies only', async () => {
    expect(await pendingSeenBy('alice')).toEqual(['SELA0001', 'SELA0002']);
    expect(await pendingSeenBy('aaron')).toEqual(['SELA0001', 'SELA0002']);
    expect(await pendingSeenBy('gina')).toEqual(['SELG0001']);
    // The device search (S69) is confined the same way: another company's device is not found by any criterion.
    const search = async (user: string, q: string) => (await api<{ devices: { serial: string }[] }>(b.url, `/devices${q}`, { token: tokens.get(user) ?? null })).body.devices.map((d) => d.serial).sort();
    expect(await search('alice', '?serial=SEL')).toEqual(['SELA0001', 'SELA0002']);
    expect(await search('alice', '?company=globex')).toEqual([]);
    expect(await search('gina', '?hostname=h-SEL')).toEqual(['SELG0001']);
  });

  it("confirms the picked devices of the caller's company and refuses another company's as unknown, which stays pending", async () => {
    const r = await select('alice', ['SELA0001', 'SELG0001']);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.serial, x.ok, x.registration?.state ?? x.error])).toEqual([
      ['SELG0001', false, 'unknown'],
      ['SELA0001', true, 'trial'],
    ]);
    expect(r.body.results[0]?.reason).toBe('No pending registration SELG0001 in your companies.');
    expect(r.body.results[1]?.registration?.company).toBe('acme');
    expect((await api<{ registration: string }>(b.url, '/devices/SELG0001')).body.registration).toBe('pending');
    // A User of the company may confirm too (the legal agreement accepted); entitlement still decides: no eligible contract in aaron's profile.
    const aaron = await select('aaron', ['SELA0002']);
    expect(aaron.body.results).toEqual([expect.objectContaining({ serial: 'SELA0002', ok: false, error: 'no-eligible-contract' })]);
    // The other company's administrator confirms their own.
    const gina = await select('gina', ['SELG0001', 'SELA0002']);
    expect(gina.body.results.map((x) => [x.serial, x.ok, x.registration?.state ?? x.error])).toEqual([
      ['SELA0002', false, 'unknown'],
      ['SELG0001', true, 'trial'],
    ]);
    expect(await pendingSeenBy('alice')).toEqual(['SELA0002']);
    expect(await pendingSeenBy('gina')).toEqual([]);
  });

  it('`callhome registration select` says which picks were not completed, and why, and exits 1', async () => {
    const { runRegistration } = await import('../../../commands/registration.js');
    let out = '';
    await expect(runRegistration({ backend: b.url, token: tokens.get('gina'), json: false, action: 'select', serial: 'SELA0002' }, { stdout: (t) => (out += t) })).rejects.toThrow('1 of 1 registrations were not completed.');
    expect(out).toBe('SELA0002: not registered: unknown: No pending registration SELA0002 in your companies.\n');
  });
});
