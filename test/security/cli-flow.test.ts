/**
 * Threats checked through the real `callhome` executable (bin/callhome.js) against a real lab and a
 * real `callhome serve` process:
 *
 * 1. A changed host key (man in the middle, or a re-keyed device): `push` refuses the device before
 *    logging in. The JSON result names the device and the `ssh-keygen -R` fix, and the device's
 *    running configuration is unchanged (nothing was sent). Unit-level cases (hashed, wildcard,
 *    revoked, unknown hosts) are in test/fleet/known-hosts.test.ts; the handler-level fault run in
 *    test/fleet/lab-fleet.test.ts.
 * 2. Secrets leaking into settings, logs or output. A realistic run uses distinctive secrets: the
 *    back-end token (env), device password and enable secret (inventory `*-env` and literal), a
 *    wrong password for a failing login, a wrong API token, and a registration security token.
 *    It runs `config set` (including an attempt to store the token), `push` with a failing login and
 *    a changed key, `serve` with debug logs, API calls with the right and wrong token, and a
 *    registration confirm. Then every settings file (CALLHOME_CONFIG_DIR), the push's session
 *    transcripts (--log-dir), the serve log and every captured stdout/stderr are searched for each
 *    secret: none may appear.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { sampleWith } from '../backend/helpers.js';
import { rawRequest } from './helpers.js';
import { trialFixture } from '../backend/entitlement/fixtures.js';
import { DDCE_SERVICE_PATH } from '../../src/domain/callhome.js';

const id = randomBytes(4).toString('hex');
const SECRETS = {
  devicePassword: `PwLab-${id}-q7`,
  enableSecret: `EnLab-${id}-z3`,
  wrongPassword: `PwWrong-${id}-k1`,
  backendToken: `TokBack-${id}-m9xx`,
  wrongToken: `TokWrong-${id}-p2`,
};

const dir = mkdtempSync(join(tmpdir(), 'callhome-secflow-'));
const configDir = join(dir, 'config');
const inventory = join(dir, 'inventory.yaml');
const knownHosts = join(dir, 'known_hosts');
const desired = new URL('../fixtures/desired/cli-md-example.yaml', import.meta.url).pathname;
const serveLog = join(dir, 'serve.log');
/** Session transcripts of the push (`--log-dir`): what was typed at each device, secrets masked. */
const logDir = join(dir, 'sessions');
/** Everything the executable printed, kept for the secrets search. */
const outputs: string[] = [];
let lab: Lab;
let serve: ChildProcess | null = null;
let registrationToken = '';

const env = (): NodeJS.ProcessEnv => ({ ...process.env, CALLHOME_CONFIG_DIR: configDir, LAB_PW: SECRETS.devicePassword, LAB_EN: SECRETS.enableSecret, WRONG_PW: SECRETS.wrongPassword, CALLHOME_TOKEN: SECRETS.backendToken, NO_COLOR: '1' });

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/callhome.js', ...args], { env: env(), timeout: 60_000 }, (error, stdout, stderr) => {
      outputs.push(stdout, stderr);
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  mkdirSync(configDir, { recursive: true });
  lab = await startLab({ devices: 3, stateDir: join(dir, 'lab'), username: 'netops', password: SECRETS.devicePassword, enableSecret: SECRETS.enableSecret, faults: { r2: { changedHostKey: true } } });
  await lab.writeKnownHosts(knownHosts);
  const host = (name: string): { host: string; port: number } => ({ host: '127.0.0.1', port: lab.device(name).port });
  writeFileSync(
    inventory,
    stringify({
      defaults: { username: 'netops', 'password-env': 'LAB_PW', 'enable-secret-env': 'LAB_EN' },
      hosts: { r1: host('r1'), r2: host('r2'), r3: { ...host('r3'), 'password-env': 'WRONG_PW' } },
    }),
  );
}, 60_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve?.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

type FleetDoc = { results: { host: string; ok: boolean; changed: boolean; error: { kind: string; message: string } | null }[]; summary: Record<string, number> };

describe('a changed host key, through the executable', () => {
  it('refuses the device, names it and the ssh-keygen -R fix, and sends it nothing', async () => {
    const before = JSON.stringify(lab.device('r2').device.running());
    const r = await run(['push', '--inventory', inventory, '--known-hosts', knownHosts, '-c', desired, '--json', '--timeout', '20', '--log-dir', logDir]);
    const doc = JSON.parse(r.stdout) as FleetDoc;
    const byHost = Object.fromEntries(doc.results.map((x) => [x.host, x]));
    expect(byHost['r1']).toMatchObject({ ok: true, changed: true });
    expect(byHost['r2']?.ok).toBe(false);
    expect(byHost['r2']?.error?.kind).toBe('hostkey');
    expect(byHost['r2']?.error?.message).toMatch(/^r2: the host key of \[127\.0\.0\.1\]:\d+ has CHANGED/);
    expect(byHost['r2']?.error?.message).toContain(`ssh-keygen -R "[127.0.0.1]:${lab.device('r2').port}" -f ${knownHosts}`);
    expect(JSON.stringify(lab.device('r2').device.running())).toBe(before);
    // The failing login (wrong password) is reported as such.
    expect(byHost['r3']?.error?.kind, JSON.stringify(byHost['r3'])).toBe('auth');
    expect(r.code).toBe(2);
  }, 90_000);
});

describe('no secret in settings, logs or output', () => {
  it('config set refuses to store a token and keeps only non-secret settings', async () => {
    const [bad, good] = await Promise.all([run(['config', 'set', 'token', SECRETS.backendToken]), run(['config', 'set', 'concurrency', '20'])]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/never stored/);
    expect(good.code).toBe(0);
  }, 60_000);

  it('serve with debug logs, API calls with right and wrong tokens, and a registration confirm', async () => {
    const logFd = (await import('node:fs')).openSync(serveLog, 'w');
    serve = spawn(process.execPath, ['bin/callhome.js', 'serve', '--http-port', '0', '--smtp-port', '0', '--db', join(dir, 'callhome.db'), '--relay', '127.0.0.1:1', '--json'], {
      env: { ...env(), CALLHOME_LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', logFd],
    });
    const ready = await new Promise<{ http: number }>((resolve, reject) => {
      serve?.once('exit', (code) => reject(new Error(`serve exited ${code ?? '?'}: ${readFileSync(serveLog, 'utf8')}`)));
      createInterface({ input: serve!.stdout! }).on('line', (line) => {
        outputs.push(line);
        if (line.includes('"ready"')) resolve(JSON.parse(line) as { http: number });
      });
    });
    const backend = `http://127.0.0.1:${ready.http}`;
    const wrong = await run(['devices', '--backend', backend, '--token', SECRETS.wrongToken, '--json']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/token/i);
    // A new device (in the installed base, a contract to try it under) is Pending; its token goes out in the notification (visible to API token holders).
    const fixtures = await rawRequest(backend, '/api/v1/contracts', { method: 'POST', headers: { authorization: `Bearer ${SECRETS.backendToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ backOffice: trialFixture(['SECFLOW01']) }) });
    expect(fixtures.status).toBe(200);
    const post = await rawRequest(backend, DDCE_SERVICE_PATH, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: sampleWith({ serial: 'SECFLOW01', messageId: 'M-secflow-1' }) });
    expect(post.status).toBe(200);
    const notes = await rawRequest(backend, '/api/v1/notifications', { headers: { authorization: `Bearer ${SECRETS.backendToken}` } });
    registrationToken = /token[^:\n]*:\s*(\S+)/i.exec(notes.body.replace(/\\n/g, '\n'))?.[1]?.replace(/["\\,]+$/, '') ?? '';
    expect(registrationToken.length).toBeGreaterThanOrEqual(8);
    const badConfirm = await rawRequest(backend, '/api/v1/registrations/SECFLOW01/confirm', { method: 'POST', headers: { authorization: `Bearer ${SECRETS.backendToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: `${registrationToken}x` }) });
    expect(badConfirm.status).toBe(403);
    const confirm = await run(['registration', 'confirm', 'SECFLOW01', registrationToken, '--backend', backend, '--json']);
    expect(confirm.code).toBe(0);
    // Wrong tokens straight at the API and the stream, as an attacker would send them.
    expect((await rawRequest(backend, '/api/v1/messages', { headers: { authorization: `Bearer ${SECRETS.wrongToken}` } })).status).toBe(401);
    const exited = new Promise((r) => serve?.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }, 90_000);

  it('finds none of the secrets in any settings file, the log, or what the commands printed', () => {
    const files = (root: string): string[] => readdirSync(root).flatMap((n) => (statSync(join(root, n)).isDirectory() ? files(join(root, n)) : [join(root, n)]));
    const settingsFiles = files(configDir);
    expect(settingsFiles.length).toBeGreaterThan(0);
    const log = readFileSync(serveLog, 'utf8');
    // The relay is closed, so the back end logged the failed notification delivery.
    expect(log).toMatch(/notification delivery failed/);
    const transcripts = files(logDir);
    // r1 logged in and was configured, so its transcript holds a whole session (enable included).
    expect(transcripts.map((f) => f.slice(logDir.length + 1))).toContain('r1.log');
    expect(readFileSync(join(logDir, 'r1.log'), 'utf8')).toMatch(/enable/);
    const haystacks: [string, string][] = [...[...settingsFiles, ...transcripts].map((f): [string, string] => [f, readFileSync(f, 'utf8')]), [serveLog, log], ['command output', outputs.join('\n')]];
    const secrets = { ...SECRETS, registrationToken };
    for (const [where, text] of haystacks) {
      for (const [name, secret] of Object.entries(secrets)) expect(text.includes(secret), `${name} found in ${where}`).toBe(false);
    }
  });
});
