/**
 * Issue 15: personal tokens and the people's rules, over real HTTP, WebSocket and SQLite. Tokens and passwords
 * are stored only as hashes (the database file is read back); tokens expire; a revoked token is refused at once
 * and its open stream is closed; wrong passwords are throttled like wrong tokens; the legal agreement gates
 * everything; the spec's refusals (self-registration, last Administrator, no contract); the audit log is
 * append-only and scoped.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, startTestBackend, TOKEN, type TestBackend } from '../helpers.js';

const PASSWORD = 'a long enough password';
let b: TestBackend;

const directory = {
  companies: [{ id: 'acme', name: 'Acme' }, { id: 'globex', name: 'Globex' }],
  users: [
    { id: 'alice.acme', name: 'Alice', email: 'alice@acme.example', password: PASSWORD, contracts: ['C-acme'], companies: { acme: 'administrator' } },
    { id: 'aaron.acme', name: 'Aaron', email: 'aaron@acme.example', password: PASSWORD, companies: { acme: 'user' } },
    { id: 'gina.globex', name: 'Gina', email: 'gina@globex.example', password: PASSWORD, contracts: ['C-globex'], companies: { globex: 'administrator' } },
    { id: 'nora.new', name: 'Nora', email: 'nora@acme.example', password: PASSWORD },
  ],
};

async function login(user: string, password = PASSWORD) {
  return api<{ token: string; tokenId: string; expiresAt: string; legalAgreement: { version: string; accepted: boolean } }>(b.url, '/login', { method: 'POST', body: { user, password }, token: null });
}
async function loggedIn(user: string): Promise<string> {
  const r = await login(user);
  expect(r.status).toBe(200);
  const version = r.body.legalAgreement.version;
  if (!r.body.legalAgreement.accepted) expect((await api(b.url, '/agreement', { method: 'POST', body: { version }, token: r.body.token })).status).toBe(200);
  return r.body.token;
}

beforeAll(async () => {
  b = await startTestBackend({ smtpPort: null, authThrottle: { freeFailures: 3 } });
  expect((await api(b.url, '/directory', { method: 'POST', body: directory })).status).toBe(200);
  expect((await api(b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: 'ACME01', contractNumber: 'C-acme', company: 'acme' }] } })).status).toBe(200);
});
afterAll(async () => {
  await b.stop();
});

describe('personal tokens', () => {
  it('are stored only as hashes: the database file holds neither a token nor a password', async () => {
    const first = await loggedIn('alice.acme');
    const extra = await api<{ token: string }>(b.url, '/tokens', { method: 'POST', body: { label: 'script' }, token: first });
    expect(extra.status).toBe(201);
    const files = ['callhome.db', 'callhome.db-wal'].map((f) => join(b.dir, f)).filter((f) => existsSync(f));
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    for (const secret of [first, extra.body.token, PASSWORD, TOKEN]) expect(bytes.includes(Buffer.from(secret)), 'a secret in the database file').toBe(false);
    // What is there instead: the SHA-256 of the token (so the search above can find what it looks for).
    expect(bytes.includes(Buffer.from(createHash('sha256').update(first).digest('hex')))).toBe(true);
  });

  it('carry the user into every request, and are listed without their value', async () => {
    const token = await loggedIn('aaron.acme');
    const me = await api<{ user: string; companies: { company: string; role: string }[] }>(b.url, '/me', { token });
    expect(me.body).toMatchObject({ user: 'aaron.acme', companies: [{ company: 'acme', role: 'user' }] });
    const list = await api<{ tokens: Record<string, unknown>[] }>(b.url, '/tokens', { token });
    expect(list.body.tokens.length).toBeGreaterThan(0);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(list.body.tokens[0]).toMatchObject({ user: 'aaron.acme', state: 'active' });
  });

  it('expire, and an open stream of an expired token is closed at the next heartbeat', { timeout: 30_000 }, async () => {
    const short = await startTestBackend({ smtpPort: null, tokenTtlMs: 4_000, streamPingIntervalMs: 200 });
    try {
      await api(short.url, '/directory', { method: 'POST', body: directory });
      const r = await api<{ token: string; expiresAt: string; legalAgreement: { version: string } }>(short.url, '/login', { method: 'POST', body: { user: 'alice.acme', password: PASSWORD }, token: null });
      expect((await api(short.url, '/agreement', { method: 'POST', body: { version: r.body.legalAgreement.version }, token: r.body.token })).status).toBe(200);
      const ws = new WebSocket(`${short.url.replace('http', 'ws')}/events`, { headers: { authorization: `Bearer ${r.body.token}` } });
      const closed = new Promise<{ code: number; at: number }>((resolve) => ws.once('close', (code) => resolve({ code, at: Date.now() })));
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const end = await closed;
      expect(end.code).toBe(4401);
      expect(end.at).toBeGreaterThanOrEqual(Date.parse(r.body.expiresAt));
      await new Promise((resolve) => setTimeout(resolve, Date.parse(r.body.expiresAt) - Date.now() + 100));
      const after = await api<{ reason: string }>(short.url, '/me', { token: r.body.token });
      expect(after.status).toBe(401);
      expect(after.body.reason).toMatch(/expired or revoked/);
      const listed = await api<{ tokens: { state: string }[] }>(short.url, '/tokens?user=alice.acme', {});
      expect(listed.body.tokens.map((t) => t.state)).toEqual(['expired']);
    } finally {
      await short.stop();
    }
  });

  it('are revoked at once: the next request is 401 and an open stream is closed with 4401', async () => {
    const token = await loggedIn('alice.acme');
    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/events`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const started = Date.now();
    expect((await api(b.url, '/tokens/current', { method: 'DELETE', token })).status).toBe(200);
    expect(await closed).toBe(4401);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await api(b.url, '/me', { token })).status).toBe(401);
  });

  it('is refused for a wrong password or an unknown user alike, and throttled like a wrong token', async () => {
    const wrong = await login('alice.acme', 'not the password');
    const unknown = await login('nobody.here', 'not the password');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual(unknown.body);
    await login('alice.acme', 'still wrong');
    const throttled = await login('alice.acme', 'wrong again');
    expect(throttled.status).toBe(429);
    // The right password always passes.
    expect((await login('alice.acme')).status).toBe(200);
  });

  it('keeps the bootstrap token (serve --token) working as an SCH administrator', async () => {
    const me = await api<{ schAdmin: boolean }>(b.url, '/me');
    expect(me.body.schAdmin).toBe(true);
    expect((await api(b.url, '/users')).status).toBe(200);
  });
});

describe('people', () => {
  it('gates everything behind the legal agreement until accepted, and again for a new version', async () => {
    const r = await login('gina.globex');
    expect(r.body.legalAgreement.accepted).toBe(false);
    const refused = await api<{ error: string; reason: string }>(b.url, '/devices', { token: r.body.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('legal-agreement');
    expect(refused.body.reason).toMatch(/legal agreement/);
    const wrongVersion = await api(b.url, '/agreement', { method: 'POST', body: { version: '1999-01' }, token: r.body.token });
    expect(wrongVersion.status).toBe(409);
    expect((await api(b.url, '/agreement', { method: 'POST', body: { version: r.body.legalAgreement.version }, token: r.body.token })).status).toBe(200);
    expect((await api(b.url, '/devices', { token: r.body.token })).status).toBe(200);
  });

  it('refuses self-registration, a role the profile does not allow, the last Administrator, and another company', async () => {
    const alice = await loggedIn('alice.acme');
    const aaron = await loggedIn('aaron.acme');
    const expectRefusal = async (token: string, path: string, method: string, body: unknown, status: number, error: string) => {
      const r = await api<{ error: string; reason: string }>(b.url, path, { method, body, token });
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(r.body.error, `${method} ${path}`).toBe(error);
      expect(r.body.reason.length).toBeGreaterThan(20);
    };
    await expectRefusal(alice, '/users', 'POST', { user: 'alice.acme', company: 'acme', role: 'user' }, 403, 'self-registration');
    await expectRefusal(alice, '/users', 'POST', { user: 'nora.new', company: 'acme', role: 'administrator' }, 403, 'no-contract');
    await expectRefusal(alice, '/users', 'POST', { user: 'ghost.user', company: 'acme', role: 'user' }, 404, 'unknown-user');
    await expectRefusal(alice, '/users', 'POST', { user: 'nora.new', company: 'globex', role: 'user' }, 403, 'forbidden');
    await expectRefusal(aaron, '/users', 'POST', { user: 'nora.new', company: 'acme', role: 'user' }, 403, 'forbidden');
    await expectRefusal(alice, '/users/alice.acme/companies/acme', 'DELETE', undefined, 409, 'last-administrator');
    await expectRefusal(alice, '/users/alice.acme/companies/acme', 'PUT', { role: 'user' }, 409, 'last-administrator');
    const added = await api<{ companies: { company: string; role: string }[] }>(b.url, '/users', { method: 'POST', body: { user: 'nora.new', company: 'acme', role: 'user' }, token: alice });
    expect(added.status).toBe(201);
    expect(added.body.companies).toEqual([expect.objectContaining({ company: 'acme', role: 'user' })]);
    expect((await api(b.url, '/users/nora.new/companies/acme', { method: 'DELETE', token: alice })).status).toBe(200);
  });

  it('keeps an append-only audit log, read by Administrators for their companies only', async () => {
    const alice = await loggedIn('alice.acme');
    const gina = await loggedIn('gina.globex');
    const aaron = await loggedIn('aaron.acme');
    const acme = await api<{ entries: { actor: string; action: string; company: string | null; remote: string | null }[] }>(b.url, '/audit', { token: alice });
    expect(acme.status).toBe(200);
    expect(acme.body.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['user.added', 'user.deleted']));
    expect(acme.body.entries.every((e) => e.company === 'acme')).toBe(true);
    expect(acme.body.entries[0]?.remote).toMatch(/127\.0\.0\.1/);
    const globex = await api<{ entries: { company: string }[] }>(b.url, '/audit', { token: gina });
    expect(globex.body.entries.every((e) => e.company === 'globex')).toBe(true);
    expect((await api(b.url, '/audit', { token: aaron })).status).toBe(403);
    // Append-only in the database itself.
    const all = await api<{ entries: unknown[] }>(b.url, '/audit');
    expect(all.body.entries.length).toBeGreaterThan(acme.body.entries.length);
  });
});

describe('the audit table', () => {
  it('refuses UPDATE and DELETE', async () => {
    const other = await startTestBackend({ smtpPort: null });
    await api(other.url, '/directory', { method: 'POST', body: directory });
    const file = join(other.dir, 'callhome.db');
    await other.close();
    const db = new Database(file);
    try {
      expect(db.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: 1 });
      expect(() => db.prepare("UPDATE audit SET actor = 'someone else'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    } finally {
      db.close();
      await other.stop().catch(() => undefined);
    }
  });
});
