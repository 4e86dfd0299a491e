/**
 * Issue 11, item 7 — tokens never only on the command line (where every local user sees them in
 * `ps`). Through the real executable: `serve --token-file`, the query commands with `--token-file`
 * or $CALLHOME_TOKEN, and `registration confirm` reading the registration token from standard input.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { api, postXml, sampleWith, startTestBackend, TOKEN } from '../backend/helpers.js';
import { importBackOffice, trialFixture } from '../backend/entitlement/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-token-sources-'));
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], o: { stdin?: string; env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['bin/callhome.js', ...args], { env: { ...process.env, CALLHOME_CONFIG_DIR: dir, CALLHOME_TOKEN: '', ...o.env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(o.stdin ?? '');
  });
}

describe('tokens from a file, the environment or standard input', () => {
  it('serve takes its API token from --token-file', { timeout: 90_000 }, async () => {
    const tokenFile = join(dir, 'serve-token');
    writeFileSync(tokenFile, 'file-token-9f8e7d6c5b4a\n', { mode: 0o600 });
    const child = spawn(process.execPath, ['bin/callhome.js', 'serve', '--db', join(dir, 'serve.db'), '--http-port', '0', '--token-file', tokenFile, '--json'], { env: { ...process.env, CALLHOME_TOKEN: '', CALLHOME_LOG_LEVEL: 'warn' } });
    children.push(child);
    const ready = await new Promise<{ http: number }>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (l) => l.includes('"ready"') && resolve(JSON.parse(l) as { http: number }));
      child.once('exit', (code) => reject(new Error(`serve exited ${code ?? '?'}`)));
    });
    const url = `http://127.0.0.1:${ready.http}`;
    expect((await api(url, '/devices', { token: 'file-token-9f8e7d6c5b4a' })).status).toBe(200);
    expect((await api(url, '/devices', { token: TOKEN })).status).toBe(401);
    // The query commands take it from a file too, or from the environment
    expect((await run(['devices', '--backend', url, '--token-file', tokenFile, '--json'])).code).toBe(0);
    expect((await run(['devices', '--backend', url, '--json'], { env: { CALLHOME_TOKEN: 'file-token-9f8e7d6c5b4a' } })).code).toBe(0);
    const missing = await run(['devices', '--backend', url, '--token-file', join(dir, 'nope'), '--json']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/Cannot read the token file/);
    child.kill('SIGTERM');
  });

  it('registration confirm reads the registration token from standard input when it is not given', { timeout: 60_000 }, async () => {
    const b = await startTestBackend({ smtpPort: null });
    try {
      await importBackOffice(b.url, trialFixture(['TOKSTDIN1']));
      expect((await postXml(b.url, sampleWith({ serial: 'TOKSTDIN1', messageId: 'ts-1' }))).status).toBe(200);
      const notes = (await api<{ notifications: { serial: string; body: string }[] }>(b.url, '/notifications')).body.notifications;
      const token = /Security token: (\S+)/.exec(notes.find((n) => n.serial === 'TOKSTDIN1')?.body ?? '')?.[1] ?? '';
      expect(token).toMatch(/^[0-9A-F]{12}$/);
      const r = await run(['registration', 'confirm', 'TOKSTDIN1', '--backend', b.url, '--json'], { stdin: `${token}\n`, env: { CALLHOME_TOKEN: TOKEN } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ registration: { serial: 'TOKSTDIN1', state: 'trial' } });
      // Nothing on standard input: a clear error, not an empty token sent to the back end
      const none = await run(['registration', 'confirm', 'TOKSTDIN1', '--backend', b.url], { env: { CALLHOME_TOKEN: TOKEN } });
      expect(none.code).not.toBe(0);
      expect(none.stderr).toMatch(/No registration token/);
    } finally {
      await b.stop();
    }
  });
});
