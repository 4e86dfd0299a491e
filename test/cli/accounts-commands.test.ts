/**
 * `callhome login|logout|whoami|users|companies|tokens|audit` against a real back end over HTTP (issue 15):
 * the token is stored only in a 0600 file (never settings, never printed), roles are explained on 403, and
 * every change shows up in the audit log.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../commands/audit.js';
import { runCompanies } from '../../commands/companies.js';
import { runLogin } from '../../commands/login.js';
import { runLogout } from '../../commands/logout.js';
import { runTokens } from '../../commands/tokens.js';
import { runUsers } from '../../commands/users.js';
import { runWhoami } from '../../commands/whoami.js';
import type { AccountsDeps } from '../../src/client/accounts.js';
import { sessionPaths } from '../../src/session.js';
import { api, startTestBackend, type TestBackend } from '../backend/helpers.js';

const PASSWORDS = { alice: 'alice-secret-1', bob: 'bob-secret-22', carol: 'carol-secret-3' } as const;

let b: TestBackend;
let home: string;

/** Deps of one person at their own terminal-less shell: their config directory and their password in the environment. */
function as(who: keyof typeof PASSWORDS, out: { text: string }): AccountsDeps {
  return { stdout: (t) => (out.text += t), env: { CALLHOME_CONFIG_DIR: join(home, who), CALLHOME_LOGIN_PASSWORD: PASSWORDS[who] } };
}

async function run(f: (deps: AccountsDeps) => Promise<void>, who: keyof typeof PASSWORDS): Promise<string> {
  const out = { text: '' };
  await f(as(who, out));
  return out.text;
}

beforeAll(async () => {
  b = await startTestBackend();
  home = mkdtempSync(join(tmpdir(), 'callhome-accounts-cli-'));
  const directory = {
    companies: [
      { id: 'acme', name: 'Acme Corp' },
      { id: 'globex', name: 'Globex' },
    ],
    users: [
      { id: 'alice', name: 'Alice Admin', email: 'alice@acme.example', password: PASSWORDS.alice, companies: { acme: 'administrator' } },
      { id: 'bob', name: 'Bob User', email: 'bob@globex.example', password: PASSWORDS.bob, companies: { globex: 'user' } },
      { id: 'carol', name: 'Carol New', email: 'carol@acme.example', password: PASSWORDS.carol },
    ],
  };
  const r = await api(b.url, '/directory', { method: 'POST', body: directory });
  expect(r.status).toBe(200);
});

afterAll(async () => {
  await b.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('callhome login', () => {
  it('stores the personal token in a 0600 file only, accepts the legal agreement, and never prints the token', async () => {
    const out = await run((d) => runLogin({ backend: b.url, user: 'alice', acceptAgreement: true, json: false }, d), 'alice');
    const paths = sessionPaths(join(home, 'alice'), b.url);
    const token = readFileSync(paths.tokenFile, 'utf8').trim();
    expect(token).toMatch(/^sch_/);
    expect(statSync(paths.tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(out).toContain('Logged in to');
    expect(out).toContain('Administrator of acme');
    expect(out).toContain(paths.tokenFile);
    expect(out).not.toContain(token);
    // Nothing else under the config directory holds the token (settings, the session's .json).
    for (const f of readdirSync(paths.dir)) if (join(paths.dir, f) !== paths.tokenFile) expect(readFileSync(join(paths.dir, f), 'utf8')).not.toContain(token);
    const whoami = JSON.parse(await run((d) => runWhoami({ backend: b.url, json: true }, d), 'alice')) as { me: { user: string; status: string }; tokenSource: string };
    expect(whoami).toMatchObject({ me: { user: 'alice', status: 'active' }, tokenSource: 'session' });
  });

  it('refuses a wrong password without saying which of user or password was wrong', async () => {
    const out = { text: '' };
    const deps: AccountsDeps = { stdout: (t) => (out.text += t), env: { CALLHOME_CONFIG_DIR: join(home, 'mallory'), CALLHOME_LOGIN_PASSWORD: 'not-it-at-all' } };
    await expect(runLogin({ backend: b.url, user: 'alice', json: false }, deps)).rejects.toMatchObject({ message: `The back end at ${b.url} refused the login of alice.`, tryMessage: 'Check the user ID and the password.' });
  });

  it('leaves a pending legal agreement pending without --accept-agreement, and says how to accept it', async () => {
    const out = await run((d) => runLogin({ backend: b.url, user: 'bob', json: false }, d), 'bob');
    expect(out).toContain('is not accepted');
    expect(out).toContain('--accept-agreement');
    await expect(run((d) => runUsers({ backend: b.url, action: 'list', json: false }, d), 'bob')).rejects.toMatchObject({
      message: expect.stringMatching(/^Refused \(403\): Accept the legal agreement first/) as unknown as string,
      tryMessage: expect.stringContaining('--accept-agreement') as unknown as string,
    });
    const again = JSON.parse(await run((d) => runLogin({ backend: b.url, user: 'bob', acceptAgreement: true, json: true }, d), 'bob')) as { legalAgreement: { accepted: boolean }; tokenFile: string };
    expect(again.legalAgreement.accepted).toBe(true);
  });
});

describe('users, companies, tokens, audit', () => {
  it('lists only the caller’s companies and their users', async () => {
    const companies = JSON.parse(await run((d) => runCompanies({ backend: b.url, json: true }, d), 'bob')) as { companies: { id: string }[] };
    expect(companies.companies.map((c) => c.id)).toEqual(['globex']);
    const users = await run((d) => runUsers({ backend: b.url, action: 'list', json: false }, d), 'bob');
    expect(users).toContain('bob');
    expect(users).not.toContain('alice');
  });

  it('explains a 403 with the role the action needs', async () => {
    const refused = run((d) => runUsers({ backend: b.url, action: 'add', id: 'carol', company: 'globex', json: false }, d), 'bob');
    await expect(refused).rejects.toMatchObject({
      message: expect.stringMatching(/^Refused \(403\): Adding a user needs the Administrator role in the company concerned .*The back end said: /) as unknown as string,
      tryMessage: expect.stringContaining('Ask an Administrator') as unknown as string,
    });
    await expect(run((d) => runAudit({ backend: b.url, json: false }, d), 'bob')).rejects.toThrow(/Reading the audit log needs the Administrator role/);
  });

  it('lets an Administrator add a user, change the role, refuse the last administrator, and delete', async () => {
    const added = await run((d) => runUsers({ backend: b.url, action: 'add', id: 'carol', company: 'acme', role: 'user', json: false }, d), 'alice');
    expect(added).toContain('Added carol (Carol New): User of acme');
    // Carol has no contract of acme in her profile: Administrator is refused (S28), in the back end's words.
    await expect(run((d) => runUsers({ backend: b.url, action: 'role', id: 'carol', role: 'admin', company: 'acme', json: false }, d), 'alice')).rejects.toThrow(/^Refused \(403\): carol cannot be an Administrator: no supported contract/);
    await expect(run((d) => runUsers({ backend: b.url, action: 'role', id: 'alice', role: 'user', company: 'acme', json: false }, d), 'alice')).rejects.toThrow(/last Administrator/);
    await expect(run((d) => runUsers({ backend: b.url, action: 'add', id: 'alice', company: 'acme', json: false }, d), 'alice')).rejects.toThrow(/already registered|Self-registration/);
    const deleted = JSON.parse(await run((d) => runUsers({ backend: b.url, action: 'delete', id: 'carol', company: 'acme', json: true }, d), 'alice')) as unknown;
    expect(deleted).toEqual({ deleted: { user: 'carol', company: 'acme' } });
    await expect(run((d) => runUsers({ backend: b.url, action: 'delete', id: 'carol', json: false }, d), 'alice')).rejects.toThrow(/Missing --company/);
  });

  it('shows what was done in the audit log, newest first, to the Administrator', async () => {
    const audit = JSON.parse(await run((d) => runAudit({ backend: b.url, json: true }, d), 'alice')) as { entries: { action: string; actor: string; target: string; company: string | null }[] };
    const mine = audit.entries.filter((e) => e.company === 'acme').map((e) => `${e.actor} ${e.action} ${e.target}`);
    expect(mine.slice(0, 2)).toEqual(['alice user.deleted carol', 'alice user.added carol']);
    expect(audit.entries.every((e) => e.company === 'acme' || e.company === null)).toBe(true);
    const table = await run((d) => runAudit({ backend: b.url, max: 1, json: false }, d), 'alice');
    expect(table).toContain('user.deleted');
    expect(table).not.toContain('user.added');
    await expect(run((d) => runAudit({ backend: b.url, max: 0, json: false }, d), 'alice')).rejects.toThrow(/--max 0 is not a whole number from 1 to 1000/);
  });

  it('lists tokens without their secrets, revokes one, and refuses it at once', async () => {
    const second = { text: '' };
    // A second login of alice from another machine (another config directory).
    await runLogin({ backend: b.url, user: 'alice', json: true }, { stdout: (t) => (second.text += t), env: { CALLHOME_CONFIG_DIR: join(home, 'alice-laptop'), CALLHOME_LOGIN_PASSWORD: PASSWORDS.alice } });
    const laptop = JSON.parse(second.text) as { tokenId: string; tokenFile: string };
    const laptopToken = readFileSync(laptop.tokenFile, 'utf8').trim();
    const listed = await run((d) => runTokens({ backend: b.url, action: 'list', json: true }, d), 'alice');
    expect(listed).toContain(laptop.tokenId);
    expect(listed).not.toContain(laptopToken);
    expect(await run((d) => runTokens({ backend: b.url, action: 'revoke', id: laptop.tokenId, json: false }, d), 'alice')).toContain(`Token ${laptop.tokenId} revoked`);
    const refused = runWhoami({ backend: b.url, json: false }, { stdout: () => undefined, env: { CALLHOME_CONFIG_DIR: join(home, 'alice-laptop') } });
    await expect(refused).rejects.toMatchObject({ message: `The back end at ${b.url} refused your login token (it expired or was revoked).`, tryMessage: 'Log in again with `callhome login USER`.' });
  });
});

describe('callhome logout', () => {
  it('revokes the token at the back end and removes its files', async () => {
    const paths = sessionPaths(join(home, 'bob'), b.url);
    const token = readFileSync(paths.tokenFile, 'utf8').trim();
    expect(await run((d) => runLogout({ backend: b.url, json: false }, d), 'bob')).toContain('Logged out bob');
    expect(() => statSync(paths.tokenFile)).toThrow();
    expect((await api(b.url, '/me', { token })).status).toBe(401);
    expect(await run((d) => runLogout({ backend: b.url, json: false }, d), 'bob')).toContain('Not logged in');
    await expect(run((d) => runWhoami({ backend: b.url, json: false }, d), 'bob')).rejects.toThrow(/No API token/);
  });

  it('refuses a token file others can read', async () => {
    const { chmodSync } = await import('node:fs');
    const paths = sessionPaths(join(home, 'alice'), b.url);
    chmodSync(paths.tokenFile, 0o644);
    await expect(run((d) => runWhoami({ backend: b.url, json: false }, d), 'alice')).rejects.toThrow(/can be read by other users/);
    chmodSync(paths.tokenFile, 0o600);
    expect(await run((d) => runWhoami({ backend: b.url, json: false }, d), 'alice')).toContain('alice (Alice Admin)');
  });
});
