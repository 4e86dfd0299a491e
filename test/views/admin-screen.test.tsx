/**
 * The console's accounts parts (issue 15) through ink-testing-library against a real back end: the
 * status line says who is logged in for which companies; the Admin screen (users & roles, tokens, a live
 * audit log) is offered to administrators only; its actions are confirmed with y and what the back end
 * refuses is shown in its words; a User is offered none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/client/api-client.js';
import { api, startTestBackend, type TestBackend } from '../backend/helpers.js';
import { renderLiveConsole, type LiveConsole } from './live-console.js';
import { waitFor } from './wait.js';

const KEY = { down: '\u001B[B', esc: '\u001B' };
let b: TestBackend;

/** Logs a directory user in over the API and accepts the legal agreement; returns the personal token. */
async function tokenOf(user: string, password: string): Promise<string> {
  const login = await api<{ token: string; legalAgreement: { version: string } }>(b.url, '/login', { method: 'POST', body: { user, password }, token: null });
  expect(login.status).toBe(200);
  await api(b.url, '/agreement', { method: 'POST', body: { version: login.body.legalAgreement.version }, token: login.body.token });
  return login.body.token;
}

/** A console on the live back end acting with `token`. */
function openConsole(token: string): Promise<LiveConsole> {
  return renderLiveConsole(b.url, createApiClient({ url: b.url, token }), token);
}

beforeAll(async () => {
  b = await startTestBackend();
  const r = await api(b.url, '/directory', {
    method: 'POST',
    body: {
      companies: [
        { id: 'acme', name: 'Acme Corp' },
        { id: 'globex', name: 'Globex' },
      ],
      users: [
        { id: 'alice', name: 'Alice Admin', email: 'alice@acme.example', password: 'alice-secret-1', companies: { acme: 'administrator' } },
        { id: 'bob', name: 'Bob User', email: 'bob@globex.example', password: 'bob-secret-22', companies: { globex: 'user' } },
        { id: 'carol', name: 'Carol New', email: 'carol@acme.example', password: 'carol-secret-3' },
      ],
    },
  });
  expect(r.status).toBe(200);
});

afterAll(async () => {
  await b.stop();
});

describe('console for an Administrator', () => {
  let c: LiveConsole;
  let aliceToken: string;
  beforeAll(async () => {
    aliceToken = await tokenOf('alice', 'alice-secret-1');
    c = await openConsole(aliceToken);
  });
  afterAll(() => c.close());

  it('shows who is logged in, for which company, and offers the Admin screen', async () => {
    await c.has('alice (Alice Admin) · Administrator of acme');
    expect(c.frame()).toContain('8:admin');
  });

  it('lists the users of the company with their roles, and tokens without their values', async () => {
    await c.press('8');
    await c.has('u users & roles');
    await c.has(/acme\s+alice\s+Alice Admin\s+Administrator\s+active/);
    // Alice's own row offers nothing: no deleting or demoting oneself from here.
    expect(c.frame()).not.toContain('d delete from company');
    await c.press('o');
    await c.has(/callhome|login|active/);
    expect(c.frame()).not.toContain(aliceToken);
  });

  it('deletes a user after y, and the audit log shows it live', async () => {
    const added = await api(b.url, '/users', { method: 'POST', body: { user: 'carol', company: 'acme', role: 'user' }, token: aliceToken });
    expect(added.status).toBe(201);
    await c.press('u');
    await c.press('r');
    await c.has(/acme\s+carol\s+Carol New\s+User/);
    // Rows are sorted by company then user: alice, carol.
    await c.press(KEY.down);
    await c.has('d delete from company');
    expect(c.frame()).toContain('m make Administrator');
    await c.press('d');
    await c.has('Delete carol from acme? (y = yes, n/Esc = cancel)');
    await c.press('y');
    await c.has('carol deleted from acme');
    await waitFor(() => !/acme\s+carol/.test(c.frame()), c.frame);
    await c.press('l');
    await c.has(/alice\s+user\.deleted\s+carol\s+acme/);
    // Live: an action taken elsewhere arrives on the stream, no reload.
    expect((await api(b.url, '/users', { method: 'POST', body: { user: 'carol', company: 'acme', role: 'user' }, token: aliceToken })).status).toBe(201);
    await c.has(/alice\s+user\.added\s+carol\s+acme/);
  });

  it("shows the back end's refusal in its words (an Administrator needs a contract of the company, S28)", async () => {
    // Carol is back (added above); making her Administrator needs a contract of acme in her profile (S28).
    await c.press('u');
    await c.press('r');
    await c.has(/acme\s+carol/);
    await c.press(KEY.down);
    await c.press('m');
    await c.has('Make carol Administrator of acme?');
    await c.press('y');
    await c.has(/Refused \(403\): carol cannot be an Administrator: no supported\s+contract/);
  });
});

describe('console for a User', () => {
  let c: LiveConsole;
  beforeAll(async () => {
    c = await openConsole(await tokenOf('bob', 'bob-secret-22'));
  });
  afterAll(() => c.close());

  it('shows the role, and neither offers nor opens the Admin screen', async () => {
    await c.has('bob (Bob User) · User of globex');
    expect(c.frame()).not.toContain('admin');
    await c.press('8');
    await c.press(':');
    for (const ch of 'admin') await c.press(ch);
    await c.press('\r');
    await c.press('?');
    await c.has('Keys (Esc closes)');
    const help = c.frame();
    expect(help).not.toContain('Admin:');
    expect(help).toContain('Confirm the pending device');
    expect(c.store.getState().screen).not.toBe('admin');
  });
});
