/**
 * Issue 15: the directory fixtures (YAML and CSV), S27 (the confirming user becomes Administrator of the
 * device's company, which a device without a contract takes from the user's CCO profile), and an open stream
 * that follows its user's roles (a user removed from a company stops getting its events).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readDirectoryFile } from '../../../src/backend/accounts/directory-file.js';
import { StreamFrameSchema, type BackendEvent } from '../../../src/events/protocol.js';
import { waitFor } from '../stream/helpers.js';
import { api, startTestBackend, type TestBackend } from '../helpers.js';
import { send } from './fixture.js';

const fixture = (name: string): string => new URL(`../../fixtures/accounts/${name}`, import.meta.url).pathname;

describe('directory files', () => {
  it('reads YAML and CSV into the same shape, and names a bad entry', () => {
    const yaml = readDirectoryFile(fixture('directory.yaml'));
    expect(yaml.companies).toEqual([{ id: 'acme', name: 'Acme Corp' }, { id: 'globex', name: 'Globex Inc' }]);
    expect(yaml.users[0]).toMatchObject({ id: 'alice.acme', contracts: ['C-ACME-1'], profileCompany: 'acme', companies: { acme: 'administrator' }, schAdmin: false });
    const csv = readDirectoryFile(fixture('directory.csv'));
    expect(csv.users.find((u) => u.id === 'alice.acme')).toMatchObject({ contracts: ['C-ACME-1', 'C-ACME-2'], companies: { acme: 'administrator', globex: 'user' } });
    expect(csv.users.find((u) => u.id === 'sam.cisco')).toMatchObject({ schAdmin: true, companies: {} });
    expect(() => readDirectoryFile(fixture('directory.json-missing'))).toThrow(/cannot be read/);
  });
});

describe('on a back end', () => {
  let b: TestBackend;
  const PASSWORD = 'a long enough password';
  const login = async (user: string): Promise<string> => {
    const r = await api<{ token: string; legalAgreement: { version: string } }>(b.url, '/login', { method: 'POST', body: { user, password: PASSWORD }, token: null });
    expect(r.status).toBe(200);
    await api(b.url, '/agreement', { method: 'POST', body: { version: r.body.legalAgreement.version }, token: r.body.token });
    return r.body.token;
  };

  beforeAll(async () => {
    b = await startTestBackend({ smtpPort: null });
    const users = [
      { id: 'nina.initech', name: 'Nina', email: 'nina@initech.example', password: PASSWORD, profileCompany: 'initech', contracts: ['C-INIT-1'] },
      { id: 'ivan.initech', name: 'Ivan', email: 'ivan@initech.example', password: PASSWORD, companies: { initech: 'user' } },
      { id: 'olga.other', name: 'Olga', email: 'olga@other.example', password: PASSWORD },
    ];
    expect((await api(b.url, '/directory', { method: 'POST', body: { companies: [{ id: 'initech', name: 'Initech' }], users } })).status).toBe(200);
    // The back office (S13–S16): INIT01 is Initech's but uncovered, so a trial needs an eligible profile contract.
    const backOffice = {
      contracts: [{ number: 'C-INIT-1', type: 'direct', company: 'initech', expires: '2099-12-31', remoteSupport: true }],
      installedBase: [{ serial: 'INIT01', family: 'CSR1000v Cloud Services Router', company: 'initech' }],
    };
    expect((await api(b.url, '/contracts', { method: 'POST', body: { backOffice } })).status).toBe(200);
  });
  afterAll(async () => {
    await b.stop();
  });

  it('registers a device without a contract to the confirming user’s profile company, and makes them its Administrator (S27)', async () => {
    await send(b, { serialNumber: 'INIT01', hostname: 'initech-r1', contactEmail: 'noc@initech.example', kind: 'inventory' });
    const note = await api<{ notifications: { serial: string; body: string }[] }>(b.url, '/notifications');
    const token = /Security token: (\S+)/.exec(note.body.notifications.find((n) => n.serial === 'INIT01')?.body ?? '')?.[1] ?? '';
    // A user whose profile holds no eligible contract cannot take the device (S14; nor into nowhere, S27).
    const olga = await login('olga.other');
    const refused = await api<{ error: string; reason: string }>(b.url, '/registrations/INIT01/confirm', { method: 'POST', body: { token }, token: olga });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('no-eligible-contract');
    expect(refused.body.reason).toMatch(/olga\.other holds no eligible contract/);
    const nina = await login('nina.initech');
    const r = await api<{ registration: { company: string; state: string } }>(b.url, '/registrations/INIT01/confirm', { method: 'POST', body: { token }, token: nina });
    expect(r.status).toBe(200);
    expect(r.body.registration).toMatchObject({ company: 'initech', state: 'trial' });
    const me = await api<{ companies: { company: string; role: string }[] }>(b.url, '/me', { token: nina });
    expect(me.body.companies).toEqual([{ company: 'initech', role: 'administrator' }]);
    const devices = await api<{ devices: { serial: string; company: string }[] }>(b.url, '/devices', { token: nina });
    expect(devices.body.devices).toEqual([expect.objectContaining({ serial: 'INIT01', company: 'initech' })]);
    expect((await api<{ devices: unknown[] }>(b.url, '/devices', { token: olga })).status).toBe(403);
  });

  it('refuses to delete a user who is a device’s SR contact until another is chosen (S30)', async () => {
    // Nina confirmed INIT01 in the test above: she is its registrant, so its SR contact while none is set.
    const refused = await api<{ error: string; reason: string }>(b.url, '/users/nina.initech/companies/initech', { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'sr-contact', reason: expect.stringContaining('SR contact of INIT01') });
    const me = await api<{ companies: { company: string }[] }>(b.url, '/me', { token: await login('nina.initech') });
    expect(me.body.companies.map((c) => c.company)).toEqual(['initech']);
  });

  it('stops streaming a company’s events to a user as soon as they are removed from it', { timeout: 30_000 }, async () => {
    const ivan = await login('ivan.initech');
    const nina = await login('nina.initech');
    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/events`, { headers: { authorization: `Bearer ${ivan}` } });
    const events: BackendEvent[] = [];
    ws.on('message', (d) => {
      const f = StreamFrameSchema.parse(JSON.parse(String(d)));
      if ('seq' in f) events.push(f);
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await send(b, { serialNumber: 'INIT01', hostname: 'initech-r1', kind: 'syslog', description: 'before removal' });
    await waitFor(() => events.some((e) => e.type === 'message.received' && e.message.description === 'before removal'), 10_000, 'the message before removal');
    expect((await api(b.url, '/users/ivan.initech/companies/initech', { method: 'DELETE', token: nina })).status).toBe(200);
    // The role change reaches open streams through the audit event; give it a moment to re-read the roles.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await send(b, { serialNumber: 'INIT01', hostname: 'initech-r1', kind: 'syslog', description: 'after removal' });
    const fence = await b.service.log.append({ type: 'listener.status', listener: 'http', state: 'listening', port: b.httpPort, error: null });
    await waitFor(() => events.some((e) => e.seq === fence.seq), 10_000, 'the fence');
    ws.close();
    expect(events.some((e) => e.type === 'message.received' && e.message.description === 'after removal')).toBe(false);
  });
});
